"""A planning year: lists projected at local trends, groups read at the year, GP need, capacity over time."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pandas as pd
import pytest

from locality.errors import AssumptionError, LocalityError
from locality.growth.need import PATIENTS_PER_GP_SOURCE, GpNeed
from locality.growth.planning import (
    PlanningYear,
    capacity_runs_out,
    group_outlook,
    options_outlook,
    project_lists,
)
from locality.growth.trend import years_between

JAN21, JUL26 = pd.Timestamp("2021-01-01"), pd.Timestamp("2026-07-01")
EDS = [JAN21, JUL26]


def _practices():
    return pd.DataFrame({"practice_code": ["A", "B", "C", "D"], "patients": [20_000, 28_000, 30_000, 10_000],
                         "lad_code": ["L1", "L1", "L2", None]})


def test_each_practice_grows_at_its_local_authority_rate():
    rates = pd.Series({"L1": 0.02, "L2": -0.01})
    p = project_lists(_practices(), rates, 0.008, EDS, PlanningYear(2035))
    t = p.table.set_index("practice_code")
    yrs = years_between(JUL26, pd.Timestamp("2035-07-01"))
    assert t.loc["A", "patients_at_year"] == pytest.approx(20_000 * 1.02 ** yrs)
    assert t.loc["C", "patients_at_year"] == pytest.approx(30_000 * 0.99 ** yrs)
    assert t.loc["D", "rate"] == 0.008 and t.loc["D", "rate_from"] == "England"  # no local authority
    assert t.loc["A", "rate_from"] == "local authority L1"
    assert "Planning year 2035" in p.method() and "1 practice(s) in no local authority" in p.method()
    assert p.total(2026) == pytest.approx(88_000)
    none = project_lists(_practices(), rates, 0.008, EDS, PlanningYear(2035, "today"))
    assert (none.table["patients_at_year"] == none.table["patients"]).all() and "no growth" in none.method()


def test_planning_year_bounds_and_choices():
    with pytest.raises(LocalityError, match="from 2026"):
        project_lists(_practices(), pd.Series(dtype=float), None, EDS, PlanningYear(2020))
    with pytest.raises(LocalityError, match="to 2056"):
        project_lists(_practices(), pd.Series(dtype=float), None, EDS, PlanningYear(2070))
    with pytest.raises(LocalityError, match="one of today, trend"):
        PlanningYear(2030, "housing-ish")


def test_a_group_leaving_the_band_is_flagged_with_its_year():
    rates = pd.Series({"L1": 0.02, "L2": -0.01})
    proj = project_lists(_practices(), rates, 0.0, EDS, PlanningYear(2035))
    a = pd.DataFrame({"practice_code": ["A", "B", "C", "D"], "group": ["G1", "G1", "G2", "G2"]})
    o = group_outlook(a, proj, 30_000, 50_000).set_index("group")
    # G1: 48,000 at +2% a year crosses 50,000 after ln(50/48)/ln(1.02) = 2.06 years (Aug 2028)
    assert o.loc["G1", "status_now"] == "within" and o.loc["G1", "status_at_year"] == "above"
    assert bool(o.loc["G1", "leaves_band"]) and o.loc["G1", "year_leaves_band"] == 2029  # first 1 July above
    assert 48_000 * 1.02 ** years_between(JUL26, pd.Timestamp("2028-07-01")) < 50_000
    assert 48_000 * 1.02 ** years_between(JUL26, pd.Timestamp("2029-07-01")) > 50_000
    assert o.loc["G2", "status_at_year"] == "within" and not bool(o.loc["G2", "leaves_band"])
    assert o.loc["G1", "gp_now"] == round(48_000 / 1_800, 1)
    assert o.loc["G1", "gp_at_year"] == round(o.loc["G1", "patients_at_year"] / 1_800, 1)


def test_gp_need_is_cited_and_editable_with_a_source():
    assert GpNeed().patients_per_gp == 1_800 and "HUDU" in GpNeed().source and GpNeed().source == PATIENTS_PER_GP_SOURCE
    mine = GpNeed(2_000, "Local workforce plan 2025")
    assert mine.fte(10_000) == 5.0 and "2,000" in mine.label()
    with pytest.raises(AssumptionError, match="source"):
        GpNeed(2_000, "")
    with pytest.raises(AssumptionError, match="between 500 and 5,000"):
        GpNeed(50, "x source")
    assert GpNeed.from_dict(mine.to_dict()) == mine


def test_capacity_runs_out_when_the_busiest_site_passes_100():
    proj = project_lists(_practices().assign(lad_code="L1"), pd.Series({"L1": 0.03}), None, EDS, PlanningYear(2030))
    # 90% at 2030 growing 3% a year: over 100% once 1.03^t > 1/0.9, t = 3.56 years after 2030 → 2034
    assert capacity_runs_out(90.0, proj) == 2034
    assert capacity_runs_out(None, proj) is None
    assert capacity_runs_out(150.0, proj) == 2026  # over capacity already
    out = options_outlook([{"k": 1, "capacity_use": {"S1": 90.0, "S2": 40.0}}, {"k": 2}], proj)
    assert out[0]["capacity_runs_out"] == 2034 and not out[0]["over_capacity_today"]
    assert out[1]["capacity_runs_out"] is None and out[0]["gp_now"] == round(88_000 / 1_800, 1)
    assert math.isclose(out[0]["gp_at_year"], round(proj.total() / 1_800, 1))


def test_group_at_a_year_on_the_store(con):
    from locality.grouping import GroupingOptions
    from locality.grouping.area import group_area

    g = group_area(con, "U2G6B", GroupingOptions(30_000, 50_000, seed=0), PlanningYear(2040))
    o = g.outlook
    assert o is not None and len(o) == len(g.result.groups)
    assert (o["patients_now"].sum()) == g.result.groups["patients"].sum()
    assert o["leaves_band"].equals((o["status_now"] == "within") & (o["status_at_year"] != "within"))
    assert o["leaves_band"].any(), "East Berkshire's growth takes at least one 30–50k group out of the band by 2040"
    doc = g.to_json()["planning_year"]
    assert doc["projection"] is True and doc["year"] == 2040 and "local authority" in doc["method"]
    # grouped for the year directly: the year's lists are what the band is held to
    f = group_area(con, "U2G6B", GroupingOptions(30_000, 50_000, seed=0), PlanningYear(2040), for_year=True)
    assert f.for_year and f.result.groups["patients"].sum() == pytest.approx(f.outlook["patients_at_year"].sum(), abs=50)
    assert f.outlook["leaves_band"].sum() <= o["leaves_band"].sum()


def test_cli_group_and_sites_take_a_year(small_store):
    base = [sys.executable, "-m", "locality"]
    out = subprocess.run([*base, "group", "--area", "U2G6B", "--year", "2035", "--json", "--store", str(small_store)],
                         capture_output=True, text=True, check=True)
    doc = json.loads(out.stdout)
    assert doc["planning_year"]["year"] == 2035 and doc["summary"]["planning_year"] == 2035
    assert {"patients_at_year", "status_at_year", "leaves_band", "gp_at_year"} <= set(doc["planning_year"]["groups"][0])
    text = subprocess.run([*base, "group", "--area", "U2G6B", "--year", "2035", "--store", str(small_store)],
                          capture_output=True, text=True, check=True).stdout
    assert "planning year (projection)" in text and "GP need: registered patients ÷ 1,800" in text
    s = subprocess.run([*base, "sites", "--practices", "K81010,K81028,K81076,K81655", "--year", "2035", "--json",
                        "--store", str(small_store)], capture_output=True, text=True, check=True)
    py = json.loads(s.stdout)["planning_year"]
    assert py["projection"] is True and len(py["options"]) == 3 and py["options"][0]["gp_at_year"] > 0
    bad = subprocess.run([*base, "group", "--area", "U2G6B", "--year", "2019", "--store", str(small_store)],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "planning year must be from 2026" in bad.stderr
