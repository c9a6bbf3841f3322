"""Quality across England: group every sub-ICB at 30–50k and at 50–70k.

For each run it prints the number of groups, the share within bounds, the sub-ICBs fully
within bounds, the total excess, the exceptions by reason (forced or not), whether every
group is contiguous, and the total time; then it re-runs a sample with the same seed to
check the results are identical.

Usage: python bench/grouping_national.py [--store PATH] [--workers 2] [--bands 30000-50000 50000-70000]
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing as mp
import time

import pandas as pd

from locality import store
from locality.grouping import GroupingOptions, group_practices

_DATA: dict = {}


def _load(path) -> None:
    con = store.connect(path)
    _DATA["practices"] = con.execute(
        "SELECT practice_code, practice_name, pcn_code, pcn_name, patients, site_id, easting, northing, lsoa21_code, "
        "sub_icb_code FROM practice").df()
    _DATA["lsoas"] = con.execute(
        "SELECT lsoa21_code, centroid_e, centroid_n, residents, imd_decile, geom_bng, sub_icb_code FROM lsoa").df()
    _DATA["adj"] = con.execute("SELECT a, b FROM lsoa_adjacency").df()
    con.close()


def inputs(sub_icb: str):
    """The grouping inputs of one sub-ICB, sliced from the national frames."""
    p = _DATA["practices"][_DATA["practices"]["sub_icb_code"] == sub_icb]
    lsoa = _DATA["lsoas"][_DATA["lsoas"]["sub_icb_code"] == sub_icb]
    codes = set(lsoa["lsoa21_code"])
    adj = _DATA["adj"]
    adj = adj[adj["a"].isin(codes) & adj["b"].isin(codes)]
    return p, lsoa, adj


def run_one(args):
    sub_icb, floor, ceiling, seed = args
    p, lsoa, adj = inputs(sub_icb)
    t = time.perf_counter()
    r = group_practices(p, lsoa, adj, GroupingOptions(floor, ceiling, seed=seed))
    return {
        "sub_icb": sub_icb, "groups": len(r.groups), "within": int((r.groups["status"] == "within").sum()),
        "all_within": r.all_within, "excess": r.excess, "contiguous": r.all_contiguous,
        "exceptions": [(e.kind, e.forced) for e in r.exceptions],
        "signature": tuple(r.assignment.sort_values("practice_code")["group"]),
        "seconds": time.perf_counter() - t,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--bands", nargs="*", default=["30000-50000", "50000-70000"])
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    _load(args.store)
    subs = sorted(_DATA["practices"]["sub_icb_code"].unique())
    ctx = mp.get_context("fork")
    for band in args.bands:
        floor, ceiling = map(int, band.split("-"))
        t = time.perf_counter()
        with ctx.Pool(args.workers) as pool:
            rows = pool.map(run_one, [(s, floor, ceiling, args.seed) for s in subs], chunksize=1)
        secs = time.perf_counter() - t
        df = pd.DataFrame(rows)
        reasons = collections.Counter(f"{k} ({'forced' if f else 'NOT forced'})" for ex in df["exceptions"] for k, f in ex)
        print(f"\n=== {floor:,}–{ceiling:,}: {len(subs)} sub-ICBs, {args.workers} workers ===")
        print(f"groups: {df['groups'].sum():,}")
        print(f"within bounds: {df['within'].sum():,} ({100 * df['within'].sum() / df['groups'].sum():.1f}%)")
        print(f"sub-ICBs fully within bounds: {int(df['all_within'].sum())} of {len(df)}")
        print(f"total excess outside bounds: {int(df['excess'].sum()):,} patients")
        print("exceptions by reason:", dict(sorted(reasons.items())) or "none")
        print(f"every group contiguous: {bool(df['contiguous'].all())}")
        print(f"total time: {secs:.1f} s (sum of per-sub-ICB times {df['seconds'].sum():.1f} s; "
              f"slowest {df.loc[df['seconds'].idxmax(), 'sub_icb']} {df['seconds'].max():.2f} s)")
        unforced = df[[any(not f for _k, f in ex) for ex in df["exceptions"]]]
        if len(unforced):
            print("sub-ICBs with exceptions not proven forced:", ", ".join(unforced["sub_icb"]))
        sample = subs[:: max(1, len(subs) // 8)]
        again = [run_one((s, floor, ceiling, args.seed)) for s in sample]
        same = all(a["signature"] == df.set_index("sub_icb").loc[a["sub_icb"], "signature"] for a in again)
        print(f"same seed, same result ({len(sample)} sub-ICBs re-run): {same}")


if __name__ == "__main__":
    main()
