"""The site engine on hand-made inputs: no store needed."""

from __future__ import annotations

import pandas as pd
import pytest

from locality.demand import Demand
from locality.errors import SitesError
from locality.sites import Capacity, SiteOptions, SiteProblem
from locality.sites.premises import estimate_floor_areas, postcode_sites
from locality.travel.straight_line import straight_line


def _sites(gia=(None, None, None)):
    practices = pd.DataFrame({"practice_code": ["A", "B", "C"], "practice_name": ["a", "b", "c"],
                              "postcode": ["P1", "P2", "P3"], "site_id": ["S1", "S2", "S3"],
                              "easting": [0.0, 1000.0, 5000.0], "northing": [0.0, 0.0, 0.0],
                              "patients": [100, 100, 200]})
    sites = postcode_sites(practices)
    sites["gia_m2"] = list(gia)
    estimate_floor_areas(sites, None)
    return sites


def _demand():
    pts = pd.DataFrame({"lsoa21_code": ["L1", "L2", "L3", "L4"], "centroid_e": [0.0, 900.0, 5000.0, 5200.0],
                        "centroid_n": [0.0, 0.0, 0.0, 0.0], "weight": [10.0, 10.0, 30.0, 50.0]})
    return Demand(pts, "residents", "hand-made")


def test_every_k_is_solved_with_figures_in_the_unit_of_travel():
    sites, demand = _sites(), _demand()
    travel = straight_line(demand.points, sites, 1.0)
    a = SiteProblem(sites, demand, travel, SiteOptions(practices=("A",))).solve()
    assert a.unit == "m" and list(a.table["k"]) == [1, 2, 3]
    one = a.option(1)
    assert one["kept"] == ["S3"]  # 80 of 100 people are near S3
    expect = (10 * 5000 + 10 * 4100 + 30 * 0 + 50 * 200) / 100
    assert one["mean_travel"] == pytest.approx(expect) and one["gap"] == 0
    assert a.option(3)["mean_travel"] == pytest.approx((0 + 10 * 100 + 0 + 50 * 200) / 100)
    assert a.nearest_kept(["S1"]) == pytest.approx([0, 900, 5000, 5200])


def test_capacity_makes_small_k_infeasible_with_a_typed_reason():
    sites, demand = _sites(gia=(40.0, 40.0, 60.0)), _demand()
    travel = straight_line(demand.points, sites, 1.0)
    opts = SiteOptions(practices=("A",), capacity=Capacity("m2", 1.0, respect=True, against="residents"))
    a = SiteProblem(sites, demand, travel, opts).solve()
    assert [i.k for i in a.infeasible] == [1] and a.infeasible[0].reason.name == "CAPACITY_SHORT"
    assert all(v <= 100 for v in a.option(2)["capacity_use"].values())
    assert list(a.all_options()["status"].str[:3]) == ["not", "ok", "ok"]


def test_travel_of_the_wrong_shape_is_refused():
    sites, demand = _sites(), _demand()
    travel = straight_line(demand.points.iloc[:2], sites, 1.0)
    with pytest.raises(SitesError, match="2 × 3"):
        SiteProblem(sites, demand, travel, SiteOptions(practices=("A",)))


def test_flags_both_ways_on_one_site_are_refused_naming_the_site():
    sites, demand = _sites(), _demand()
    # a clash is a request that cannot be run, named by site and practice (not an internal index)
    with pytest.raises(SitesError, match=r"both must stay open and must close: S1 \(a\)"):
        SiteProblem(sites, demand, straight_line(demand.points, sites, 1.0),
                    SiteOptions(practices=("A",), must_keep=("S1",), must_close=("S1",)))


def test_capacity_against_registered_scales_residents_to_the_lists():
    # 100 residents, 400 registered patients at the three sites: capacity must hold 400
    sites, demand = _sites(gia=(150.0, 150.0, 150.0)), _demand()
    travel = straight_line(demand.points, sites, 1.0)
    reg = SiteProblem(sites, demand, travel, SiteOptions(practices=("A",), capacity=Capacity("m2", 1.0, True))).solve()
    res = SiteProblem(sites, demand, travel,
                      SiteOptions(practices=("A",), capacity=Capacity("m2", 1.0, True, "residents"))).solve()
    assert [i.k for i in reg.infeasible] == [1, 2]  # 400 registered need all three 150 m² sites at 1 per m²
    assert [i.k for i in res.infeasible] == []  # 100 residents fit in any one
    assert "400" in reg.infeasible[0].message
    assert sum(v * 1.5 for v in reg.option(3)["capacity_use"].values()) == pytest.approx(400, abs=0.5)  # use is rounded
    # the lists fill every site, so some residents are sent past their nearest one
    assert reg.option(3)["mean_travel"] > res.option(3)["mean_travel"]
