"""Benchmark: board-pack export time per sub-ICB (the issue's target: under 15 s per sub-ICB).

For East Berkshire (U2G6B) and the sub-ICBs with the most practices, it saves a 30–50k grouping
scenario (East Berkshire with Ascot's site option too), then times what
``python -m locality export`` does: re-run the scenario, build the pack, render PDF and PPTX.
There is no open peer that makes board packs from this data, so it prints times against the
15 s target. Asserts nothing.

Usage: python bench/export.py [--store PATH] [--largest 5]
"""

from __future__ import annotations

import argparse
import time

from locality import scenarios, store
from locality.grouping import GroupingOptions
from locality.outputs import boardpack

ASCOT = ["K81010", "K81028", "K81076", "K81655"]
TARGET_S = 15.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", help="store path (default: data/locality.duckdb or LOCALITY_STORE)")
    ap.add_argument("--largest", type=int, default=5, help="how many of the largest sub-ICBs to add")
    args = ap.parse_args()
    con = store.connect(args.store)
    largest = [r[0] for r in con.execute(
        "SELECT sub_icb_code FROM practice GROUP BY 1 ORDER BY count(*) DESC LIMIT ?", [args.largest]).fetchall()]
    print(f"{'sub-ICB':<8} {'practices':>9} {'re-run s':>9} {'PDF s':>7} {'PPTX s':>7} {'total s':>8}")
    worst = 0.0
    for code in dict.fromkeys(["U2G6B", *largest]):
        sites = {"practices": ASCOT, "chosen_k": 2} if code == "U2G6B" else None
        doc = scenarios.new_scenario(f"bench {code}", code, "", GroupingOptions(30_000, 50_000), sites)
        t0 = time.perf_counter()
        run = scenarios.run_scenario(con, doc)
        rerun = time.perf_counter() - t0
        _, pdf_s = boardpack.export(con, run, "pdf")
        _, pptx_s = boardpack.export(con, run, "pptx")
        n = len(run.grouping.result.assignment)
        total = rerun + max(pdf_s, pptx_s)
        worst = max(worst, total)
        print(f"{code:<8} {n:>9} {rerun:>9.2f} {pdf_s:>7.2f} {pptx_s:>7.2f} {total:>8.2f}")
    print(f"slowest re-run + one format: {worst:.1f} s; target {TARGET_S:.0f} s; "
          f"headroom {TARGET_S / worst:.1f}x")


if __name__ == "__main__":
    main()
