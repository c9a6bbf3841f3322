"""Real catchments drive grouping and hubs for Lincolnshire (71E); modelled catchments cross area lines."""

from __future__ import annotations

import numpy as np
import pytest

from locality import store
from locality.demand.measure import share_in_own_territory
from locality.geography import nearest_index
from locality.grouping import GroupingOptions
from locality.grouping.area import group_area
from locality.grouping.problem import group_practices
from locality.sites.options import SiteOptions
from locality.sites.pipeline import appraise_sites

FOUR_COUNTIES = "U52802"  # Stamford and the Deepings, on 71E's border with Rutland and Peterborough
TRENT_CARE = "U56215"  # Gainsborough, on the Trent: 71E's border with Bassetlaw and North Lincolnshire


@pytest.fixture()
def lincs(national_con):
    if store.info(national_con)["registered_by_lsoa_practices"] == 0:
        pytest.skip("the store was built without the registered-by-LSOA file")
    return national_con


def _pcn(con, pcn) -> tuple[str, ...]:
    p = store.practices(con, "sub_icb", "71E")
    return tuple(p.loc[p["pcn_code"] == pcn, "practice_code"])


def test_71e_grouping_follows_real_registrations(lincs):
    opts = GroupingOptions(floor=30_000, ceiling=50_000)
    real = group_area(lincs, "71E", opts)
    assert real.result.demand_method == "registered"
    js = real.to_json()
    assert js["demand_method"] == "registered" and {g["demand_method"] for g in js["groups"]} == {"registered"}
    p, lsoa, adj = store.grouping_inputs(lincs, "sub_icb", "71E")
    modelled = group_practices(p, lsoa, adj, opts)
    assert modelled.demand_method == "modelled"
    reg = store.registrations(lincs, p["practice_code"])

    def share(result):
        return share_in_own_territory(reg, result.lsoa_group.set_index("lsoa21_code")["group"],
                                      result.assignment.set_index("practice_code")["group"])

    # the expected direction: more of each group's patients live in its own territory
    assert share(real.result) > share(modelled) + 0.02
    assert share(real.result) > 0.75
    assert real.result.all_contiguous
    # and the same groups of practices, drawn both ways, give different territories
    p_real = real.result.assignment.set_index("practice_code")["group"]
    same = group_practices(p, lsoa, adj, opts, reg)
    assert same.assignment.set_index("practice_code")["group"].equals(p_real)
    differ = (modelled.lsoa_group.set_index("lsoa21_code")["unit"]
              != real.result.lsoa_group.set_index("lsoa21_code")["unit"]).sum()
    assert differ > 20


def test_each_lsoa_goes_to_the_group_holding_most_of_its_patients(lincs):
    real = group_area(lincs, "71E", GroupingOptions(floor=30_000, ceiling=50_000))
    p = real.result.assignment.set_index("practice_code")["group"]
    reg = store.registrations(lincs, p.index)
    reg = reg.assign(group=reg["practice_code"].map(p))
    top = (reg.groupby(["lsoa21_code", "group"])["patients"].sum().reset_index()
           .sort_values(["lsoa21_code", "patients"], ascending=[True, False]).drop_duplicates("lsoa21_code")
           .set_index("lsoa21_code")["group"])
    got = real.result.lsoa_group.set_index("lsoa21_code")["group"]
    both = top.index.intersection(got.index)
    # all but the LSOAs the contiguity repair hands on (and ties)
    assert (got[both] == top[both]).mean() > 0.95


def test_hub_demand_is_the_registered_patients_wherever_they_live(lincs):
    codes = _pcn(lincs, FOUR_COUNTIES)
    a = appraise_sites(lincs, SiteOptions(practices=codes, demand="registered"))
    assert a.demand.method == "registered" and a.demand.kind == "registered"
    pts = a.demand.points
    reg = store.registrations(lincs, codes)
    assert a.demand.total == pytest.approx(reg["patients"].sum())
    inside = set(store.lsoas(lincs, "sub_icb", "71E", with_geometry=False)["lsoa21_code"])
    outside = pts[~pts["lsoa21_code"].isin(inside)]
    assert outside["weight"].sum() > 1000  # Rutland and Peterborough residents registered at Stamford
    assert any("no English LSOA" in n for n in a.demand.notes)
    # the expected direction: with every site kept, patients still travel (a list at its door does not)
    at_door = store.practices(lincs, "sub_icb", "71E")
    from locality.demand.registered import registered_lists
    assert registered_lists(at_door[at_door["practice_code"].isin(codes)]).method == "modelled"
    full = a.all_options().set_index("k").loc[len(a.sites), "mean_travel_m"]
    assert full > 1000


@pytest.mark.parametrize("pcn", [FOUR_COUNTIES, TRENT_CARE])
def test_modelled_catchment_crosses_the_area_boundary(lincs, pcn):
    codes = _pcn(lincs, pcn)
    a = appraise_sites(lincs, SiteOptions(practices=codes, demand="residents"))
    assert a.demand.method == "modelled"
    pts = a.demand.points
    inside = set(store.lsoas(lincs, "sub_icb", "71E", with_geometry=False)["lsoa21_code"])
    assert (~pts["lsoa21_code"].isin(inside)).sum() >= 3
    # every LSOA in the catchment is nearest to one of the PCN's sites among every practice site in England
    sites = store.practices_within(lincs, 0, 0, 1e7, 1e7).drop_duplicates("site_id")
    near = sites["site_id"].to_numpy()[nearest_index(pts[["centroid_e", "centroid_n"]].to_numpy(),
                                                     sites[["easting", "northing"]].to_numpy())]
    assert set(near) <= set(a.sites["site_id"])
    # and the 71E LSOAs the old, sub-ICB-bounded catchment gave these sites, but which are nearer to a
    # practice outside 71E, are left to that practice
    lsoas = store.lsoas(lincs, "sub_icb", "71E", with_geometry=False)
    xy = lsoas[["centroid_e", "centroid_n"]].to_numpy()
    own = sites[sites["sub_icb_code"] == "71E"]
    nearest_any = sites["sub_icb_code"].to_numpy()[nearest_index(xy, sites[["easting", "northing"]].to_numpy())]
    nearest_own = own["site_id"].to_numpy()[nearest_index(xy, own[["easting", "northing"]].to_numpy())]
    given_away = lsoas[(nearest_any != "71E") & np.isin(nearest_own, a.sites["site_id"])]
    assert len(given_away) >= (3 if pcn == TRENT_CARE else 0)
    assert not set(given_away["lsoa21_code"]) & set(pts["lsoa21_code"])


def test_sites_starts_from_the_registrations_where_the_file_covers_every_practice(lincs, capsys):
    """Without --demand, the CLI uses real registrations in 71E and Census residents where no file exists."""
    import json

    from locality.cli import main

    def run(*args) -> dict:
        assert main(["sites", *args, "--keep", "1", "--json", "--store", str(lincs.execute(
            "SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0])]) == 0
        return json.loads(capsys.readouterr().out)

    lincoln = run("--practices", ",".join(_pcn(lincs, FOUR_COUNTIES)))
    assert lincoln["demand"] == "registered" and lincoln["demand_method"] == "registered"
    ascot = run("--practices", "K81010,K81028,K81076,K81655")
    assert ascot["demand"] == "residents" and ascot["demand_method"] == "modelled"
    asked = run("--practices", ",".join(_pcn(lincs, FOUR_COUNTIES)), "--demand", "residents")
    assert asked["demand"] == "residents"
