"""How good is each travel measure? Valhalla on the Rutland OSM extract against AHAH v3 and straight line × circuity.

Prints, for Rutland (E06000017; OSM extract of 2022-07-20, SOURCES.md §15):

1. the tile build time and size;
2. the matrix time for Rutland's 26 LSOAs × its practices (Oakham, Uppingham, Empingham, Market
   Overton & Somerby, plus Lakeside Stamford across the border), by car and on foot;
3. against AHAH v3 (CDRC): our drive time from each LSOA's population centre to the nearest
   practice site in the store within reach, beside AHAH's (median of the LSOA's postcodes, OS Open
   Roads, GP sites of February 2022), with the median absolute difference and the correlation;
4. against straight line × circuity (the store's factor): on the same LSOA × practice pairs, the
   ratio of Valhalla's road (and footpath) distance to the straight line, where it is worst, and how
   often the nearest practice differs;
5. a scaling estimate: matrix time against the number of pairs (random points in Rutland), and
   what a county and an ICB would cost on that footing.

The peer is CDRC's AHAH v3 (a published national routing). Asserts nothing.

Usage: python bench/travel.py [--store PATH] [--pbf FILE]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from locality import store
from locality.settings import find_raw_dir
from locality.travel.networks import build_network
from locality.travel.valhalla import demand_lonlat, lonlat, road_matrix

RUTLAND = "E06000017"
PRACTICES = {"C82010": "Oakham", "C82077": "Uppingham", "C82044": "Empingham",
             "C82649": "Market Overton & Somerby", "C83007": "Lakeside Stamford"}
PBF = "osm_geofabrik_rutland_2022_07/rutland-latest.osm.pbf"


def _timed(fn, *args, **kwargs):
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


def main() -> None:
    """Run every comparison and print it."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", help="store path (default: data/locality.duckdb)")
    p.add_argument("--pbf", help=f"OSM extract (default: the raw data's {PBF})")
    args = p.parse_args()
    pbf = Path(args.pbf) if args.pbf else (find_raw_dir() or Path("data/raw")) / PBF
    con = store.connect(args.store)

    with tempfile.TemporaryDirectory() as tmp:
        net, secs = _timed(build_network, pbf, "rutland", dest=Path(tmp), progress=lambda _m: None)
        pv = net.provenance
        print(f"1. Tiles: built from {pbf.name} ({pv['pbf_bytes'] / 1e6:.2f} MB, OSM {pv['replication_timestamp']}) "
              f"in {secs:.2f} s; tiles.tar {pv['tiles_bytes'] / 1e6:.2f} MB")

        lsoas = store.lsoas(con, "lad", RUTLAND, with_geometry=False)
        lsoas = lsoas.merge(store.lsoa_population_centres(con, list(lsoas["lsoa21_code"])), on="lsoa21_code")
        pr = pd.concat([store.practices(con, "sub_icb", s) for s in
                        sorted(set(store.sub_icbs_of_practices(con, list(PRACTICES)).values()))])
        pr = pr[pr["practice_code"].isin(PRACTICES)].set_index("practice_code").loc[list(PRACTICES)]
        origins, sites = demand_lonlat(lsoas), lonlat(pr["easting"], pr["northing"])
        _, t_load = _timed(road_matrix, net, origins[:1], sites[:1], "drive", cache=False)
        print(f"   Loading the tiles into Valhalla (once per process): {1000 * t_load:.0f} ms")
        drive, t_drive = _timed(road_matrix, net, origins, sites, "drive", cache=False)
        walk, t_walk = _timed(road_matrix, net, origins, sites, "walk", cache=False)
        road_matrix(net, origins, sites, "drive")  # fills the cache
        again, t_cached = _timed(road_matrix, net, origins, sites, "drive")
        n, m = drive.minutes.shape
        print(f"2. Matrix {n} LSOAs × {m} practices ({n * m} pairs): drive {1000 * t_drive:.0f} ms, walk "
              f"{1000 * t_walk:.0f} ms; second run from the cache {1000 * t_cached:.1f} ms "
              f"(cached={again.cached}); unroutable pairs: drive {len(drive.unroutable())}, walk "
              f"{len(walk.unroutable())}")
        for code, name in PRACTICES.items():
            j = list(PRACTICES).index(code)
            print(f"     {name:<26} nearest for {int((drive.minutes.argmin(axis=1) == j).sum()):>2} LSOAs; "
                  f"median drive {np.median(drive.minutes[:, j]):5.1f} min, walk {np.median(walk.minutes[:, j]):6.1f} min")

        _against_ahah(con, net, lsoas, origins)
        _against_circuity(con, lsoas, pr, drive, walk)
        _scaling(net)


