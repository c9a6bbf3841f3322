"""New-build candidates compete with today's premises: chosen when growth sits far from the existing sites."""

from __future__ import annotations

import pandas as pd
import pytest

from locality.errors import SitesError
from locality.growth.housing import Housing
from locality.growth.planning import PlanningYear
from locality.sites import SiteOptions, appraise_sites
from locality.sites.new_build import NewBuild, weigh_new_builds
from locality.sources.housing import TRAJECTORY_COLUMNS

ASCOT = ("K81010", "K81028", "K81076", "K81655")
SOURCE = "Illustrative figures for the test, not a costed scheme"
FAR = (486_500.0, 163_000.0)  # about 7 km south-west of Ascot's surgeries (Crowthorne), no site of these practices


def _housing(e: float, n: float, homes: int) -> Housing:
    rows = pd.DataFrame([["T1", "Test site (illustrative)", None, e, n, "other", None, 2030, float(homes)]],
                        columns=TRAJECTORY_COLUMNS)
    return Housing.from_frame("test", rows, illustrative=True)


def _kept_new(a, k_max):
    t = a.table.set_index("k")
    return {k for k in t.index if k < k_max and any(s.startswith("NEW-") for s in t.loc[k, "kept"])}


def test_new_build_chosen_when_growth_is_far_from_the_existing_sites(con):
    hub = NewBuild("Crowthorne new-build hub", easting=FAR[0], northing=FAR[1], gia_m2=900, clinical_rooms=10,
                   cost_gbp=5_000_000, source=SOURCE)
    opts = SiteOptions(practices=ASCOT, demand="registered")
    plan_far = PlanningYear(2035, "housing", housing=_housing(*FAR, 6_000))
    far = appraise_sites(con, opts, plan=plan_far, new_builds=(hub,))
    n = len(far.sites)
    assert n == 4 and "NEW-CROWTHORNENEWBUILDHUB" in set(far.sites["site_id"])
    assert _kept_new(far, n), "14,400 new residents 7 km from every surgery: the new build serves them best"
    row = far.table[far.table["kept"].map(lambda ids: any(s.startswith("NEW-") for s in ids))].iloc[0]
    assert row["builds_new"] == "Crowthorne new-build hub" and row["new_build_cost_gbp"] == 5_000_000
    assert any("New-build candidates" in note and SOURCE in note for note in far.notes)
    # the same growth next to today's surgeries: the new build is never worth it short of keeping every site
    e, n_ = far.sites.loc[far.sites["site_id"] == "SITE-SL50AE", ["easting", "northing"]].iloc[0]
    near = appraise_sites(con, opts, plan=PlanningYear(2035, "housing", housing=_housing(e, n_, 6_000)),
                          new_builds=(hub,))
    assert not _kept_new(near, n)
    assert set(near.table.loc[near.table["k"] < n, "builds_new"]) == {"no: keeps existing premises"}
    # and with no growth at all
    none = appraise_sites(con, opts, new_builds=(hub,))
    assert not _kept_new(none, n)


def test_unbuilt_candidates_release_nothing_and_costs_are_weighed():
    table = pd.DataFrame({"k": [1, 2], "kept": [["A"], ["A", "NEW-X"]], "closed": [["B", "NEW-X"], ["B"]],
                          "area_released_m2": [1500.0, 500.0], "cost_released_gbp": [100_000.0, 100_000.0]})
    cand = pd.DataFrame({"site_id": ["NEW-X"], "site_name": ["X hub"], "gia_m2": [1000.0],
                         "new_build_cost_gbp": [4_000_000.0]})
    out = weigh_new_builds(table, cand).set_index("k")
    assert out.loc[1, "area_released_m2"] == 500.0  # the unbuilt hub's 1,000 m² were never there
    assert out.loc[2, "builds_new"] == "X hub" and out.loc[2, "cost_years"] == 40.0
    assert pd.isna(out.loc[1, "cost_years"]) and out.loc[1, "builds_new"].startswith("no")


def test_a_candidate_needs_its_sources_and_sane_figures():
    with pytest.raises(SitesError, match="source"):
        NewBuild("Hub", postcode="MK43 0AJ", gia_m2=900, clinical_rooms=10, cost_gbp=1e6, source="")
    with pytest.raises(SitesError, match="gia_m2"):
        NewBuild("Hub", postcode="MK43 0AJ", gia_m2=-5, clinical_rooms=10, cost_gbp=1e6, source=SOURCE)
    with pytest.raises(SitesError, match="postcode"):
        NewBuild("Hub", gia_m2=900, clinical_rooms=10, cost_gbp=1e6, source=SOURCE)
    got = NewBuild.parse(f"name=Cranfield hub;postcode=MK43 0AJ;gia_m2=1200;rooms=14;cost_gbp=6500000;source={SOURCE}")
    assert got.clinical_rooms == 14 and got.site_id == "NEW-CRANFIELDHUB"
    with pytest.raises(SitesError, match="key=value"):
        NewBuild.parse("name=x;size=3")
