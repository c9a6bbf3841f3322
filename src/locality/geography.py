"""Geometry helpers: projection, point-in-LSOA, dissolves and the 2026 sub-ICB geography."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from locality.settings import BNG, WGS84

#: Simplification tolerance, in metres, for polygons sent to a web map.
WEB_SIMPLIFY_M = 25.0


def to_bng(gdf):
    """Return ``gdf`` projected to British National Grid (EPSG:27700)."""
    return gdf.to_crs(BNG)


def bng_to_wgs84(easting, northing) -> tuple[np.ndarray, np.ndarray]:
    """Convert BNG easting/northing arrays to (lat, lon) arrays."""
    from pyproj import Transformer

    tr = Transformer.from_crs(BNG, WGS84, always_xy=True)
    lon, lat = tr.transform(np.asarray(easting, dtype=float), np.asarray(northing, dtype=float))
    return np.asarray(lat), np.asarray(lon)


def geoms_bng_to_wgs84(geoms: np.ndarray, tolerance_m: float = WEB_SIMPLIFY_M) -> np.ndarray:
    """Simplify BNG geometries (topology-preserving) and project them to WGS84 for a web map."""
    from pyproj import Transformer

    tr = Transformer.from_crs(BNG, WGS84, always_xy=True)
    simple = shapely.simplify(np.asarray(geoms), tolerance_m, preserve_topology=True)

    def _tx(coords: np.ndarray) -> np.ndarray:
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    out = shapely.transform(simple, _tx)
    return shapely.set_precision(out, 1e-6)


def locate_points(easting, northing, polygons: np.ndarray) -> np.ndarray:
    """Return, for each point, the index of the polygon containing it (-1 if none).

    Points on a shared edge go to the first polygon found; points outside every
    polygon (for example on the coast) go to the nearest polygon within 2 km.
    """
    e = np.asarray(easting, dtype=float)
    n = np.asarray(northing, dtype=float)
    out = np.full(len(e), -1, dtype=np.int64)
    ok = ~(np.isnan(e) | np.isnan(n))
    pts = shapely.points(e[ok], n[ok])
    tree = shapely.STRtree(polygons)
    pi, gi = tree.query(pts, predicate="intersects")
    idx_ok = np.flatnonzero(ok)
    # keep the first hit per point
    first = pd.Series(gi).groupby(pi).first()
    out[idx_ok[first.index.to_numpy()]] = first.to_numpy()
    missing = np.flatnonzero(ok)[np.isin(np.arange(ok.sum()), first.index.to_numpy(), invert=True)]
    if len(missing):
        mp = shapely.points(e[missing], n[missing])
        mi, mg = tree.query_nearest(mp, max_distance=2000, all_matches=False)
        out[missing[mi]] = mg
    return out


def union(parts: np.ndarray):
    """Union non-overlapping polygons (fast coverage union, falling back to a full union)."""
    if len(parts) == 1:
        return parts[0]
    try:
        geom = shapely.coverage_union_all(parts)
    except shapely.errors.GEOSException:
        geom = shapely.union_all(parts)
    return shapely.make_valid(geom)


def dissolve(geoms: np.ndarray, keys: pd.Series) -> pd.DataFrame:
    """Union the (non-overlapping) polygons in ``geoms`` for each distinct key.

    Returns
    -------
    pandas.DataFrame
        Columns ``key`` and ``geometry`` (shapely geometries).
    """
    frame = pd.DataFrame({"key": keys.to_numpy(), "geometry": geoms})
    rows = []
    for key, grp in frame.dropna(subset=["key"]).groupby("key", sort=True):
        rows.append((key, union(grp["geometry"].to_numpy())))
    return pd.DataFrame(rows, columns=["key", "geometry"])


def assign_orphan_lsoas(lsoa: pd.DataFrame, practices: pd.DataFrame, current_codes: set[str]) -> pd.Series:
    """Give LSOAs whose (older) sub-ICB no longer exists a current sub-ICB.

    The ONS LSOA→sub-ICB lookup lags NHS reorganisations (for example Frimley, abolished
    in 2026). For an LSOA whose looked-up sub-ICB is not in the current practice map, we
    take, within its local authority, the sub-ICB that most practices located in such
    LSOAs belong to now. LSOAs with no such practice in their local authority stay
    unassigned (None).

    Parameters
    ----------
    lsoa : DataFrame
        Columns ``lsoa21_code, sicbl_code`` (ONS code from the lookup) and ``lad_code``.
    practices : DataFrame
        Columns ``lsoa21_code`` (where the practice is) and ``sub_icb_ons_code`` (current).
    current_codes : set of str
        The ONS sub-ICB codes in the current practice map.

    Returns
    -------
    pandas.Series
        The current ONS sub-ICB code for every LSOA, aligned with ``lsoa``.
    """
    code = lsoa["sicbl_code"].where(lsoa["sicbl_code"].isin(current_codes))
    orphan = code.isna()
    if not orphan.any():
        return code
    orphan_lsoas = lsoa.loc[orphan, ["lsoa21_code", "lad_code"]]
    located = practices[["lsoa21_code", "sub_icb_ons_code"]].merge(orphan_lsoas, on="lsoa21_code", how="inner")
    if located.empty:
        return code
    mode = (
        located.groupby(["lad_code", "sub_icb_ons_code"]).size().rename("n").reset_index()
        .sort_values(["lad_code", "n", "sub_icb_ons_code"], ascending=[True, False, True])
        .drop_duplicates("lad_code").set_index("lad_code")["sub_icb_ons_code"]
    )
    code.loc[orphan] = lsoa.loc[orphan, "lad_code"].map(mode)
    return code


def adjacency(geoms: np.ndarray, min_shared_m: float = 1.0) -> pd.DataFrame:
    """Return rook adjacency between polygons: pairs that share a boundary of at least ``min_shared_m``.

    Parameters
    ----------
    geoms : array of shapely polygons
        In a projected CRS (metres).

    Returns
    -------
    pandas.DataFrame
        Columns ``a, b`` (indices into ``geoms``, ``a < b``) and ``shared_m``.
    """
    tree = shapely.STRtree(geoms)
    a, b = tree.query(geoms, predicate="intersects")
    keep = a < b
    a, b = a[keep], b[keep]
    shared = shapely.length(shapely.intersection(shapely.boundary(geoms[a]), shapely.boundary(geoms[b])))
    ok = shared >= min_shared_m
    return pd.DataFrame({"a": a[ok], "b": b[ok], "shared_m": shared[ok]})


def squared_distances(points_xy: np.ndarray, sites_xy: np.ndarray) -> np.ndarray:
    """Return the (n points, m sites) squared straight-line distances (BNG metres²)."""
    return ((points_xy[:, None, :] - sites_xy[None, :, :]) ** 2).sum(axis=2)


def nearest_index(points_xy: np.ndarray, sites_xy: np.ndarray) -> np.ndarray:
    """Return, for each point, the index of its nearest site by straight line (the first of equals).

    The one "nearest site" rule: grouping territories and the site engine's resident catchments
    both give each LSOA to the site its centroid is nearest to.

    Parameters
    ----------
    points_xy : (n, 2) array
        Points (BNG metres), e.g. LSOA centroids.
    sites_xy : (m, 2) array
        Sites (BNG metres).
    """
    return nearest_in(squared_distances(points_xy, sites_xy))


def nearest_in(d2: np.ndarray) -> np.ndarray:
    """Return each row's nearest column of a (points × sites) distance matrix: :func:`nearest_index`'s rule."""
    return np.argmin(d2, axis=1)
