"""Drive and walk minutes on a built road network, from Valhalla's matrix service (offline).

:func:`road_matrix` gives the minutes from each origin to each destination with the pairs that
cannot be routed listed (a point with no road within reach, or roads that do not connect), never
a silent infinity. Matrices are cached beside the tiles, keyed by the tiles' sha256, the mode and
the points, so a second run is instant. :func:`road_travel` turns one into the site engine's
:class:`~locality.travel.TravelCost`, refusing a matrix with unroutable pairs.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from locality.errors import SitesError
from locality.travel import TravelCost
from locality.travel.networks import RoadNetwork, valhalla_config

#: Travel modes: the name a planner reads → Valhalla's costing model.
MODES = {"drive": "auto", "walk": "pedestrian"}
#: How the outputs name each mode.
MODE_WORDS = {"drive": "drive", "walk": "walking"}
#: Origins per matrix request (a county's LSOAs × its practices in a few requests).
CHUNK = 200
#: A point snapped to a road further than this (metres) is noted: its minutes start from that road.
SNAP_NOTE_M = 500.0
#: A point further than this from every road of the network (metres) cannot be routed.
MAX_SNAP_M = 5_000.0


@dataclass(frozen=True)
class RoadMatrix:
    """Minutes from origins to destinations on a road network.

    Attributes
    ----------
    minutes : ndarray
        (origins, destinations); NaN where a pair cannot be routed.
    snap_m : ndarray
        How far each origin (first) and destination (then) was moved to reach a road, metres
        (NaN where no road was within reach).
    mode : {"drive", "walk"}
    network : RoadNetwork
    km : ndarray
        (origins, destinations) route length, km; NaN where not routed.
    cached : bool
        Whether the figures came from the cache.
    """

    minutes: np.ndarray
    snap_m: np.ndarray
    mode: str
    network: RoadNetwork
    km: np.ndarray
    cached: bool = False

    def unroutable(self) -> list[tuple[int, int]]:
        """Return the (origin, destination) index pairs that cannot be routed."""
        return [(int(i), int(j)) for i, j in zip(*np.nonzero(np.isnan(self.minutes)), strict=True)]


@lru_cache(maxsize=4)
def _actor(tiles: str, sha: str):
    """Return a Valhalla actor on a tile extract (one per extract and contents)."""
    import valhalla

    config = valhalla_config(tile_extract=tiles)
    config["logging"] = {"type": ""}  # Valhalla's services log to stdout unless told not to
    config["mjolnir"]["logging"] = {"type": ""}
    config["mjolnir"]["traffic_extract"] = ""
    return valhalla.Actor(config)


def _key(network: RoadNetwork, mode: str, origins: np.ndarray, destinations: np.ndarray) -> str:
    h = hashlib.sha256(f"{network.tiles_sha256}|{mode}|{CHUNK}|km|".encode())
    h.update(np.round(origins, 6).astype("<f8").tobytes())
    h.update(b"|")
    h.update(np.round(destinations, 6).astype("<f8").tobytes())
    return h.hexdigest()[:32]


def _haversine_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 6_371_008.8 * 2 * np.arcsin(np.sqrt(a))


def road_matrix(network: RoadNetwork, origins: np.ndarray, destinations: np.ndarray, mode: str,
                cache: bool = True) -> RoadMatrix:
    """Return the minutes from each origin to each destination by road (``drive``) or on foot (``walk``).

    Parameters
    ----------
    network : RoadNetwork
        A built network (:func:`locality.travel.networks.network`).
    origins, destinations : ndarray
        (n, 2) WGS84 ``lon, lat``.
    mode : {"drive", "walk"}
    cache : bool
        Read and write the cache beside the tiles.
    """
    if mode not in MODES:
        raise SitesError(f"Travel mode must be one of {', '.join(MODES)} (got {mode!r}).")
    origins = np.asarray(origins, dtype=float).reshape(-1, 2)
    destinations = np.asarray(destinations, dtype=float).reshape(-1, 2)
    folder = network.path / "matrices"
    file = folder / f"{mode}-{_key(network, mode, origins, destinations)}.npz"
    if cache and file.is_file():
        with np.load(file) as z:
            return RoadMatrix(z["minutes"], z["snap_m"], mode, network, z["km"], cached=True)
    actor = _actor(str(network.tiles), network.tiles_sha256)
    costing = MODES[mode]
    points = np.vstack([origins, destinations])
    snapped = _locate(actor, points, costing)
    snap_m = _haversine_m(points[:, 0], points[:, 1], snapped[:, 0], snapped[:, 1])
    minutes = np.full((len(origins), len(destinations)), np.nan)
    km = minutes.copy()
    ok_o = np.flatnonzero(~np.isnan(snapped[: len(origins), 0]))
    ok_d = np.flatnonzero(~np.isnan(snapped[len(origins):, 0]))
    if len(ok_o) and len(ok_d):
        targets = [{"lon": float(x), "lat": float(y)} for x, y in destinations[ok_d]]
        for start in range(0, len(ok_o), CHUNK):
            rows = ok_o[start:start + CHUNK]
            minutes[np.ix_(rows, ok_d)], km[np.ix_(rows, ok_d)] = _matrix_rows(actor, origins[rows], targets, costing)
    out = RoadMatrix(minutes, snap_m, mode, network, km)
    if cache:
        folder.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".matrix-", suffix=".npz", dir=folder)
        os.close(fd)
        np.savez(tmp, minutes=minutes, snap_m=snap_m, km=km)
        os.replace(tmp, file)
    return out


def _locate(actor, points: np.ndarray, costing: str) -> np.ndarray:
    """Return where each point meets the network (``lon, lat``; NaN for no road within reach)."""
    out = np.full(points.shape, np.nan)
    for start in range(0, len(points), CHUNK):
        chunk = points[start:start + CHUNK]
        res = actor.locate({"locations": [{"lon": float(x), "lat": float(y)} for x, y in chunk],
                            "costing": costing})
        for i, r in enumerate(res):
            edges = r.get("edges") or []
            if edges:
                out[start + i] = (edges[0]["correlated_lon"], edges[0]["correlated_lat"])
    far = _haversine_m(points[:, 0], points[:, 1], out[:, 0], out[:, 1]) > MAX_SNAP_M
    out[far] = np.nan
    return out


def _matrix_rows(actor, origins: np.ndarray, targets: list[dict], costing: str) -> tuple[np.ndarray, np.ndarray]:
    """Return minutes and km from some origins to every target; a row that cannot be routed at all is NaN."""
    import valhalla

    req = {"sources": [{"lon": float(x), "lat": float(y)} for x, y in origins], "targets": targets,
           "costing": costing}
    try:
        res = actor.matrix(req)
    except valhalla.ValhallaError:
        if len(origins) == 1:
            return np.full((1, len(targets)), np.nan), np.full((1, len(targets)), np.nan)
        rows = [_matrix_rows(actor, origins[i:i + 1], targets, costing) for i in range(len(origins))]
        return np.vstack([r[0] for r in rows]), np.vstack([r[1] for r in rows])
    if isinstance(res, str):
        res = json.loads(res)
    out = np.full((len(origins), len(targets)), np.nan)
    km = out.copy()
    for i, row in enumerate(res["sources_to_targets"]):
        for j, cell in enumerate(row):
            if cell.get("time") is not None:
                out[i, j] = cell["time"] / 60.0
                km[i, j] = cell.get("distance", np.nan)
    return out, km


@lru_cache(maxsize=1)
def _to_wgs84():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def lonlat(easting, northing) -> np.ndarray:
    """Return (n, 2) WGS84 ``lon, lat`` of British National Grid points."""
    lon, lat = _to_wgs84().transform(np.asarray(easting, dtype=float), np.asarray(northing, dtype=float))
    return np.column_stack([lon, lat])


def demand_lonlat(points: pd.DataFrame) -> np.ndarray:
    """Return where each demand point is routed from: its population centre when known, else its centroid."""
    e, n = points["centroid_e"].to_numpy(dtype=float), points["centroid_n"].to_numpy(dtype=float)
    if "pop_centre_e" in points:
        pe, pn = points["pop_centre_e"].to_numpy(dtype=float), points["pop_centre_n"].to_numpy(dtype=float)
        known = ~np.isnan(pe)
        e, n = np.where(known, pe, e), np.where(known, pn, n)
    return lonlat(e, n)


def provenance(network: RoadNetwork, mode: str, centres: str) -> str:
    """Return the one line that names a road matrix's source, as printed beside results."""
    return (f"Valhalla {MODE_WORDS[mode]} minutes on the {network.label()}, from {centres}; "
            f"{network.provenance.get('attribution', '© OpenStreetMap contributors (ODbL)')}")


