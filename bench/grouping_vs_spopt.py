"""Speed and bound violations: our grouping engine against spopt's MaxPHeuristic, in one run.

Both tools get the same inputs: the sub-ICB's units (sites; co-located practices together),
their registered patients, positions, and the adjacency of their LSOA catchments. spopt's
max-p enforces only a floor, so its groups above the ceiling are counted; a group above the
ceiling is "avoidable" beyond the number our engine proved forced (a single site above the
ceiling, a pendant part, or an exhaustive check). Times are medians of --repeat runs.

Usage: pip install -r bench/requirements.txt; python bench/grouping_vs_spopt.py [--areas W2U3Z U2G6B 06T]
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import geopandas as gpd
import numpy as np
import shapely

from locality import store
from locality.grouping import GroupingOptions, GroupingProblem

warnings.filterwarnings("ignore")


def spopt_run(ug, floor: int, seed: int):
    import libpysal
    from spopt.region import MaxPHeuristic

    n = len(ug.weights)
    nbrs = {i: sorted(ug.territory.unit_neighbours[i]) for i in range(n)}
    w = libpysal.weights.W(nbrs, silence_warnings=True)
    gdf = gpd.GeoDataFrame({"patients": ug.weights, "x": ug.xy[:, 0], "y": ug.xy[:, 1]},
                           geometry=shapely.points(ug.xy), crs="EPSG:27700")
    np.random.seed(seed)
    t = time.perf_counter()
    model = MaxPHeuristic(gdf, w, ["x", "y"], "patients", floor, top_n=2)
    model.solve()
    secs = time.perf_counter() - t
    labels = np.asarray(model.labels_)
    pops = [float(ug.weights[labels == g].sum()) for g in np.unique(labels)]
    return secs, pops


def count(pops, floor, ceiling, forced_above):
    """(groups below the floor, above the ceiling, above it beyond what is proven unavoidable)."""
    below = sum(p < floor for p in pops)
    above = sum(p > ceiling for p in pops)
    return below, above, max(0, above - forced_above)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--areas", nargs="*", default=["W2U3Z", "U2G6B", "06T", "M1J4Y"])
    ap.add_argument("--floor", type=int, default=30_000)
    ap.add_argument("--ceiling", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="runs per tool; the median time is reported")
    ap.add_argument("--store")
    args = ap.parse_args()
    con = store.connect(args.store)
    print(f"band {args.floor:,}–{args.ceiling:,}; spopt MaxPHeuristic uses the floor only")
    print(f"{'area':>6} {'units':>5} | {'ours s':>7} {'groups':>6} {'below':>5} {'above':>5} {'avoidable':>9} |"
          f" {'spopt s':>7} {'groups':>6} {'below':>5} {'above':>5} {'avoidable':>9} {'>70k':>4} | ratio")
    for code in args.areas:
        p, lsoa, adj = store.grouping_inputs(con, "sub_icb", code)
        prob = GroupingProblem(p, lsoa, adj, GroupingOptions(args.floor, args.ceiling, seed=args.seed))
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            res = prob.solve()
            times.append(time.perf_counter() - t)
        ours = statistics.median(times)
        ug = prob.unit_graph()
        # groups above the ceiling that our engine proved forced (single sites, pendant parts, exhaustive checks)
        forced_above = sum(1 for e in res.exceptions if e.forced and e.patients > args.ceiling)
        o = count([float(x) for x in res.groups["patients"]], args.floor, args.ceiling, forced_above)
        runs = [spopt_run(ug, args.floor, args.seed + r) for r in range(args.repeat)]
        s_secs = statistics.median(r[0] for r in runs)
        s_pops = runs[0][1]
        s = count(s_pops, args.floor, args.ceiling, forced_above)
        over70 = sum(x > 70_000 for x in s_pops)
        print(f"{code:>6} {len(ug.weights):>5} | {ours:>7.2f} {len(res.groups):>6} {o[0]:>5} {o[1]:>5} {o[2]:>9} |"
              f" {s_secs:>7.2f} {len(s_pops):>6} {s[0]:>5} {s[1]:>5} {s[2]:>9} {over70:>4} | {s_secs / ours:.1f}x")


if __name__ == "__main__":
    main()
