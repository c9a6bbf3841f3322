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

import duckdb
import numpy as np
import pandas as pd

from locality import store
from locality.errors import SourceError
from locality.settings import find_raw_dir, source_file
from locality.sources import read_iod2019_road_distance, read_lsoa11_lsoa21
from locality.store.circuity import (
    IOD2019_KEY,
    SOURCE,
    estimate_circuity,
    pairs_from_frames,
)

THRESHOLDS = (0, 250, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000)


def practice_sites_as_of(con: duckdb.DuckDBPyConnection, epraccur_path: str | Path,
                         on: str = "2018-06-01") -> pd.DataFrame:
    """English GP practice main addresses open on a date, rebuilt from NHS ODS ``epraccur``.

    Used to check how much the 2018-vs-2026 premises mismatch moves the factor: ``epraccur``
    keeps closed practices with their open and close dates, so the list of practices (GP
    prescribing setting 4) open on ``on`` can be rebuilt and geocoded with the store's
    Code-Point Open postcodes (England only). Branch surgeries are not in ``epraccur``.

    Parameters
    ----------
    con : duckdb connection
        The store (its Code-Point Open postcodes).
    epraccur_path : path
        ``epraccur.csv`` (ODS standard layout, no header).
    on : str, default "2018-06-01"
        ISO date.

    Returns
    -------
    DataFrame
        ``practice_code, postcode, easting, northing``.
    """
    path = Path(epraccur_path)
    if not path.is_file():
        raise SourceError(path.name, "file not found")
    raw = pd.read_csv(path, header=None, dtype=str, usecols=[0, 9, 10, 11, 25], keep_default_na=False)
    raw.columns = ["practice_code", "postcode", "open_date", "close_date", "setting"]
    day = int(pd.Timestamp(on).strftime("%Y%m%d"))
    opened = pd.to_numeric(raw["open_date"], errors="coerce")
    closed = pd.to_numeric(raw["close_date"], errors="coerce")
    live = raw[(raw["setting"].str.strip() == "4") & (opened <= day) & (closed.isna() | (closed > day))].copy()
    compact = live["postcode"].str.upper().str.replace(" ", "", regex=False)
    live["postcode"] = compact.str[:-3] + " " + compact.str[-3:]
    out = live[["practice_code", "postcode"]].merge(store.england_postcodes(con), on="postcode", how="inner")
    return out.astype({"easting": float, "northing": float}).reset_index(drop=True)


def lsoa_pairs(con: duckdb.DuckDBPyConnection, iod2019_path: str | Path, lookup_path: str | Path,
               sites: pd.DataFrame | None = None, change_codes: tuple[str, ...] = ("U",)) -> pd.DataFrame:
    """Per-LSOA 2021 road distance (IoD2019) and straight-line distance to the nearest site.

    Parameters
    ----------
    con : duckdb connection
        The store (its LSOA centroids and, when ``sites`` is omitted, its practice sites).
    iod2019_path : path
        IoD2019 underlying indicators by LSOA 2011.
    lookup_path : path
        ONS LSOA11→LSOA21 lookup.
    sites : DataFrame, optional
        ``easting, northing`` of the sites to measure to; the store's practice sites (mid-2026)
        when omitted. See :func:`practice_sites_as_of` for a c.2018 list.
    change_codes : tuple of str, default ("U",)
        Which LSOA11→LSOA21 changes to keep (see :func:`locality.store.circuity.pairs_from_frames`).

    Returns
    -------
    DataFrame
        ``lsoa21_code, lsoa11_code, change_code, road_km, straight_m, residents, ruc,
        region_code`` — one row per LSOA 2021 in the store with a road distance.
    """
    iod = read_iod2019_road_distance(iod2019_path)
    lookup = read_lsoa11_lsoa21(lookup_path)
    lsoa = store.lsoa_centroids(con)
    if sites is None:
        sites = store.site_locations(con)
    return pairs_from_frames(lsoa, sites, lookup, iod, change_codes)


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
    counts = store.info(con)
    print(f"pairs: {len(pairs):,} unchanged LSOAs (of {counts['lsoas']:,}) "
          f"in {t_pairs:.2f} s; estimate with {args.boot} bootstrap resamples in {t_est:.2f} s; total {total:.2f} s")
    print(f"method: {nat.method}")
    print()
    print(f"{'':<34} {'factor':>5}  bootstrap 95%      per-LSOA ratio")
    print(line("England", nat))

    print("\nBy urban/rural (RUC 2021):")
    for ruc, g in pairs.groupby("ruc"):
        print(line(f"  {ruc}", estimate_circuity(g["road_km"], g["straight_m"], g["residents"], n_boot=args.boot)))

    print("\nBy NHS region:")
    regions = store.areas(con, "region")
    names = dict(zip(regions["code"], regions["name"], strict=True))
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
    print(f"  store sites (mid-2026): {counts['sites']:,} sites; "
          f"median straight line {pairs['straight_m'].median():.0f} m vs median IoD road distance "
          f"{pairs['road_km'].median() * 1000:.0f} m")

    print(f"\nsource: {SOURCE}")
    con.close()


if __name__ == "__main__":
    main()
