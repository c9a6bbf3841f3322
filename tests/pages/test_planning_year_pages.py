"""Localities and Hubs & estates at a planning year, through Streamlit's AppTest."""

from __future__ import annotations


def _run(at):
    next(b for b in at.button if b.label == "Run grouping").click().run()
    assert not at.exception, at.exception


def test_localities_at_a_year_flags_groups_leaving_the_band(open_page):
    page = open_page("pages/localities.py")
    assert not any("(projection)" in h.value for h in page.subheader)  # this year: today's lists, no outlook
    page.number_input(key="lc_year").set_value(2040)
    _run(page)
    assert any(h.value == "At 2040 (projection)" for h in page.subheader)
    look = next(d.value for d in page.dataframe if "patients_at_year" in d.value.columns)
    assert look["patients_now"].sum() == 497_911 and look["patients_at_year"].sum() > 497_911
    assert look["leaves_band"].any()
    flagged = next(m.value for m in page.markdown if "groups within the band today are outside it" in m.value)
    assert all(g in flagged for g in look.loc[look["leaves_band"], "group"])
    text = " ".join(c.value for c in page.caption)
    assert "Projection of the observed trend" in text and "1,800 per full-time GP" in text and "HUDU" in text


def test_gp_need_figure_needs_its_source(open_page):
    page = open_page("pages/localities.py")
    page.number_input(key="lc_year").set_value(2035)
    page.number_input(key="lc_ppg").set_value(2000)
    _run(page)
    assert any("needs its source" in e.value for e in page.error)
    page.text_input(key="lc_ppg_src").set_value("Local workforce plan 2025")
    _run(page)
    assert not page.error
    assert "2,000 per full-time GP (Local workforce plan 2025)" in " ".join(c.value for c in page.caption)


def test_hubs_at_a_year_say_when_capacity_runs_out(open_page):
    page = open_page("pages/hubs.py")
    page.sidebar.checkbox(key="hb_bench_on").check().run()
    page.sidebar.number_input(key="hb_bench_value").set_value(0.1)
    page.sidebar.text_input(key="hb_bench_source").set_value("Illustrative benchmark for the test").run()
    page.sidebar.radio(key="hb_basis").set_value("m2").run()
    page.sidebar.number_input(key="hb_rate_m2").set_value(12.0)
    page.sidebar.checkbox(key="hb_respect").uncheck()
    page.number_input(key="hb_year").set_value(2045).run()
    assert not page.exception, page.exception
    look = next(d.value for d in page.dataframe if "capacity" in d.value.columns and "gp_at_year" in d.value.columns)
    assert sorted(look["k"]) == [1, 2, 3]
    assert look["capacity"].str.fullmatch(r"capacity runs out in \d{4}|over capacity today|within capacity for 25 years").all()
    assert (look["gp_at_year"] >= look["gp_now"]).all() and look["gp_now"].iloc[0] == round(32_519 / 1_800, 1)
    assert any("At 2045 (projection)" in m.value for m in page.markdown)
    assert "Projection of the observed trend" in " ".join(c.value for c in page.caption)


GOOD = ("site_ref,site_name,postcode,easting,northing,dwellings,start_year,end_year,status,practice\n"
        "H1,North Ascot,SL5 8AB,,,1500,2027,2031,allocated,\n"
        "H2,Sunninghill,,494000,167500,600,2028,2030,permitted,K81010\n")


class _Upload:
    """What AppTest's file uploader stand-in returns."""

    def __init__(self, name, data):
        self.name, self._data = name, data

    def getvalue(self):
        return self._data


def test_growth_page_previews_saves_or_refuses_a_trajectory(open_page, monkeypatch):
    import streamlit as st

    from locality.store import userdata

    files = {"file": _Upload("ascot.csv", GOOD.encode())}
    monkeypatch.setattr(st, "file_uploader", lambda *a, **k: files["file"])
    page = open_page("pages/growth.py")
    assert not page.exception, page.exception
    assert any("2 site(s), 2,100 homes checked" in s.value for s in page.success)
    preview = next(d.value for d in page.dataframe if "first_year" in d.value.columns)
    assert preview.set_index("site_ref").loc["H1", "dwellings"] == 1500
    next(b for b in page.button if b.label.startswith("Save trajectory")).click().run()
    assert not page.exception, page.exception
    assert userdata.trajectories().set_index("trajectory").loc["ascot", "dwellings"] == 2100
    files["file"] = _Upload("bad.csv", GOOD.replace("allocated", "maybe").replace("494000", "900000").encode())
    page.run()
    assert any("bad.csv was not saved: 2 problem(s)" in e.value for e in page.error)
    problems = next(d.value for d in page.dataframe if "message" in d.value.columns)
    assert {(r.row, r.column) for r in problems.itertuples()} == {(2, "status"), (3, "easting")}
    assert userdata.trajectories()["dwellings"].sum() == 2100  # nothing stored from the bad file
    # and the saved trajectory is offered at the planning year
    loc = open_page("pages/localities.py")
    loc.number_input(key="lc_year").set_value(2035)
    loc.radio(key="lc_growth").set_value("both")
    next(b for b in loc.button if b.label == "Run grouping").click().run()
    assert not loc.exception, loc.exception
    look = next(d.value for d in loc.dataframe if "housing_residents" in d.value.columns)
    assert look["housing_residents"].sum() == 2100 * 2.4
    assert "Housing growth" in " ".join(c.value for c in loc.caption)


def test_hubs_new_build_candidate_competes(open_page):
    page = open_page("pages/hubs.py")
    page.checkbox(key="hb_nb_on").check().run()
    page.text_input(key="hb_nb_name").set_value("Crowthorne hub")
    page.text_input(key="hb_nb_postcode").set_value("rg45 7af")
    page.text_input(key="hb_nb_source").set_value("Illustrative figures for the test").run()
    assert not page.exception, page.exception
    ranked = next(d.value for d in page.dataframe if "builds_new" in d.value.columns)
    assert len(ranked) == 4  # Ascot's three sites and the candidate
    assert set(ranked["builds_new"]) >= {"no: keeps existing premises", "Crowthorne hub"}
    built = ranked[ranked["builds_new"] == "Crowthorne hub"]
    assert (built["new_build_cost_gbp"] == 5_000_000).all() and 4 in set(built["k"])


def test_localities_scenario_carries_its_planning_year(open_page):
    from locality.store import userdata

    page = open_page("pages/localities.py")
    page.number_input(key="lc_year").set_value(2040)
    _run(page)
    next(b for b in page.button if b.label == "Save scenario").click().run()
    assert not page.exception, page.exception
    name = userdata.scenarios()["name"].iloc[0]
    doc = userdata.load_scenario(name)
    assert doc["version"] == 4 and doc["growth"]["planning_year"]["year"] == 2040
    assert doc["results"]["growth"]["projection"] is True and doc["results"]["growth"]["year"] == 2040
