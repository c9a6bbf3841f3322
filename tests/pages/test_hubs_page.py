"""The Hubs & estates page through AppTest, and in headless Chromium."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest

from tests.browser import map_frames, served_app, wait_idle


@pytest.fixture()
def page(open_page):
    return open_page("pages/hubs.py")


def _table(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_ascot_options_ranked(page):
    m = {x.label: x.value for x in page.metric}
    assert m["Practices"] == "4" and m["Sites"] == "3"
    ranked = _table(page, "score")
    assert sorted(ranked["k"]) == [1, 2, 3] and list(ranked["rank"]) == sorted(ranked["rank"])
    assert ranked["first_under_20pc"].sum() == pytest.approx(1.0)
    assert (ranked["gap"] <= 0.005).all()


def test_registered_lists_as_demand(page):
    page.sidebar.radio(key="hb_demand").set_value("registered").run()
    assert not page.exception, page.exception
    m = {x.label: x.value for x in page.metric}
    assert m["Practice lists (demand points)"] == "4"
    assert int(m["Registered patients"].replace(",", "")) == 32_519
    ranked = _table(page, "score").set_index("k")
    assert ranked.loc[3, "mean_travel"] == 0  # every list keeps its own surgery


def test_weights_change_the_ranking(page):
    for c in ("mean_travel", "p90_travel", "within_2km"):
        page.slider(key=f"hb_w_{c}").set_value(0)
    page.slider(key="hb_w_sites_released").set_value(10).run()
    assert _table(page, "score")["k"].iloc[0] == 1
    page.slider(key="hb_w_sites_released").set_value(0)
    page.slider(key="hb_w_mean_travel").set_value(10).run()
    assert _table(page, "score")["k"].iloc[0] == 3


def test_flags_by_hand(page):
    page.multiselect(key="hb_close").set_value(["SITE-SL57GB"]).run()
    assert not page.exception
    ranked = _table(page, "score")
    assert not ranked["kept_list"].str.contains("SITE-SL57GB").any()


def test_age_weights_need_a_source_then_change_the_demand(page):
    plain = _table(page, "score").set_index("k")
    page.sidebar.checkbox(key="hb_age_on").check().run()
    page.sidebar.number_input(key="hb_age_age_65_plus").set_value(3.0).run()
    assert not page.exception, page.exception
    assert any("needs its source" in w.value for w in page.sidebar.warning)
    m = {x.label: x for x in page.metric}
    assert not m["Residents (Census 2021)"].delta  # not applied without a source
    page.sidebar.text_input(key="hb_age_source").input("Local consultation study (2024)").run()
    assert not page.exception and not page.sidebar.warning
    m = {x.label: x for x in page.metric}
    residents = int(m["Residents (Census 2021)"].value.replace(",", ""))
    weighted = int(m["Residents (Census 2021)"].delta.split()[0].replace(",", ""))
    assert weighted > residents
    assert any("Local consultation study (2024)" in c.value for c in page.caption)
    weighted_opts = _table(page, "score").set_index("k")
    assert weighted_opts.loc[1, "mean_travel"] != pytest.approx(plain.loc[1, "mean_travel"])


def test_the_planners_settings_survive_a_visit_to_another_page(page):
    page.sidebar.checkbox(key="hb_age_on").check().run()
    page.sidebar.number_input(key="hb_age_age_65_plus").set_value(2.5)
    page.sidebar.text_input(key="hb_age_source").input("Local study (2024)")
    page.sidebar.radio(key="hb_demand").set_value("residents")
    page.slider(key="hb_w_sites_released").set_value(9).run()
    weighted = {x.label: x.delta for x in page.metric}["Residents (Census 2021)"]
    assert weighted and not page.exception
    page.switch_page("pages/scenarios.py").run()
    assert not page.exception
    page.switch_page("pages/hubs.py").run()
    assert not page.exception, page.exception
    assert page.sidebar.checkbox(key="hb_age_on").value
    assert page.sidebar.number_input(key="hb_age_age_65_plus").value == 2.5
    assert page.sidebar.text_input(key="hb_age_source").value == "Local study (2024)"
    assert page.slider(key="hb_w_sites_released").value == 9
    assert {x.label: x.delta for x in page.metric}["Residents (Census 2021)"] == weighted


def test_floor_areas_estimated_from_a_cited_benchmark(page):
    page.sidebar.checkbox(key="hb_bench_on").check().run()
    assert _table(page, "gia_m2")["gia_m2"].isna().all()  # no benchmark entered yet
    page.sidebar.number_input(key="hb_bench_value").set_value(0.08)
    page.sidebar.text_input(key="hb_bench_source").input("Premises space guide (2019), p. 12").run()
    assert not page.exception, page.exception
    sites = _table(page, "gia_m2")
    assert (sites["gia_m2"] == (sites["patients"] * 0.08).round(0)).all()
    ranked = _table(page, "score").set_index("k")
    assert ranked.loc[3, "area_released_m2"] == 0 and ranked.loc[1, "area_released_m2"] > 0
    assert any("Premises space guide (2019), p. 12" in c.value for c in page.caption)
    page.sidebar.radio(key="hb_basis").set_value("m2").run()  # capacity per m² on estimated areas
    page.sidebar.number_input(key="hb_rate_m2").set_value(15.0).run()  # 1.2 × each site's list
    assert not page.exception, page.exception
    capped = _table(page, "score").set_index("k")
    assert "capacity_use_pc" in capped and 3 in capped.index and 1 not in capped.index
    assert any("Keeping 1 site(s): not possible" in w.value for w in page.warning)
    # capacity is compared with the 32,519 registered patients: at 12 per m² (0.96 × each list) nothing fits,
    # and the page says by how much and which rate works (32,519 / 2,601 m² of estimated, rounded areas = 12.6)
    page.sidebar.number_input(key="hb_rate_m2").set_value(12.0).run()
    assert not [d for d in page.dataframe if "score" in d.value.columns]
    assert any("No option fits within capacity" in e.value and "12.6 patients per m²" in e.value
               and "32,519 registered patients" in e.value for e in page.error)
    page.sidebar.number_input(key="hb_rate_m2").set_value(13.0).run()  # now only keeping all three fits
    assert list(_table(page, "score")["k"]) == [3]
    assert any("The only possible option: keeping 3 site(s)" in m.value for m in page.markdown)  # not a 1-stop slider


@pytest.mark.browser
def test_hubs_in_chromium_with_and_without_a_register(browser, small_store, artifacts, tmp_path, monkeypatch):
    from tests.cases import REGISTER

    monkeypatch.setenv("LOCALITY_USER_DB", str(tmp_path / "user.duckdb"))
    register_file = tmp_path / "ascot_register.csv"
    register_file.write_text(REGISTER)
    with served_app(small_store) as url:
        pg = browser.new_page(viewport={"width": 1500, "height": 2600})
        hosts, errors = set(), []
        pg.on("request", lambda r: hosts.add(urlparse(r.url).hostname))
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(f"{url}/hubs")
        pg.get_by_text("The proven optimality gap is").first.wait_for(timeout=60_000)
        map_frames(pg, 1, min_paths=16 + 3)  # catchment LSOAs and the three postcode sites
        time.sleep(1.5)
        pg.screenshot(path=str(artifacts / "hubs_ascot_postcodes.png"))

        # the planner's own age weights and floor-area benchmark, each with its source
        sb = pg.locator("[data-testid='stSidebar']")
        for label, value in (("Weight residents by age", None), ("Ages 65+", "2.5"),
                             ("Source of the weights", "Local consultation-rate study (2024)"),
                             ("Estimate floor areas from list size", None),
                             ("Gross internal area per registered patient (m²)", "0.08"),
                             ("Source of the benchmark", "Premises space guide (2019)")):
            if value is None:
                sb.get_by_text(label).click()
            else:
                sb.get_by_label(label).fill(value)
                sb.get_by_label(label).press("Enter")
            wait_idle(pg)
        pg.get_by_text("Premises space guide (2019)").first.wait_for(timeout=60_000)
        pg.get_by_text("so its weight starts at 0").first.wait_for(timeout=60_000)  # drawn late in the run
        wait_idle(pg)
        map_frames(pg, 1, min_paths=16 + 3)
        time.sleep(1.5)
        pg.screenshot(path=str(artifacts / "hubs_ascot_assumptions.png"))
        body = pg.locator("body").inner_text()
        assert "weighted by age" in body and "Source: Local consultation-rate study (2024)" in body
        assert "80 m² per 1,000" in body and "Floor area released (estimated)" in body

        # upload the register, check the preview, save it, and use it
        pg.get_by_text("Upload or replace an estates register").click()
        pg.get_by_label("Register (.csv or .xlsx)").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            str(register_file))
        pg.get_by_text("4 sites checked").wait_for(timeout=30_000)
        pg.get_by_role("button", name="Save register (replaces one of the same name)").click()
        pg.get_by_text("Capacity").first.wait_for(timeout=30_000)
        pg.get_by_text("The proven optimality gap is").first.wait_for(timeout=60_000)
        wait_idle(pg)
        map_frames(pg, 1, min_paths=4)
        time.sleep(1.5)
        assert "4" in pg.locator("[data-testid='stMetricValue']").nth(1).inner_text()
        pg.screenshot(path=str(artifacts / "hubs_ascot_register.png"))
        body = pg.locator("body").inner_text()
        assert "Traceback" not in body and "Floor area released" in body
        assert errors == [] and hosts <= {"127.0.0.1", "localhost", None}


def test_with_a_saved_register(open_page, small_store, tmp_path, monkeypatch):
    from locality import store
    from locality.sources import estates
    from locality.store import userdata
    from tests.cases import REGISTER

    monkeypatch.setenv("LOCALITY_USER_DB", str(tmp_path / "user.duckdb"))
    con = store.connect(small_store)
    userdata.save_register("ascot", estates.read_register(REGISTER.encode(), "ascot.csv", con), "ascot.csv",
                           REGISTER.encode())
    con.close()
    at = open_page("pages/hubs.py")
    at.sidebar.selectbox(key="hb_register").set_value("ascot").run()
    assert not at.exception
    assert {x.label: x.value for x in at.metric}["Sites"] == "4"
    ranked = _table(at, "score")
    assert "area_released_m2" in ranked and ranked["area_released_m2"].notna().all()
    at.sidebar.radio(key="hb_basis").set_value("m2").run()
    assert not at.exception
    assert at.sidebar.number_input(key="hb_rate_m2").value == 10.0
    # 10 per m² × 2,950 m² is 29,500, short of the 32,519 registered patients: no table, but the rate that works
    assert any("No option fits within capacity" in e.value and "11.1 patients per m²" in e.value for e in at.error)
    at.sidebar.radio(key="hb_against").set_value("residents").run()  # 26,755 residents fit
    assert "capacity_use_pc" in _table(at, "score")
    at.sidebar.radio(key="hb_against").set_value("registered")
    at.sidebar.number_input(key="hb_rate_m2").set_value(11.1).run()
    assert list(_table(at, "score").sort_values("k")["k"]) == [4]
    at.sidebar.radio(key="hb_basis").set_value("room").run()  # a rate per m² is not carried over to rooms
    assert not at.exception
    assert at.sidebar.number_input(key="hb_rate_room").value == 2000.0


def test_practices_from_a_localities_group(open_page):
    at = open_page("pages/localities.py")
    groups = at.session_state["last_grouping"]["groups"]
    at.switch_page("pages/hubs.py").run()
    assert not at.exception
    at.sidebar.radio(key="hb_how").set_value("A proposed group").run()
    name = sorted(groups)[1]
    at.sidebar.selectbox(key="hb_group").set_value(name).run()
    assert not at.exception
    assert {x.label: x.value for x in at.metric}["Practices"] == str(len(groups[name]))


def test_whole_area(open_page):
    at = open_page("pages/hubs.py")
    at.sidebar.radio(key="hb_how").set_value("Whole area").run()
    assert not at.exception
    assert {x.label: x.value for x in at.metric}["Practices"] == "41"


@pytest.mark.browser
def test_a_travel_matrix_in_chromium(browser, small_store, artifacts, tmp_path, monkeypatch):
    """Minutes from an uploaded matrix replace distance, with criteria and thresholds in minutes."""
    import pandas as pd

    from locality import store
    from locality.sites import SiteOptions, appraise_sites
    from tests.cases import ASCOT

    monkeypatch.setenv("LOCALITY_USER_DB", str(tmp_path / "user.duckdb"))
    con = store.connect(small_store)
    inst = appraise_sites(con, SiteOptions(practices=tuple(ASCOT)))
    con.close()
    matrix = tmp_path / "ascot_minutes.csv"
    pd.DataFrame([(lsoa, site, round(inst.travel.cost[i, j] / 500, 1))  # 30 km/h
                  for i, lsoa in enumerate(inst.demand.points["lsoa21_code"])
                  for j, site in enumerate(inst.sites["site_id"])],
                 columns=["lsoa21_code", "site_id", "minutes"]).to_csv(matrix, index=False)
    with served_app(small_store) as url:
        pg = browser.new_page(viewport={"width": 1500, "height": 2400})
        errors = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(f"{url}/hubs")
        pg.get_by_text("The proven optimality gap is").first.wait_for(timeout=60_000)
        pg.get_by_text("Travel-time matrix (optional)").click()
        pg.get_by_label("Travel matrix (.csv)").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            str(matrix))
        pg.get_by_text("Travel is minutes from the uploaded matrix").first.wait_for(timeout=60_000)
        wait_idle(pg)
        map_frames(pg, 1, min_paths=16 + 3)
        time.sleep(1.5)
        pg.screenshot(path=str(artifacts / "hubs_ascot_matrix.png"))
        body = pg.locator("body").inner_text()
        assert "Traceback" not in body and "People within 15 min (more is better)" in body
        assert "Travel time to the nearest kept site" in body and errors == []
