"""Benchmark: national store build time and size, and one sub-ICB's practice query.

Peer for the query: pandas reading the published practice map CSV and filtering it, which
is what an analyst without the store would do. Prints times and the ratio; asserts nothing.

Usage: python bench/build.py [--store PATH] [--skip-build]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from locality import store
from locality.settings import find_raw_dir, source_file
from locality.store.build import build_store


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", help="store to query (default: build a fresh one in a temp dir)")
    ap.add_argument("--area", default="U2G6B")
    args = ap.parse_args()
    raw = find_raw_dir()
    if args.store:
        path = Path(args.store)
    else:
        path = Path(tempfile.mkdtemp()) / "locality.duckdb"
        t = time.perf_counter()
        build_store(raw, path, progress=lambda _m: None)
        secs = time.perf_counter() - t
        print(f"national build: {secs:.1f} s (target <= 90 s), store size {path.stat().st_size / 1e6:.1f} MB")

    con = store.connect(path)
    store.practices(con, "sub_icb", args.area)  # warm
    q = []
    for _ in range(50):
        t = time.perf_counter()
        df = store.practices(con, "sub_icb", args.area)
        q.append(time.perf_counter() - t)
    ours = statistics.median(q)

    peer = []
    for _ in range(5):
        t = time.perf_counter()
        m = pd.read_csv(source_file(raw, "practice_map"))
        m[m["SUB_ICB_LOCATION_CODE"] == args.area]
        peer.append(time.perf_counter() - t)
    theirs = statistics.median(peer)
    print(f"sub-ICB {args.area} practice query: {ours * 1000:.1f} ms median of 50 ({len(df)} practices; target < 50 ms)")
    print(f"peer (pandas on the raw CSV): {theirs * 1000:.1f} ms; ratio peer/ours = {theirs / ours:.1f}x")


if __name__ == "__main__":
    main()
