"""Least change across England: repair today's PCNs in every sub-ICB at 30–50k and at 50–70k.

For each band it prints: today's PCNs outside the band (counted per sub-ICB, on the practices in
it) and the groups outside it after the repair; practices and patients moved; the proven lower
bound on the moves and how many areas are proven minimal; forced (and any unforced) exceptions;
time. It compares each area with the fresh grouping (practices that move, ARI against today's
PCNs) — the named peer is the engine's own fresh mode, the best grouping from a blank map.

Usage: python bench/repair_national.py [--store PATH] [--workers 2] [--bands 30000-50000 50000-70000]
       [--areas U2G6B,E09000030] [--polish-nodes N] [--time-limit S] [--csv FILE]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time
from pathlib import Path

import pandas as pd

from locality import settings, store
from locality.grouping import GroupingOptions, group_practices
from locality.grouping.compare import adjusted_rand_index, compare_with_today
from locality.grouping.repair import continuation
from locality.vocabulary import PLACEHOLDER_PCN

_STATE: dict = {}


def _init(path, polish_nodes, time_limit) -> None:
    _STATE["con"] = store.connect(path)
    _STATE["pcns"] = store.pcn_table(_STATE["con"])
    if polish_nodes is not None:
        settings.REPAIR_POLISH_NODES = polish_nodes
    if time_limit is not None:
        settings.REPAIR_TIME_LIMIT_S = time_limit


def run_one(args) -> dict:
    """Repair and freshly group one area; return its figures."""
    code, floor, ceiling = args
    con = _STATE["con"]
    p, lsoa, adj = store.grouping_inputs(con, store.area_type_of(con, code), code)
    t = time.perf_counter()
    fresh = group_practices(p, lsoa, adj, GroupingOptions(floor, ceiling))
    t_fresh = time.perf_counter() - t
    t = time.perf_counter()
    r = group_practices(p, lsoa, adj, GroupingOptions(floor, ceiling, mode="repair"))
    t_repair = time.perf_counter() - t
    rep = r.repair
    fresh_cmp = compare_with_today(fresh.assignment, _STATE["pcns"], floor, ceiling)
    real = r.assignment["pcn_code"] != PLACEHOLDER_PCN
    # the fresh grouping's moves counted as the repair counts them: each group continues at most one PCN
    fa = fresh.assignment
    freal = fa["pcn_code"] != PLACEHOLDER_PCN
    cont = continuation(fa, freal.astype(float))
    fresh_moved = int((freal & (fa["group"].map(cont) != fa["pcn_code"])).sum())
    return {
        "area": code, "practices": len(p), "pcns_before": rep.pcns_before, "outside_before": rep.pcns_outside_before,
        "groups_after": len(r.groups), "outside_after": int((r.groups["status"] != "within").sum()),
        "moved": rep.practices_moved, "patients_moved": rep.patients_moved, "lower_bound": rep.as_dict()["moves_lower_bound"],
        "proven": rep.proven, "methods": "+".join(sorted({x.method for x in rep.parts})) or "none",
        "forced": sum(e.forced for e in r.exceptions), "unforced": len(r.unforced), "contiguous": r.all_contiguous,
        "fresh_moved": fresh_moved, "fresh_moved_home": len(fresh_cmp.moves), "fresh_outside": int((fresh.groups["status"] != "within").sum()),
        "ari_repair": adjusted_rand_index(r.assignment.loc[real, "group"], r.assignment.loc[real, "pcn_code"]),
        "ari_fresh": fresh_cmp.ari, "seconds_repair": t_repair, "seconds_fresh": t_fresh,
    }


def _report(df: pd.DataFrame, floor: int, ceiling: int, secs: float) -> None:
    n = len(df)
    print(f"\n=== {floor:,}–{ceiling:,}: {n} sub-ICBs ===")
    print(f"today's PCNs outside the band (per sub-ICB): {df['outside_before'].sum():,} of {df['pcns_before'].sum():,}")
    print(f"groups outside the band after the repair:   {df['outside_after'].sum():,} of {df['groups_after'].sum():,} "
          f"({df['forced'].sum():,} forced exceptions, {df['unforced'].sum():,} not proven forced); "
          f"all contiguous: {bool(df['contiguous'].all())}")
    print(f"practices moved: {df['moved'].sum():,} of {df['practices'].sum():,} "
          f"({df['patients_moved'].sum():,} patients); lower bound {df['lower_bound'].sum():,} "
          f"(gap {df['moved'].sum() - df['lower_bound'].sum():,})")
    print(f"areas proven minimal: {int(df['proven'].sum())} of {n}; methods: "
          + ", ".join(f"{k} {v}" for k, v in df["methods"].value_counts().items()))
    print(f"fresh grouping (peer): {df['fresh_moved'].sum():,} practices move counted as the repair counts "
          f"(each group continues one PCN), {df['fresh_moved_home'].sum():,} by the page's home-group rule; "
          f"{df['fresh_outside'].sum():,} groups outside; repair moves "
          f"{df['moved'].sum() / max(df['fresh_moved'].sum(), 1):.2f}× as many")
    print(f"ARI against today's PCNs: repair median {df['ari_repair'].median():.2f}, "
          f"fresh median {df['ari_fresh'].median():.2f}")
    print(f"time: repair {df['seconds_repair'].sum():.0f} s in all (slowest {df['seconds_repair'].max():.1f} s, "
          f"{df.loc[df['seconds_repair'].idxmax(), 'area']}), fresh {df['seconds_fresh'].sum():.0f} s; "
          f"wall {secs:.0f} s; repair ÷ fresh time {df['seconds_repair'].sum() / max(df['seconds_fresh'].sum(), 1e-9):.1f}×")
    worst = df[~df["proven"]].assign(gap=lambda d: d["moved"] - d["lower_bound"]).sort_values("gap", ascending=False)
    if len(worst):
        print("not proven minimal (largest gaps): " + "; ".join(
            f"{r.area} {r.moved} moves, at least {r.lower_bound}" for r in worst.head(8).itertuples()))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--bands", nargs="*", default=["30000-50000", "50000-70000"])
    ap.add_argument("--areas", help="comma-separated sub-ICB codes (default: every sub-ICB)")
    ap.add_argument("--polish-nodes", type=int, help="override settings.REPAIR_POLISH_NODES (0 skips the "
                                                     "compactness model; the moves are unchanged)")
    ap.add_argument("--time-limit", type=float, help="override settings.REPAIR_TIME_LIMIT_S (seconds per part)")
    ap.add_argument("--csv", help="write one row per area and band (appended as each area finishes)")
    args = ap.parse_args()
    con = store.connect(args.store)
    subs = args.areas.split(",") if args.areas else sorted(store.areas(con, "sub_icb")["code"])
    con.close()
    ctx = mp.get_context("fork")
    frames = []
    for band in args.bands:
        floor, ceiling = map(int, band.split("-"))
        t = time.perf_counter()
        rows = []
        with ctx.Pool(args.workers, initializer=_init,
                      initargs=(args.store, args.polish_nodes, args.time_limit)) as pool:
            for row in pool.imap_unordered(run_one, [(s, floor, ceiling) for s in subs], chunksize=1):
                rows.append({**row, "floor": floor, "ceiling": ceiling})
                print(f"  {row['area']:>9} {floor // 1000}-{ceiling // 1000}k: {row['practices']:>3} practices, "
                      f"{row['outside_before']} of {row['pcns_before']} PCNs outside -> {row['outside_after']}; "
                      f"{row['moved']} moves (at least {row['lower_bound']}{', proven' if row['proven'] else ''}; "
                      f"fresh {row['fresh_moved']}) {row['seconds_repair']:.0f} s [{row['methods']}]", flush=True)
                if args.csv:
                    pd.DataFrame([rows[-1]]).to_csv(args.csv, mode="a", header=not Path(args.csv).exists(),
                                                    index=False)
        df = pd.DataFrame(rows)
        _report(df, floor, ceiling, time.perf_counter() - t)
        frames.append(df)


if __name__ == "__main__":
    main()