def road_travel(points: pd.DataFrame, sites: pd.DataFrame, mode: str, network: RoadNetwork,
                ids: tuple[str, str] = ("lsoa21_code", "site_id")) -> tuple[TravelCost, list[str]]:
    """Return drive or walk minutes from each demand point to each site, and notes about snapping.

    Parameters
    ----------
    points : DataFrame
        Demand points: ``centroid_e, centroid_n`` and, when known, ``pop_centre_e, pop_centre_n``
        (the mean of the LSOA's postcodes), with an identifier column ``ids[0]``.
    sites : DataFrame
        ``site_id, easting, northing``.
    mode : {"drive", "walk"}
    network : RoadNetwork

    Raises
    ------
    SitesError
        When any pair cannot be routed: how many, and examples naming the point and the site.
    """
    m = road_matrix(network, demand_lonlat(points), lonlat(sites["easting"], sites["northing"]), mode)
    names = points[ids[0]].astype(str).to_numpy() if ids[0] in points else np.arange(len(points)).astype(str)
    site_ids = sites["site_id"].astype(str).to_numpy()
    bad = m.unroutable()
    if bad:
        no_road = [names[i] for i in range(len(points)) if np.isnan(m.snap_m[i])]
        no_road += [site_ids[j] for j in range(len(sites)) if np.isnan(m.snap_m[len(points) + j])]
        eg = ", ".join(f"{names[i]}→{site_ids[j]}" for i, j in bad[:3])
        why = f" No road within reach of: {', '.join(no_road[:5])}." if no_road else ""
        raise SitesError(f"{len(bad)} of the {m.minutes.size} point × site pairs cannot be {MODE_WORDS[mode]} "
                         f"routed on the network '{network.name}', e.g. {eg}.{why} Use a larger extract, or "
                         "straight-line travel.")
    return TravelCost(m.minutes, "min", provenance(network, mode, _centres(points))), _snap_notes(m, points, sites, names)


