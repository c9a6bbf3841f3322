"""Circuity factor derived from IoD2019 road distances to a GP surgery: national, by region and urban/rural.

Prints the national factor (mode of the residents-weighted log ratio, LSOAs with
√(road × straight) ≥ 1 km), its bootstrap 95 % interval and the interquartile range of the
per-LSOA ratios, the same by NHS region and by urban/rural (RUC 2021), the sensitivity to the
distance threshold (and to selecting on the straight line alone), other estimators for
comparison (median, ratio of weighted sums), and checks of the data choices: split LSOAs
included, and c.2018 practice sites (rebuilt from epraccur) instead of the store's 2026 sites.
Asserts nothing.

Usage: python bench/circuity.py [--store PATH] [--raw DIR] [--boot 200]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from locality import store
from locality.settings import find_raw_dir, source_file
from locality.store.circuity import (
    IOD2019_KEY,
    SOURCE,
    estimate_circuity,
    lsoa_pairs,
    practice_sites_as_of,
)

THRESHOLDS = (0, 250, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000)


def line(label: str, e) -> str:
    return (f"{label:<34} {e.factor:5.2f}  [{e.ci_low:.3f}, {e.ci_high:.3f}]  IQR {e.ratio_q25:.2f}–{e.ratio_q75:.2f}"
            f"  median {e.median_ratio:.3f}  n={e.lsoas_used:,}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", help="store (default: the app's store)")
    ap.add_argument("--raw", help="raw-data directory (default: found as the app does)")
    ap.add_argument("--boot", type=int, default=200, help="bootstrap resamples")
    args = ap.parse_args()
    raw = Path(args.raw) if args.raw else find_raw_dir()
    con = store.connect(args.store) if args.store else store.connect()
    iod, lookup = source_file(raw, IOD2019_KEY), source_file(raw, "lsoa_lad_lookup")

    t0 = time.perf_counter()
    pairs = lsoa_pairs(con, iod, lookup)
    t_pairs = time.perf_counter() - t0
    t1 = time.perf_counter()
    nat = estimate_circuity(pairs["road_km"], pairs["straight_m"], pairs["residents"], n_boot=args.boot)
    t_est = time.perf_counter() - t1
    total = time.perf_counter() - t0

    print("Circuity factor (road ÷ straight-line distance), from IoD2019 'Road distance to a GP surgery'")
    print(f"pairs: {len(pairs):,} unchanged LSOAs (of {con.execute('SELECT count(*) FROM lsoa').fetchone()[0]:,}) "
          f"in {t_pairs:.2f} s; estimate with {args.boot} bootstrap resamples in {t_est:.2f} s; total {total:.2f} s")
    print(f"method: {nat.method}")
    print()
    print(f"{'':<34} {'factor':>5}  bootstrap 95%      per-LSOA ratio")
    print(line("England", nat))

    print("\nBy urban/rural (RUC 2021):")
    for ruc, g in pairs.groupby("ruc"):
        print(line(f"  {ruc}", estimate_circuity(g["road_km"], g["straight_m"], g["residents"], n_boot=args.boot)))

    print("\nBy NHS region:")
    names = dict(con.execute("SELECT code, name FROM area WHERE area_type = 'region'").fetchall())
    for code, g in pairs.groupby("region_code"):
        e = estimate_circuity(g["road_km"], g["straight_m"], g["residents"], n_boot=args.boot)
        print(line(f"  {names.get(code, code)[:32]}", e))

    print("\nSensitivity to the distance threshold (mode; England):")
    print(f"  {'threshold':>9}  {'√(road×straight) ≥ T':>30}  {'straight ≥ T (biased)':>30}")
    for t in THRESHOLDS:
        cells = []
        for on in ("geomean", "straight"):
            e = estimate_circuity(pairs["road_km"], pairs["straight_m"], pairs["residents"], min_distance_m=t,
                                  select_on=on, n_boot=args.boot)
            cells.append(f"{e.factor:.2f} [{e.ci_low:.2f}, {e.ci_high:.2f}] n={e.lsoas_used:>6,}")
        print(f"  {t:>7,} m  {cells[0]:>30}  {cells[1]:>30}")
    print("  by urban/rural, √(road×straight) ≥ T:")
    for t in THRESHOLDS:
        cells = []
        for ruc, g in pairs.groupby("ruc"):
            e = estimate_circuity(g["road_km"], g["straight_m"], g["residents"], min_distance_m=t, n_boot=0)
            cells.append(f"{ruc} {e.factor:.2f} (n={e.lsoas_used:>6,})")
        print(f"  {t:>7,} m  " + "  ".join(cells))

    print("\nOther estimators on the same pairs (√(road×straight) ≥ 1 km), for comparison:")
    sel = np.sqrt(pairs["road_km"] * 1000 * pairs["straight_m"]) >= 1000
    p = pairs[sel]
    w = p["residents"].to_numpy(float)
    sums = float((w * p["road_km"] * 1000).sum() / (w * p["straight_m"]).sum())
    print(f"  mode of log ratio (chosen)      {nat.factor:.3f}")
    print(f"  weighted median of ratios       {nat.median_ratio:.3f}  (= through-origin Theil–Sen slope)")
    print(f"  ratio of weighted sums          {sums:.3f}")

    print("\nData choices (mode, √(road×straight) ≥ 1 km):")
    both = lsoa_pairs(con, iod, lookup, change_codes=("U", "S"))
    print(line("  unchanged + split LSOAs", estimate_circuity(both["road_km"], both["straight_m"], both["residents"],
                                                           n_boot=args.boot)))
    for day in ("2018-06-01", "2019-01-01"):
        s = practice_sites_as_of(con, source_file(raw, "epraccur"), day)
        old = lsoa_pairs(con, iod, lookup, sites=s)
        print(line(f"  practice sites open {day}", estimate_circuity(old["road_km"], old["straight_m"],
                                                                     old["residents"], n_boot=args.boot))
              + f"  ({len(s):,} practices)")
    print(f"  store sites (mid-2026): {con.execute('SELECT count(*) FROM site').fetchone()[0]:,} sites; "
          f"median straight line {pairs['straight_m'].median():.0f} m vs median IoD road distance "
          f"{pairs['road_km'].median() * 1000:.0f} m")

    print(f"\nsource: {SOURCE}")
    con.close()


if __name__ == "__main__":
    main()
