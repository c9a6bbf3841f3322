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
    assert m["Demand points (practices)"] == "4" and int(m["Registered patients"].replace(",", "")) > 20_000
    ranked = _table(page, "score").set_index("k")
    assert ranked.loc[3, "mean_travel_m"] == 0  # every list keeps its own surgery


def test_weights_change_the_ranking(page):
    for c in ("mean_travel_m", "p90_travel_m", "within_2km"):
        page.slider(key=f"hb_w_{c}").set_value(0)
    page.slider(key="hb_w_sites_released").set_value(10).run()
    assert _table(page, "score")["k"].iloc[0] == 1
    page.slider(key="hb_w_sites_released").set_value(0)
    page.slider(key="hb_w_mean_travel_m").set_value(10).run()
    assert _table(page, "score")["k"].iloc[0] == 3


def test_flags_by_hand(page):
    page.multiselect(key="hb_close").set_value(["SITE-SL57GB"]).run()
    assert not page.exception
    ranked = _table(page, "score")
    assert not ranked["kept_list"].str.contains("SITE-SL57GB").any()


@pytest.mark.browser
def test_hubs_in_chromium_with_and_without_a_register(browser, national_store, artifacts, tmp_path, monkeypatch):
    from tests.test_sites import REGISTER

    monkeypatch.setenv("LOCALITY_USER_DB", str(tmp_path / "user.duckdb"))
    register_file = tmp_path / "ascot_register.csv"
    register_file.write_text(REGISTER)
    with served_app(national_store) as url:
        pg = browser.new_page(viewport={"width": 1500, "height": 2600})
        hosts, errors = set(), []
        pg.on("request", lambda r: hosts.add(urlparse(r.url).hostname))
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(f"{url}/hubs")
        pg.get_by_text("The gap is proven by a lower bound").first.wait_for(timeout=60_000)
        map_frames(pg, 1, min_paths=16 + 3)  # catchment LSOAs and the three postcode sites
        time.sleep(1.5)
        pg.screenshot(path=str(artifacts / "hubs_ascot_postcodes.png"))

        # upload the register, check the preview, save it, and use it
        pg.get_by_text("Upload or replace an estates register").click()
        pg.get_by_label("Register (.csv or .xlsx)").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            str(register_file))
        pg.get_by_text("4 sites checked").wait_for(timeout=30_000)
        pg.get_by_role("button", name="Save register (replaces one of the same name)").click()
        pg.get_by_text("Capacity").first.wait_for(timeout=30_000)
        pg.get_by_text("The gap is proven by a lower bound").first.wait_for(timeout=60_000)
        wait_idle(pg)
        map_frames(pg, 1, min_paths=4)
        time.sleep(1.5)
        assert "4" in pg.locator("[data-testid='stMetricValue']").nth(1).inner_text()
        pg.screenshot(path=str(artifacts / "hubs_ascot_register.png"))
        body = pg.locator("body").inner_text()
        assert "Traceback" not in body and "Floor area released" in body
        assert errors == [] and hosts <= {"127.0.0.1", "localhost", None}


def test_with_a_saved_register(open_page, national_store, tmp_path, monkeypatch):
    from locality import estates, store, userdata
    from tests.test_sites import REGISTER

    monkeypatch.setenv("LOCALITY_USER_DB", str(tmp_path / "user.duckdb"))
    con = store.connect(national_store)
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
    assert "capacity_use_pc" in _table(at, "score")


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
