"""How good is the modelled catchment? Measured against where registered patients really live.

On an area covered by NHS England's patients-by-LSOA file (by default Lincolnshire, sub-ICB
71E, the July 2026 file in the raw data), prints:

1. the share of registered patients who live in the LSOAs that the modelled catchment (each
   LSOA to its nearest practice site, among every site in England) gives to their own practice's
   site;
2. the share of each LSOA's registered patients (of the area's practices) held by its modelled
   practice site: median and 10th percentile, over LSOAs and weighted by patients;
3. the same share for the grouping's territory (each group's patients living in its own
   territory), with the territory modelled and with it drawn from the registrations;
4. for the hubs question, mean and 90th-percentile travel (straight line × the store's circuity)
   for several of the area's PCNs at k = 1…n, with modelled demand (Census residents of the
   modelled catchment) and with registered demand (the lists where they live), side by side.

The peer is the truth itself: every figure is model ÷ truth or model against truth. Asserts nothing.

Usage: python bench/catchments.py [--store PATH] [--area 71E] [--pcns U52802,U56215,U41693,U17435]
"""

from __future__ import annotations

import argparse

import pandas as pd

from locality import store
from locality.demand import measure
from locality.geography import nearest_index
from locality.grouping import GroupingOptions
from locality.grouping.area import group_area
from locality.grouping.problem import group_practices
from locality.sites.options import SiteOptions
from locality.sites.pipeline import appraise_sites


def model_vs_truth(con, area: str) -> dict:
    """Return the catchment figures (1 and 2 of the module notes) for an area's practices."""
    p = store.practices(con, "sub_icb", area)
    codes = list(p["practice_code"])
    reg = store.registrations(con, codes)
    covered = sorted(set(reg["practice_code"]))
    everyone = store.practices_within(con, 0, 0, 1e7, 1e7).drop_duplicates("site_id")
    lsoas = store.lsoa_centroids(con)
    near = everyone["site_id"].to_numpy()[nearest_index(lsoas[["centroid_e", "centroid_n"]].to_numpy(),
                                                        everyone[["easting", "northing"]].to_numpy())]
    owner = pd.Series(near, index=lsoas["lsoa21_code"])
    site_of = p.set_index("practice_code")["site_id"]
    own = measure.share_in_own_territory(reg, owner, site_of[covered])
    inside = set(store.lsoas(con, "sub_icb", area, with_geometry=False)["lsoa21_code"])
    held = measure.holder_shares(reg, owner[owner.index.isin(inside)], site_of[covered])
    weights = reg.groupby("lsoa21_code")["patients"].sum()
    return {"practices": len(codes), "covered": len(covered), "patients": float(reg["patients"].sum()),
            "own_share": own, "lsoas": len(held), "held": measure.summary(held),
            "held_weighted": measure.summary(held, weights)}


def grouping_figures(con, area: str) -> dict:
    """Return each group's patients living in its own territory, modelled and real (same groups)."""
    opts = GroupingOptions(floor=30_000, ceiling=50_000)
    real = group_area(con, area, opts).result
    p, lsoa, adj = store.grouping_inputs(con, "sub_icb", area)
    modelled = group_practices(p, lsoa, adj, opts)
    reg = store.registrations(con, p["practice_code"])

    def share(result):
        return measure.share_in_own_territory(reg, result.lsoa_group.set_index("lsoa21_code")["group"],
                                              result.assignment.set_index("practice_code")["group"])

    return {"modelled": share(modelled), "real": share(real), "groups_modelled": len(modelled.groups),
            "groups_real": len(real.groups)}


def hub_table(con, area: str, pcn: str) -> pd.DataFrame:
    """Return mean and p90 travel per k with modelled and with registered demand, for one PCN."""
    p = store.practices(con, "sub_icb", area)
    codes = tuple(p.loc[p["pcn_code"] == pcn, "practice_code"])
    rows = {}
    for label, demand in (("modelled", "residents"), ("registered", "registered")):
        a = appraise_sites(con, SiteOptions(practices=codes, demand=demand))
        o = a.all_options().set_index("k")
        rows[f"{label}_mean_km"] = o["mean_travel_m"] / 1000
        rows[f"{label}_p90_km"] = o["p90_travel_m"] / 1000
        rows[f"{label}_people"] = pd.Series(round(a.demand.total), index=o.index)
        rows[f"{label}_kept"] = o["kept"].map(lambda k: ",".join(sorted(k)))
    t = pd.DataFrame(rows)
    t["same_sites"] = t["modelled_kept"] == t["registered_kept"]
    t["mean_ratio"] = t["modelled_mean_km"] / t["registered_mean_km"]
    return t.drop(columns=["modelled_kept", "registered_kept"])


def main() -> None:
    """Print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", default=None)
    ap.add_argument("--area", default="71E")
    ap.add_argument("--pcns", default="U52802,U56215,U41693,U17435")
    args = ap.parse_args()
    con = store.connect(args.store)
    if store.info(con)["registered_by_lsoa_practices"] == 0:
        raise SystemExit("This store holds no patients-by-LSOA file: nothing to measure the model against.")
    f = model_vs_truth(con, args.area)
    print(f"Area {args.area}: {f['covered']} of {f['practices']} practices covered by the LSOA file, "
          f"{f['patients']:,.0f} registered patients placed in English LSOAs")
    print(f"1. Registered patients living in an LSOA the modelled catchment gives to their own practice's site: "
          f"{100 * f['own_share']:.1f}%")
    h, hw = f["held"], f["held_weighted"]
    print(f"2. Share of an LSOA's registered patients held by its modelled practice site ({f['lsoas']} LSOAs of "
          f"{args.area}): median {100 * h['median']:.1f}%, 10th percentile {100 * h['p10']:.1f}% "
          f"(weighted by patients: median {100 * hw['median']:.1f}%, 10th percentile {100 * hw['p10']:.1f}%)")
    g = grouping_figures(con, args.area)
    print(f"3. Grouping at 30-50k: patients living in their own group's territory: modelled territory "
          f"{100 * g['modelled']:.1f}% ({g['groups_modelled']} groups), territory from registrations "
          f"{100 * g['real']:.1f}% ({g['groups_real']} groups)")
    print("4. Hubs: travel (km, straight line x circuity) with modelled demand (residents of the modelled "
          "catchment) and registered demand (lists where they live)")
    names = store.practices(con, "sub_icb", args.area).drop_duplicates("pcn_code").set_index("pcn_code")["pcn_name"]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        for pcn in args.pcns.split(","):
            print(f"\n{names.get(pcn, pcn)} ({pcn})")
            print(hub_table(con, args.area, pcn).round(2).to_string())


if __name__ == "__main__":
    main()