def _centres(points: pd.DataFrame) -> str:
    known = "pop_centre_e" in points and points["pop_centre_e"].notna().any()
    return "LSOA population centres (mean of residential postcodes)" if known else "the demand points' centroids"


def _snap_notes(m: RoadMatrix, points: pd.DataFrame, sites: pd.DataFrame, names: np.ndarray) -> list[str]:
    """Return notes naming the points and sites that moved more than :data:`SNAP_NOTE_M` to reach a road."""
    notes = []
    n = len(points)
    far_sites = [f"{s} ({m.snap_m[n + j] / 1000:.1f} km)" for j, s in enumerate(sites["site_id"])
                 if m.snap_m[n + j] > SNAP_NOTE_M]
    far = np.flatnonzero(m.snap_m[:n] > SNAP_NOTE_M)
    if far_sites:
        notes.append(f"Site(s) {', '.join(far_sites)} are further than {SNAP_NOTE_M:.0f} m from a road of the network "
                     f"'{m.network.name}': their minutes start from the nearest road.")
    if len(far):
        people = f" ({int(points['weight'].iloc[far].sum()):,} people)" if "weight" in points else ""
        eg = ", ".join(f"{names[i]} {m.snap_m[i] / 1000:.1f} km" for i in far[:5])
        notes.append(f"{len(far)} demand point(s){people} are further than {SNAP_NOTE_M:.0f} m from a road of the "
                     f"network '{m.network.name}' (at its edge, or between villages): {eg}. Their minutes start "
                     "from the nearest road in it, so they are estimates.")
    return notes
