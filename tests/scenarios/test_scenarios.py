"""Scenarios: save, load, rename, delete, export, import (re-run), compare, and concurrent saves."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from locality import scenarios
from locality.grouping import GroupingOptions
from locality.scenarios import ScenarioError
from locality.store import userdata
from tests.cases import ASCOT


def east_berkshire(name="East Berkshire PCN-size", floor=30_000, ceiling=50_000, keep=2):
    return scenarios.new_scenario(name, "U2G6B", "PCN-sized groups and Ascot's sites.",
                                  GroupingOptions(floor, ceiling), {"practices": ASCOT, "chosen_k": keep})


@pytest.fixture()
def saved_run(con, user_db):
    run = scenarios.run_scenario(con, east_berkshire())
    userdata.save_scenario(run.document())
    return run


def test_round_trip_save_load_export_import_is_identical(con, saved_run):
    loaded = userdata.load_scenario("East Berkshire PCN-size")
    assert loaded["results"] == saved_run.results()
    assert loaded["edition"]["extract_date"] == "2026-07-01"
    assert len(loaded["edition"]["files"]) >= 10
    text = scenarios.dumps(loaded)
    imported = scenarios.import_scenario(con, text, "east_berkshire.scenario.json")
    assert imported.identical, imported.differences
    assert imported.edition_differences == []
    assert imported.run.results() == loaded["results"]
    g = loaded["results"]["grouping"]
    assert g["summary"]["groups"] == len(g["groups"]) == 12
    assert set(g["assignment"]) == set(saved_run.grouping.result.assignment["practice_code"])
    s = loaded["results"]["sites"]
    assert s["chosen_k"] == 2 and [o["k"] for o in s["options"]] == [1, 2, 3]


def test_import_says_when_the_results_or_the_edition_differ(con, saved_run):
    doc = userdata.load_scenario("East Berkshire PCN-size")
    doc["edition"]["extract_date"] = "2026-06-01"
    doc["edition"]["files"]["gp-reg-pat-prac-map.csv"] = "0" * 64
    doc["results"]["grouping"]["assignment"]["K81010"] = "G99"
    imp = scenarios.import_scenario(con, json.dumps(doc))
    assert not imp.identical and "grouping.assignment differs." in imp.differences
    assert any("2026-06-01" in d and "2026-07-01" in d for d in imp.edition_differences)
    assert any("gp-reg-pat-prac-map.csv" in d for d in imp.edition_differences)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["grouping"].update(floor="30k"), "grouping.floor: '30k' is not of type 'integer'"),
    (lambda d: d["grouping"].update(floor=60_000), "the floor 60,000 is above the ceiling 50,000"),
    (lambda d: d.update(format="something else"), "format"),
    (lambda d: d["sites"].update(practices=[]), "sites.practices"),
    (lambda d: d.update(grouping=None, sites=None), "needs a grouping, site options, or both"),
])
def test_bad_scenario_files_name_the_field(change, message):
    doc = east_berkshire()
    change(doc)
    with pytest.raises(ScenarioError, match=r"eb\.json") as exc:
        scenarios.loads(json.dumps(doc), "eb.json")
    assert message in str(exc.value)


def test_a_file_that_is_not_json_names_line_and_column():
    # A missing value on line 3: every Python's decoder stops at the same place.
    with pytest.raises(ScenarioError, match=r"eb.json: line 3, column 9"):
        scenarios.loads('{\n"name": "x",\n"seed": }', "eb.json")


def test_names_are_never_silently_overwritten_and_rename_delete_work(saved_run):
    doc = saved_run.document()
    with pytest.raises(userdata.UserDataError, match="already exists"):
        userdata.save_scenario(doc)
    userdata.save_scenario({**doc, "description": "second thoughts"}, replace=True)
    assert userdata.load_scenario(doc["name"])["description"] == "second thoughts"
    userdata.rename_scenario(doc["name"], "Renamed")
    assert list(userdata.scenarios()["name"]) == ["Renamed"]
    assert userdata.load_scenario("Renamed")["name"] == "Renamed"
    userdata.delete_scenario("Renamed")
    assert userdata.scenarios().empty
    with pytest.raises(userdata.UserDataError, match="No saved scenario"):
        userdata.load_scenario("Renamed")


def test_concurrent_saves_from_threads_and_processes_lose_nothing(user_db):
    doc = east_berkshire()
    errors = []

    def session(i):  # a browser session: lists the scenarios on every rerun, then saves
        try:
            for j in range(5):
                userdata.scenarios()
                userdata.save_scenario({**doc, "name": f"session {i}-{j}"})
                userdata.load_scenario(f"session {i}-{j}")
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=session, args=(i,)) for i in range(12)]
    code = ("import json, sys; from locality.store import userdata\n"
            "doc = json.loads(sys.argv[2])\n"
            "for i in range(6): userdata.save_scenario({**doc, 'name': f'cli {sys.argv[1]}-{i}'})")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(j), json.dumps(doc)]) for j in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [p.wait(120) for p in procs] == [0, 0]
    assert errors == []
    names = set(userdata.scenarios()["name"])
    assert names == ({f"session {i}-{j}" for i in range(12) for j in range(5)}
                     | {f"cli {j}-{i}" for j in range(2) for i in range(6)})


def test_names_are_tidied_and_checked(user_db):
    doc = east_berkshire()
    assert userdata.save_scenario({**doc, "name": "  Padded   name "}) == "Padded name"
    assert userdata.load_scenario("Padded name")["name"] == "Padded name"
    with pytest.raises(userdata.UserDataError, match="at most 120"):
        userdata.rename_scenario("Padded name", "x" * 121)
    with pytest.raises(userdata.UserDataError, match="today's PCNs"):
        userdata.save_scenario({**doc, "name": "Today's PCNs"})
    with pytest.raises(userdata.UserDataError, match="No saved scenario"):
        userdata.delete_scenario("nothing like it")


def test_an_impossible_saved_option_is_not_replaced_by_another(con):
    from locality.sources.estates import read_register
    from tests.cases import REGISTER

    reg = read_register(REGISTER.encode(), "ascot.csv", con)
    sites = {"practices": ASCOT, "register": reg, "register_name": "ascot", "chosen_k": 1,
             "capacity": {"basis": "m2", "rate": 1.0, "respect": True}}
    run = scenarios.run_scenario(con, scenarios.new_scenario("Tight", "U2G6B", "", None, sites))
    assert run.sites.status_of(1).startswith("not possible")
    assert run.chosen is None and "Sites kept" not in scenarios.headline(run)
    assert any("keeping 1 site(s), cannot be had" in n for n in run.notes)
    # without a saved choice: the fewest sites with no shortfall
    free = scenarios.run_scenario(con, scenarios.new_scenario("Free", "U2G6B", "", None, {"practices": ASCOT}))
    assert int(free.chosen["k"]) == 1


def test_compare_with_today_and_with_another_scenario(con, saved_run):
    today = scenarios.compare(saved_run, None)
    assert list(today.headline.columns) == ["Figure", "East Berkshire PCN-size", "Today's PCNs"]
    fig = today.headline.set_index("Figure")
    assert fig.loc["Groups", "East Berkshire PCN-size"] == "12"
    assert fig.loc["Groups", "Today's PCNs"] == str(len(saved_run.grouping.comparison.pcns_today.query(
        "pcn_code != 'U'")))
    assert len(today.moves) == len(saved_run.grouping.comparison.moves) == 14
    assert set(today.sites["Today's PCNs"]) == {"open"}
    assert (today.sites["East Berkshire PCN-size"] == "kept").sum() == 2

    other = scenarios.run_scenario(con, east_berkshire("Localities 50-70k", 50_000, 70_000, keep=1))
    both = scenarios.compare(saved_run, other)
    assert both.headline.set_index("Figure").loc["Groups", "Localities 50-70k"] == "8"
    assert 0 < both.ari < 1 and len(both.moves) > 0
    assert (both.sites["Localities 50-70k"] == "kept").sum() == 1
    same = scenarios.compare(saved_run, scenarios.run_scenario(con, east_berkshire("Copy")))
    assert same.ari == pytest.approx(1.0) and same.moves.empty


def test_a_scenario_with_a_register_is_self_contained(con, user_db, tmp_path):
    from locality.sources.estates import read_register
    from tests.cases import REGISTER

    reg = read_register(REGISTER.encode(), "ascot.csv", con)
    doc = scenarios.new_scenario("Ascot hubs", "U2G6B", "", None, {
        "practices": ASCOT, "register": reg, "register_name": "ascot", "chosen_k": 2,
        "capacity": {"basis": "m2", "rate": 12.0, "respect": False}})
    run = scenarios.run_scenario(con, doc)
    text = scenarios.dumps(run.document())
    assert json.loads(text)["sites"]["register"]["name"] == "ascot"
    imp = scenarios.import_scenario(con, text)  # no register saved anywhere: the file carries it
    assert imp.identical, imp.differences
    chosen = imp.run.chosen
    assert chosen["area_released_m2"] > 0 and chosen["k"] == 2


@pytest.mark.parametrize("parts", ["both", "grouping", "sites"])
def test_board_packs_from_scenarios(con, parts, tmp_path):
    from pptx import Presentation

    from locality.outputs import boardpack

    g = GroupingOptions(30_000, 50_000) if parts in ("both", "grouping") else None
    s = {"practices": ASCOT, "chosen_k": 2, "weights": {"mean_travel_m": 5, "sites_released": 5}} \
        if parts in ("both", "sites") else None
    run = scenarios.run_scenario(con, scenarios.new_scenario(f"EB {parts}", "U2G6B", "A sentence.", g, s))
    pack = boardpack.board_pack(con, run)
    assert [k for k, _ in pack.headline] == [k for k in scenarios.HEADLINE_ORDER if k in scenarios.headline(run)]
    assert (pack.groups is not None) == (parts != "sites") and (pack.sites is not None) == (parts != "grouping")
    if s:
        assert pack.options_table["Chosen"].tolist() == ["", "yes", ""]
        ranks = set(pack.options_table["Rank (your weights)"])
        assert 1 in ranks and ranks <= {1, 2, 3}
        assert any("Circuity factor" in n for n in pack.notes)
    pdf, seconds = boardpack.export(con, run, "pdf")
    assert pdf.startswith(b"%PDF") and seconds < 60
    (tmp_path / "pack.pdf").write_bytes(pdf)
    pages = subprocess.run(["pdfinfo", str(tmp_path / "pack.pdf")], capture_output=True, text=True, check=True)
    assert int(next(line.split()[-1] for line in pages.stdout.splitlines() if line.startswith("Pages:"))) >= 5
    pptx, _ = boardpack.export(con, run, "pptx")
    (tmp_path / "pack.pptx").write_bytes(pptx)
    titles = [sl.shapes.title.text for sl in Presentation(str(tmp_path / "pack.pptx")).slides
              if sl.shapes.title is not None]
    assert titles[0] == f"EB {parts}"
    assert ("Proposed groups" in titles) == (parts != "sites") and ("Site option" in titles) == (parts != "grouping")
    assert titles[-1].startswith("Data sources and attribution")


def test_a_travel_matrix_scenario_round_trips_in_minutes(con):
    inst = scenarios.run_scenario(con, scenarios.new_scenario("m", "U2G6B", "", None, {"practices": ASCOT})).sites
    rows = [{"lsoa21_code": lsoa, "site_id": site, "minutes": round(3 + i * 0.37 + j * 2.1, 2)}
            for i, lsoa in enumerate(inst.demand.points["lsoa21_code"]) for j, site in enumerate(inst.sites["site_id"])]
    import pandas as pd

    doc = scenarios.new_scenario("Minutes", "U2G6B", "", None, {"practices": ASCOT, "chosen_k": 2,
                                                                 "travel_matrix": pd.DataFrame(rows)})
    run = scenarios.run_scenario(con, doc)
    assert run.sites.unit == "min" and scenarios.headline(run)["Mean travel"].endswith("min")
    imp = scenarios.import_scenario(con, scenarios.dumps(run.document()))
    assert imp.identical, imp.differences


def test_a_registered_list_scenario_round_trips_and_packs(con):
    from locality.outputs import boardpack

    doc = scenarios.new_scenario("Lists", "U2G6B", "", None, {"practices": ASCOT, "demand": "registered",
                                                               "chosen_k": 2})
    run = scenarios.run_scenario(con, doc)
    assert run.sites.demand.kind == "registered" and run.results()["sites"]["demand"] == "registered"
    imp = scenarios.import_scenario(con, scenarios.dumps(run.document()))
    assert imp.identical, imp.differences
    pack = boardpack.board_pack(con, run)
    assert pack.demand is None and pack.sites is not None
    assert dict(pack.parameters)["Demand"].startswith("registered patients")
    assert boardpack.export(con, run, "pdf")[0].startswith(b"%PDF")
