"""Scenario files with growth (planning year, housing trajectory, new builds) stand alone and round-trip."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from locality import scenarios
from locality.errors import ScenarioError
from locality.grouping import GroupingOptions
from locality.growth.housing import Housing
from locality.growth.planning import PlanningYear
from locality.growth.scenario import growth_section
from locality.sites.new_build import NewBuild
from locality.sources.housing import TRAJECTORY_COLUMNS

SOURCE = "Illustrative figures for the test, not a costed scheme"


def _doc(con):
    rows = pd.DataFrame([["T1", "Test site (illustrative)", None, 486_500.0, 163_000.0, "other", None, 2030, 2_000.0],
                         ["T1", "Test site (illustrative)", None, 486_500.0, 163_000.0, "other", None, 2031, 2_000.0]],
                        columns=TRAJECTORY_COLUMNS)
    plan = PlanningYear(2035, "both", housing=Housing.from_frame("test", rows, illustrative=True))
    hub = NewBuild("Crowthorne hub", easting=486_500.0, northing=163_000.0, gia_m2=900, clinical_rooms=10,
                   cost_gbp=5_000_000, source=SOURCE)
    sites = {"practices": ["K81010", "K81028", "K81076", "K81655"], "demand": "registered"}
    doc = scenarios.new_scenario("Ascot growth", "U2G6B", "test", GroupingOptions(30_000, 50_000, seed=0), sites)
    doc["growth"] = growth_section(plan, False, (hub,))
    return doc


def test_growth_scenario_round_trips_identical(con, tmp_path):
    run = scenarios.run_scenario(con, _doc(con))
    doc = run.document()
    assert doc["version"] == 4 and doc["growth"]["projection"] is True
    assert doc["growth"]["planning_year"]["housing"]["rows"][0]["site_ref"] == "T1"  # the trajectory travels with it
    res = doc["results"]
    assert res["growth"]["year"] == 2035 and res["growth"]["projection"] is True
    assert any(v == "Crowthorne hub" for v in res["sites"]["builds_new"].values())
    text = scenarios.dumps(doc)
    imp = scenarios.import_scenario(con, text)
    assert imp.identical, imp.differences
    # a changed trajectory is a different scenario: the re-run no longer matches the saved results
    other = json.loads(text)
    for r in other["growth"]["planning_year"]["housing"]["rows"]:
        r["dwellings"] = 10.0
    assert not scenarios.import_scenario(con, json.dumps(other)).identical


def test_growth_section_is_checked(con):
    doc = scenarios.run_scenario(con, _doc(con)).document()
    bad = json.loads(scenarios.dumps(doc))
    bad["growth"]["new_builds"][0]["source"] = ""
    with pytest.raises(ScenarioError, match="growth"):
        scenarios.import_scenario(con, json.dumps(bad))
    bad = json.loads(scenarios.dumps(doc))
    bad["growth"]["planning_year"]["housing"]["rows"][0]["dwellings"] = -4
    with pytest.raises(ScenarioError, match="dwellings"):
        scenarios.import_scenario(con, json.dumps(bad))


def test_board_pack_has_a_growth_section(con):
    from locality.outputs.boardpack import board_pack
    from locality.outputs.report import _contents

    pack = board_pack(con, scenarios.run_scenario(con, _doc(con)))
    heads = [h for h, _, _ in pack.growth_tables]
    assert heads[0] == "Growth: list trends (observed)"
    assert "Growth: the housing trajectory used (illustrative)" in heads
    assert "Growth: groups now and at 2035 (projection)" in heads
    assert any(h.startswith("Growth: site options' capacity over time and GP need") for h in heads)
    assert set(heads) <= set(_contents(pack))
    assert any("Projection of the observed trend" in n for n in pack.notes)
    assert any("1,800 per full-time GP" in n for n in pack.notes)
    assert "Builds new" in pack.options_table.columns