def _against_ahah(con, net, lsoas: pd.DataFrame, origins: np.ndarray) -> None:
    x0, y0, x1, y1 = net.bbox
    every = store.site_locations(con)
    ll = lonlat(every["easting"], every["northing"])
    near = ll[(ll[:, 0] > x0 - 0.1) & (ll[:, 0] < x1 + 0.1) & (ll[:, 1] > y0 - 0.07) & (ll[:, 1] < y1 + 0.07)]
    d = road_matrix(net, origins, near, "drive", cache=False)
    ours = np.nanmin(d.minutes, axis=1)
    ahah = lsoas["ahah_gp_minutes"].to_numpy(dtype=float)
    diff = ours - ahah
    r = np.corrcoef(ours, ahah)[0, 1]
    print(f"3. Against AHAH v3 (CDRC), drive minutes to the nearest GP site, {len(ours)} Rutland LSOAs "
          f"({len(near)} practice sites in or near the extract):")
    print(f"     ours median {np.median(ours):.1f} min, AHAH median {np.median(ahah):.1f} min; median |difference| "
          f"{np.median(np.abs(diff)):.1f} min, mean difference {diff.mean():+.1f} min; Pearson r = {r:.2f}")
    order = np.argsort(-np.abs(diff))[:3]
    for i in order:
        print(f"     largest: {lsoas['lsoa21_code'].iloc[i]} {lsoas['lsoa21_name'].iloc[i]:<14} ours {ours[i]:5.1f}, "
              f"AHAH {ahah[i]:5.1f} min")
    beyond = lsoas["residents"].to_numpy()[ours > 10].sum() / lsoas["residents"].sum()
    beyond_ahah = lsoas["residents"].to_numpy()[ahah > 10].sum() / lsoas["residents"].sum()
    print(f"     residents more than 10 min' drive from a practice: ours {100 * beyond:.1f}%, AHAH "
          f"{100 * beyond_ahah:.1f}%")


def _against_circuity(con, lsoas: pd.DataFrame, pr: pd.DataFrame, drive, walk) -> None:
    factor = store.default_circuity(con).factor
    e = np.where(lsoas["pop_centre_e"].notna(), lsoas["pop_centre_e"], lsoas["centroid_e"]).astype(float)
    nn = np.where(lsoas["pop_centre_n"].notna(), lsoas["pop_centre_n"], lsoas["centroid_n"]).astype(float)
    straight = np.hypot(e[:, None] - pr["easting"].to_numpy()[None, :], nn[:, None] - pr["northing"].to_numpy()[None, :])
    ok = straight > 1_000
    print(f"4. Straight line × circuity ({factor:g}) against Valhalla, the same {ok.sum()} pairs over 1 km:")
    for label, mat in (("drive", drive), ("walk", walk)):
        ratio = (1000 * mat.km / straight)[ok]
        q = np.percentile(ratio, [10, 50, 90])
        print(f"     {label}: road ÷ straight-line distance median {q[1]:.2f} (10th–90th percentile {q[0]:.2f}–"
              f"{q[2]:.2f}) against {factor:g}; straight × {factor:g} ÷ road: median {np.median(factor / ratio):.2f}")
        worst = np.unravel_index(np.argmax(np.where(ok, 1000 * mat.km / np.maximum(straight, 1), 0)), straight.shape)
        i, j = worst
        print(f"       worst: {lsoas['lsoa21_code'].iloc[i]} {lsoas['lsoa21_name'].iloc[i]} → {PRACTICES[pr.index[j]]}: "
              f"{straight[i, j] / 1000:.1f} km straight, {mat.km[i, j]:.1f} km by {label} "
              f"(ratio {1000 * mat.km[i, j] / straight[i, j]:.2f}), {mat.minutes[i, j]:.0f} min")
    speed = 60 * drive.km[ok] / drive.minutes[ok]
    print(f"     drive speed implied: median {np.median(speed):.0f} km/h (so 1 km of straight line × {factor:g} ≈ "
          f"{60 * factor / np.median(speed):.1f} min by car); walk {np.median(60 * walk.km[ok] / walk.minutes[ok]):.1f} km/h")
    nearest_s = straight.argmin(axis=1)
    for label, mat in (("drive", drive), ("walk", walk)):
        differs = (mat.minutes.argmin(axis=1) != nearest_s).sum()
        print(f"     nearest practice by straight line differs from the nearest by {label} time for {differs} of "
              f"{len(nearest_s)} LSOAs")


def _scaling(net) -> None:
    rng = np.random.default_rng(0)
    x0, y0, x1, y1 = net.bbox
    print("5. Scaling (random points in Rutland, drive, no cache):")
    rows = []
    for n, m in ((26, 5), (50, 20), (100, 50), (200, 100), (400, 100)):
        pts = np.column_stack([rng.uniform(x0 + 0.05, x1 - 0.05, n + m), rng.uniform(y0 + 0.03, y1 - 0.03, n + m)])
        _, secs = _timed(road_matrix, net, pts[:n], pts[n:], "drive", cache=False)
        rows.append((n * m, secs))
        print(f"     {n:>4} × {m:>3} = {n * m:>6,} pairs: {secs:6.2f} s ({1e6 * secs / (n * m):6.0f} µs a pair)")
    pairs, secs = np.array(rows).T
    slope, intercept = np.polyfit(pairs, secs, 1)
    for what, n, m in (("a county (350 LSOAs × 60 sites)", 350, 60), ("an ICB (1,200 LSOAs × 300 sites)", 1200, 300)):
        print(f"     estimate for {what}: {intercept + slope * n * m:.0f} s on this footing (longer trips on a "
              "larger network cost more per pair; the cache makes every later run instant)")


if __name__ == "__main__":
    main()
