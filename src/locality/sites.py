"""Site-consolidation options: for a set of practices, which k sites to keep, and what follows.

The sites are the practices' premises (one per distinct practice postcode: no public estates
data exists, so floor areas and costs come only from a register the user supplies). Demand is
the Census 2021 residents of the LSOAs in the practices' catchment (each LSOA of the area goes
to its nearest site; the practices' catchment is the LSOAs nearest to one of their sites).
Travel is straight-line distance (British National Grid metres) times a circuity factor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from locality import store
from locality.errors import LocalityError
from locality.geography import bng_to_wgs84
from locality.pmedian import InfeasibleError, solve_capacitated, solve_uncapacitated

#: Distance thresholds (metres) for the "% of residents within" measures.
WITHIN_M = (1_000, 2_000, 5_000)


class SitesError(LocalityError):
    """A site appraisal that cannot be run as asked (the message says why)."""


@dataclass
class SiteInstance:
    """Everything the solver needs for one appraisal.

    Attributes
    ----------
    sites : DataFrame
        ``site_id, postcode, easting, northing, practices, practice_names, patients, lat, lon``
        (one row per site).
    demand : DataFrame
        ``lsoa21_code, residents, centroid_e, centroid_n`` (the catchment's LSOAs).
    cost : ndarray
        (n LSOAs, m sites) travel in metres (straight line × circuity).
    circuity : float
    """

    sites: pd.DataFrame
    demand: pd.DataFrame
    cost: np.ndarray
    circuity: float
    notes: list[str] = field(default_factory=list)


def build_instance(con: duckdb.DuckDBPyConnection, practice_codes: list[str] | None = None,
                   area_code: str | None = None, circuity: float = 1.0) -> SiteInstance:
    """Build an appraisal instance for a list of practices, or for every practice of an area.

    Raises
    ------
    SitesError
        Unknown practices, practices in more than one sub-ICB, or practices without a location.
    """
    if circuity < 1.0:
        raise SitesError(f"The circuity factor must be at least 1 (got {circuity}).")
    if area_code:
        a = store.area(con, area_code)
        practices = store.practices(con, a["area_type"], a["code"])
    elif practice_codes:
        codes = sorted({c.strip().upper() for c in practice_codes if c.strip()})
        found = con.execute("SELECT practice_code, sub_icb_code FROM practice WHERE practice_code IN "
                            f"({','.join('?' * len(codes))})", codes).fetchall()
        missing = sorted(set(codes) - {r[0] for r in found})
        if missing:
            raise SitesError(f"Unknown practice code(s): {', '.join(missing)}.")
        subs = sorted({r[1] for r in found})
        practices = pd.concat([store.practices(con, "sub_icb", s) for s in subs])
        practices = practices[practices["practice_code"].isin(codes)]
    else:
        raise SitesError("Give practice codes or an area code.")
    unlocated = practices[practices["easting"].isna()]
    if len(unlocated):
        raise SitesError(f"Practices without a location: {', '.join(unlocated['practice_code'])}.")
    sites = (practices.groupby("site_id")
             .agg(postcode=("postcode", "first"), easting=("easting", "first"), northing=("northing", "first"),
                  practices=("practice_code", lambda s: ",".join(sorted(s))),
                  practice_names=("practice_name", lambda s: "; ".join(sorted(s))), patients=("patients", "sum"))
             .reset_index())
    sites["lat"], sites["lon"] = bng_to_wgs84(sites["easting"], sites["northing"])
    # catchment: LSOAs of the practices' sub-ICB(s) nearest to one of these sites among all sites there
    subs = sorted(practices["sub_icb_code"].unique())
    lsoa = pd.concat([store.lsoas(con, "sub_icb", s, with_geometry=False) for s in subs], ignore_index=True)
    everyone = pd.concat([store.practices(con, "sub_icb", s) for s in subs]).dropna(subset=["easting"])
    all_sites = everyone.drop_duplicates("site_id")
    d_all = np.hypot(lsoa["centroid_e"].to_numpy()[:, None] - all_sites["easting"].to_numpy()[None, :],
                     lsoa["centroid_n"].to_numpy()[:, None] - all_sites["northing"].to_numpy()[None, :])
    nearest = all_sites["site_id"].to_numpy()[np.argmin(d_all, axis=1)]
    demand = lsoa[np.isin(nearest, sites["site_id"])][["lsoa21_code", "residents", "centroid_e", "centroid_n"]]
    demand = demand.reset_index(drop=True)
    notes = []
    if demand.empty:
        # every LSOA is nearer another site: use the LSOAs the sites sit in
        demand = lsoa[lsoa["lsoa21_code"].isin(practices["lsoa21_code"])][
            ["lsoa21_code", "residents", "centroid_e", "centroid_n"]].reset_index(drop=True)
        notes.append("No LSOA is nearest to these sites; demand is the residents of the LSOAs they sit in.")
    cost = circuity * np.hypot(demand["centroid_e"].to_numpy()[:, None] - sites["easting"].to_numpy()[None, :],
                               demand["centroid_n"].to_numpy()[:, None] - sites["northing"].to_numpy()[None, :])
    return SiteInstance(sites, demand, cost, circuity, notes)


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    order = np.argsort(values)
    v, w = values[order], weights[order]
    cum = np.cumsum(w)
    if cum[-1] <= 0:
        return float("nan")
    return float(v[np.searchsorted(cum, q * cum[-1])])


def appraise(instance: SiteInstance, keep_counts: list[int] | None = None, must_keep=(), must_close=(),
             capacity: np.ndarray | None = None) -> pd.DataFrame:
    """Solve the p-median for each number of sites to keep and report each option.

    Parameters
    ----------
    instance : SiteInstance
    keep_counts : list of int, optional
        Numbers of sites to keep (default: 1 to the number of sites).
    must_keep, must_close : iterables of site_id
    capacity : array, optional
        Patients each site can serve; when given, the assignment respects it (HiGHS MIP).

    Returns
    -------
    DataFrame
        One row per k: ``k, kept, closed, mean_travel_m, p90_travel_m, within_1km, within_2km,
        within_5km`` (% of residents), ``objective, gap, method, seconds, status``.
    """
    ids = list(instance.sites["site_id"])
    pos = {s: i for i, s in enumerate(ids)}
    unknown = sorted((set(must_keep) | set(must_close)) - set(ids))
    if unknown:
        raise SitesError(f"Unknown site_id(s) in the flags: {', '.join(unknown)}.")
    keep = [pos[s] for s in must_keep]
    close = [pos[s] for s in must_close]
    d = instance.demand["residents"].to_numpy(dtype=float)
    rows = []
    for k in keep_counts or range(1, len(ids) + 1):
        try:
            if capacity is None:
                sol = solve_uncapacitated(instance.cost, d, k, keep, close)
            else:
                sol = solve_capacitated(instance.cost, d, k, np.asarray(capacity, dtype=float), keep, close)
        except InfeasibleError as exc:
            rows.append({"k": k, "status": f"not possible: {exc}"})
            continue
        travel = instance.cost[np.arange(len(d)), sol.assignment]
        if sol.flows is not None:
            travel = (instance.cost * sol.flows).sum(axis=1)
        kept = [ids[j] for j in sol.open_sites]
        rows.append({
            "k": k, "kept": kept, "closed": [s for s in ids if s not in kept],
            "mean_travel_m": float(np.average(travel, weights=d)) if d.sum() else float("nan"),
            "p90_travel_m": _weighted_quantile(travel, d, 0.9),
            **{f"within_{m // 1000}km": float(100 * d[travel <= m].sum() / d.sum()) if d.sum() else float("nan")
               for m in WITHIN_M},
            "objective": sol.objective, "gap": sol.gap, "method": sol.method, "seconds": sol.seconds,
            "status": "ok",
        })
    return pd.DataFrame(rows)


def nearest_kept_distance(instance: SiteInstance, kept: list[str]) -> np.ndarray:
    """Travel (metres, with circuity) from each demand LSOA to its nearest kept site."""
    cols = [i for i, s in enumerate(instance.sites["site_id"]) if s in set(kept)]
    return instance.cost[:, cols].min(axis=1)
