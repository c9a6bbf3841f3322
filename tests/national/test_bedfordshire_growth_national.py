"""The Bedfordshire Section 106 case on the national store: Cranfield, Marston Moretaine and Wootton in 2035.

The housing trajectory is ILLUSTRATIVE (``tests/data/growth/bedfordshire_illustrative.csv``: made-up sites
and numbers, not a real plan), as is the new-build candidate's area, rooms and cost.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from locality import scenarios
from tests.data.growth.make_bedfordshire import bedfordshire_document

DATA = Path(__file__).resolve().parent.parent / "data" / "growth"


def test_the_case_runs_and_gives_a_readable_answer(national_con):
    run = scenarios.run_scenario(national_con, bedfordshire_document(national_con))
    t = run.sites.table.set_index("k")
    assert list(t.index) == [1, 2, 3, 4, 5, 6]  # five practices' sites and the candidate, k = 1…n
    builds = t["builds_new"]
    assert builds.loc[1].startswith("no") and builds.loc[6] == "Cranfield new-build hub"
    first = int(t.index[builds == "Cranfield new-build hub"][0])
    assert first < 6, "the growing communities are served better with the Cranfield hub before every site is kept"
    assert t.loc[first, "mean_travel"] < t.loc[first - 1, "mean_travel"]
    assert t.loc[first, "new_build_cost_gbp"] == 6_500_000
    doc = run.document()
    assert doc["growth"]["planning_year"]["housing"]["illustrative"] is True
    imp = scenarios.import_scenario(national_con, scenarios.dumps(doc))
    assert imp.identical, imp.differences


def test_the_case_runs_on_the_cli_and_in_the_board_pack(national_store, tmp_path):
    base = [sys.executable, "-m", "locality"]
    hub = ("name=Cranfield new-build hub;postcode=MK43 0AJ;gia_m2=1200;rooms=14;cost_gbp=6500000;"
           "source=Illustrative figures for the worked example (not a costed scheme)")
    out = subprocess.run([*base, "sites", "--practices", "E81043,Y00560,E81038,E81002,E81074", "--year", "2035",
                          "--growth", "both", "--housing", str(DATA / "bedfordshire_illustrative.csv"),
                          "--illustrative", "--new-build", hub, "--json", "--store", str(national_store)],
                         capture_output=True, text=True, check=True)
    doc = json.loads(out.stdout)
    assert [o["k"] for o in doc["options"]] == [1, 2, 3, 4, 5, 6]
    assert any(o["builds_new"] == "Cranfield new-build hub" for o in doc["options"][:5])
    py = doc["planning_year"]
    assert py["projection"] is True and "illustrative" in py["method"] and py["options"][0]["gp_at_year"] > \
        py["options"][0]["gp_now"]
    pdf = tmp_path / "bedfordshire.pdf"
    subprocess.run([*base, "export", "--scenario", str(DATA / "bedfordshire_2035.json"), "--format", "pdf", "--out",
                    str(pdf), "--store", str(national_store)], capture_output=True, text=True, check=True)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Growth: the housing trajectory used (illustrative)" in text and "Cranfield new-build hub" in text


def test_the_case_runs_on_the_hubs_page(open_national_page, user_db):
    from locality.sources.housing import read_trajectory
    from locality.store import userdata

    raw = (DATA / "bedfordshire_illustrative.csv").read_bytes()
    app = open_national_page("pages/hubs.py")
    from locality import store

    con = store.connect()
    userdata.save_trajectory("Bedfordshire illustrative", read_trajectory(raw, "b.csv", con), "b.csv", raw)
    a = store.area(con, "M1J4Y")
    icb = a["parent_code"]
    region = store.area(con, icb)["parent_code"]
    app.sidebar.selectbox(key="w_region").set_value(region).run()
    app.sidebar.selectbox(key="w_icb").set_value(icb).run()
    app.sidebar.selectbox(key="w_sub_icb").set_value("M1J4Y").run()
    app.sidebar.radio(key="hb_how").set_value("By hand").run()
    app.sidebar.multiselect(key="hb_codes").set_value(["E81002", "E81038", "E81043", "E81074", "Y00560"]).run()
    app.number_input(key="hb_year").set_value(2035).run()
    app.radio(key="hb_growth").set_value("both").run()
    app.checkbox(key="hb_illustrative").check()
    app.checkbox(key="hb_nb_on").check().run()
    app.text_input(key="hb_nb_name").set_value("Cranfield new-build hub")
    app.text_input(key="hb_nb_postcode").set_value("MK43 0AJ")
    app.number_input(key="hb_nb_gia").set_value(1200.0)
    app.number_input(key="hb_nb_rooms").set_value(14)
    app.number_input(key="hb_nb_cost").set_value(6_500_000.0)
    app.text_input(key="hb_nb_source").set_value("Illustrative figures for the worked example").run()
    assert not app.exception, app.exception
    ranked = next(d.value for d in app.dataframe if "builds_new" in d.value.columns)
    assert sorted(ranked["k"]) == [1, 2, 3, 4, 5, 6]
    assert (ranked["builds_new"] == "Cranfield new-build hub").sum() >= 2
    look = next(d.value for d in app.dataframe if "gp_at_year" in d.value.columns)
    assert (look["gp_at_year"] > look["gp_now"]).all()
    assert "illustrative" in " ".join(c.value for c in app.caption)


def test_present_mode_says_its_figures_are_a_projection(open_national_page, national_con, user_db):
    from locality.store import userdata

    doc = scenarios.run_scenario(national_con, bedfordshire_document(national_con)).document()
    userdata.save_scenario(doc)
    app = open_national_page("pages/present.py")
    assert not app.exception, app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "Figures for 2035: a projection" in text
    assert "Projection: Demand projected to 1 July 2035" in text and "illustrative" in text
