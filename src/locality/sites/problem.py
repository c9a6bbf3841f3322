"""Site-consolidation options: for a set of practices, which k sites to keep, and what follows.

The sites are the practices' premises (one per distinct practice postcode: no public estates
data exists, so floor areas and costs come only from a register the user supplies). Demand is
either the Census 2021 residents of the LSOAs in the practices' catchment (each LSOA of the area
goes to its nearest site; the practices' catchment is the LSOAs nearest to one of their sites),
or the practices' registered lists placed at each practice's own address (how far each list's
surgery would move). Travel is straight-line distance (British National Grid metres) times a
circuity factor, or minutes from a user's travel matrix.

Residents can be weighted by age, and premises without a register can have their floor area
estimated from list size, each with figures and a source the planner supplies
(:mod:`locality.assumptions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import duckdb
import numpy as np
import pandas as pd

from locality import store
from locality.assumptions import AGE_BANDS, AgeWeights, AreaBenchmark
from locality.errors import SitesError
from locality.geography import bng_to_wgs84
from locality.sites.pmedian import InfeasibleError, solve_capacitated, solve_uncapacitated

#: Thresholds for the "% of residents within" measures: metres for distances, minutes for a travel matrix.
WITHIN = {"m": (1_000, 2_000, 5_000), "min": (10, 15, 20)}


def within_label(value: float, unit: str) -> str:
    """Column name for a threshold: ``within_2km`` or ``within_15min``."""
    return f"within_{value // 1000:g}km" if unit == "m" else f"within_{value:g}min"


@dataclass
class SiteInstance:
    """Everything the solver needs for one appraisal.

    Attributes
    ----------
    sites : DataFrame
        ``site_id, postcode, easting, northing, practices, practice_names, patients, lat, lon``
        (one row per site).
    demand : DataFrame
        One row per demand point with its ``weight`` (people) and position ``centroid_e,
        centroid_n``: the catchment's LSOAs (``lsoa21_code, residents``) or, with registered-list
        demand, the practices (``practice_code, practice_name, lsoa21_code``: the LSOA they sit in).
    cost : ndarray
        (n LSOAs, m sites) travel: metres (straight line × circuity), or minutes from a matrix.
    circuity : float
    unit : {"m", "min"}
    demand_kind : {"residents", "registered"}
    age_weights : AgeWeights or None
        The weights behind ``demand["weight"]`` when residents are weighted by age.
    age_weight_mean : float
        The mean of those weights over England's residents, which the weighted demand is divided
        by (1 without age weights).
    practice_names : dict
        ODS code → name of every practice in the appraisal.
    area_benchmark : AreaBenchmark or None
        The benchmark behind the floor areas marked ``gia_estimated`` (None when no area was
        estimated: see :attr:`area_estimated`).
    """

    sites: pd.DataFrame
    demand: pd.DataFrame
    cost: np.ndarray
    circuity: float
    notes: list[str] = field(default_factory=list)
    unit: str = "m"
    demand_kind: str = "residents"
    age_weights: AgeWeights | None = None
    area_benchmark: AreaBenchmark | None = None
    age_weight_mean: float = 1.0
    practice_names: dict[str, str] = field(default_factory=dict)

    @property
    def demand_label(self) -> str:
        """What the demand counts, for headings: residents (age-weighted or not) or registered patients."""
        if self.age_weights is not None:
            return "Residents (Census 2021) of the catchment's LSOAs, weighted by age"
        return DEMAND_KINDS[self.demand_kind]

    @property
    def area_estimated(self) -> str:
        """Whether the sites' floor areas are estimated: ``"none"``, ``"some"`` or ``"all"``."""
        est = self.sites["gia_estimated"]
        if not est.any():
            return "none"
        return "all" if est.all() else "some"

    @property
    def area_qualifier(self) -> str:
        """How figures built on the floor areas are marked: ``""``, ``"estimated"`` or ``"some estimated"``."""
        return {"none": "", "some": "some estimated", "all": "estimated"}[self.area_estimated]

    def area_heading(self, what: str) -> str:
        """A heading for a figure in m² built on the sites' floor areas, marked when they are estimated.

        ``Area released (m²)``, ``Area released (m², estimated)`` or ``… (m², some estimated)``.
        """
        return f"{what} (m², {self.area_qualifier})" if self.area_qualifier else f"{what} (m²)"

    @property
    def people_label(self) -> str:
        """Short name of what ``demand["weight"]`` sums to, for figures."""
        if self.demand_kind == "registered":
            return "registered patients"
        return "age-weighted residents" if self.age_weights is not None else "residents"


def area_released_text(option: pd.Series | dict) -> str | None:
    """An option's floor area released as text, saying how much of it is estimated (None if unknown).

    ``709 m² (estimated)``, ``1,359 m² (709 m² of it estimated)`` or ``650 m²``.
    """
    area = option.get("area_released_m2")
    if area is None or area != area:
        return None
    est = option.get("area_released_estimated_m2")
    if est is None or est != est or est <= 0:
        return f"{area:,.0f} m²"
    return f"{area:,.0f} m² (estimated)" if est >= area else f"{area:,.0f} m² ({est:,.0f} m² of it estimated)"


#: Demand options: residents of the catchment's LSOAs, or registered lists at their practice.
DEMAND_KINDS = {"residents": "Residents (Census 2021) of the catchment's LSOAs",
                "registered": "Registered patients, at their practice's address"}


REGISTER_FIELDS = ["site_name", "gia_m2", "clinical_rooms", "tenure", "lease_end", "condition", "running_cost_gbp",
                   "must_keep", "must_close"]


def _register_sites(register: pd.DataFrame, practices: pd.DataFrame) -> pd.DataFrame:
    """The register's sites used by these practices, with list sizes shared among each practice's sites."""
    reg = register.copy()
    reg["codes"] = reg["practices"].fillna("").str.split(";")
    codes = set(practices["practice_code"])
    reg = reg[reg["codes"].map(lambda cs: bool(set(cs) & codes))].copy()
    covered = {c for cs in reg["codes"] for c in cs}
    missing = sorted(codes - covered)
    if missing:
        raise SitesError(f"Practices not in the estates register: {', '.join(missing)}.")
    n_sites = pd.Series([c for cs in reg["codes"] for c in cs]).value_counts()
    size = practices.set_index("practice_code")["patients"].astype(float)
    name = practices.set_index("practice_code")["practice_name"]
    reg["patients"] = reg["codes"].map(lambda cs: sum(size.get(c, 0) / n_sites[c] for c in cs if c in size))
    reg["practice_names"] = reg["codes"].map(lambda cs: "; ".join(sorted(name.get(c, c) for c in cs)))
    reg["practices"] = reg["codes"].map(lambda cs: ",".join(sorted(cs)))
    return reg.drop(columns=["codes"]).reset_index(drop=True)


def build_instance(con: duckdb.DuckDBPyConnection, practice_codes: list[str] | None = None,
                   area_code: str | None = None, circuity: float | None = None,
                   register: pd.DataFrame | None = None, demand: str = "residents",
                   age_weights: AgeWeights | None = None, area_benchmark: AreaBenchmark | None = None
                   ) -> SiteInstance:
    """Build an appraisal instance for a list of practices, or for every practice of an area.

    Parameters
    ----------
    circuity : float, optional
        Road distance ÷ straight-line distance. Default: the factor the store derived from
        IoD2019 road distances to GP surgeries (:func:`locality.store.default_circuity`).
    demand : {"residents", "registered"}
        Residents of the catchment's LSOAs (Census 2021), or each practice's registered list
        at the practice's own address.
    register : DataFrame, optional
        A checked estates register (:func:`locality.sources.estates.read_register`). Its sites replace
        the practice postcodes, with their floor areas, rooms, tenure, condition, costs and flags.
        Without one, sites are practice postcodes and those figures are unknown.
    age_weights : AgeWeights, optional
        Weight residents by Census 2021 age band (residents demand only).
    area_benchmark : AreaBenchmark, optional
        Without a register, estimate each site's floor area from its registered patients.

    Raises
    ------
    SitesError
        Unknown practices, practices without a location, practices missing from the register, or
        age weights asked for with registered-list demand.
    """
    if circuity is None:
        circuity = store.default_circuity(con).factor
    if demand not in DEMAND_KINDS:
        raise SitesError(f"Demand must be one of {', '.join(DEMAND_KINDS)} (got {demand!r}).")
    if circuity < 1.0:
        raise SitesError(f"The circuity factor must be at least 1 (got {circuity}).")
    if age_weights is not None and demand != "residents":
        raise SitesError("Age weights apply to residents (Census 2021 age bands); registered lists are not "
                         "weighted by age.")
    by_sub_icb: dict[str, pd.DataFrame] = {}

    def sub_icb_practices(subs) -> pd.DataFrame:
        for s in subs:
            if s not in by_sub_icb:
                by_sub_icb[s] = store.practices(con, "sub_icb", s)
        return pd.concat([by_sub_icb[s] for s in subs])

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
        practices = sub_icb_practices(subs)
        practices = practices[practices["practice_code"].isin(codes)]
    else:
        raise SitesError("Give practice codes or an area code.")
    unlocated = practices[practices["easting"].isna()]
    if len(unlocated):
        raise SitesError(f"Practices without a location: {', '.join(unlocated['practice_code'])}.")
    if register is not None and len(register):
        sites = _register_sites(register, practices)
        sites["source"] = "estates register"
    else:
        sites = (practices.groupby("site_id")
                 .agg(postcode=("postcode", "first"), easting=("easting", "first"), northing=("northing", "first"),
                      practices=("practice_code", lambda s: ",".join(sorted(s))),
                      practice_names=("practice_name", lambda s: "; ".join(sorted(s))),
                      patients=("patients", "sum"))
                 .reset_index())
        sites["source"] = "practice postcode"
        for c in REGISTER_FIELDS:
            sites[c] = False if c.startswith("must_") else None
    sites["gia_estimated"] = False
    if area_benchmark is not None:  # estimate every floor area the register does not give
        given = pd.to_numeric(sites["gia_m2"], errors="coerce")
        blank = given.isna()
        sites["gia_m2"] = given.fillna(area_benchmark.estimate(sites["patients"]))
        sites.loc[blank, "source"] = sites.loc[blank, "source"] + "; floor area estimated"
        sites["gia_estimated"] = blank
        if not blank.any():
            area_benchmark = None
    sites["lat"], sites["lon"] = bng_to_wgs84(sites["easting"], sites["northing"])
    notes: list[str] = _shared_list_notes(sites, practices)
    age_mean = 1.0
    if demand == "registered":
        points = pd.DataFrame({"practice_code": practices["practice_code"], "practice_name": practices["practice_name"],
                               "lsoa21_code": practices["lsoa21_code"], "weight": practices["patients"].astype(float),
                               "centroid_e": practices["easting"], "centroid_n": practices["northing"]})
        points = points.reset_index(drop=True)
    else:
        points = _catchment(practices, sites, sub_icb_practices, con, notes)
        if age_weights is not None:
            england = store.england_age_bands(con)
            points["weight"] = age_weights.demand(points, england)
            age_mean = age_weights.england_mean(england)
        else:
            points["weight"] = points["residents"].astype(float)
    cost = circuity * np.hypot(points["centroid_e"].to_numpy()[:, None] - sites["easting"].to_numpy()[None, :],
                               points["centroid_n"].to_numpy()[:, None] - sites["northing"].to_numpy()[None, :])
    return SiteInstance(sites, points, cost, circuity, notes, demand_kind=demand, age_weights=age_weights,
                        area_benchmark=area_benchmark, age_weight_mean=age_mean,
                        practice_names=dict(zip(practices["practice_code"], practices["practice_name"], strict=True)))


def _shared_list_notes(sites: pd.DataFrame, practices: pd.DataFrame) -> list[str]:
    """Notes for practices at several register sites: their list is shared equally among them."""
    codes = [c for cs in sites["practices"] for c in cs.split(",")]
    size = practices.set_index("practice_code")["patients"]
    notes = []
    for code, n in pd.Series(codes).value_counts().items():
        if n > 1 and code in size.index:  # a register row may name practices outside the appraisal
            at = ", ".join(sites.loc[sites["practices"].str.split(",").map(lambda cs, c=code: c in cs), "site_id"])
            notes.append(f"{code}'s {size[code]:,} registered patients are shared equally among its {n} sites "
                         f"({at}): the register does not say how many use each.")
    return notes


def assumption_rows(instance: SiteInstance) -> list[tuple[str, str]]:
    """The planner's age weights and floor-area benchmark, as (what, "figures. Source: …") pairs."""
    rows = []
    if instance.age_weights is not None:
        rows.append(("Residents weighted by age", f"{instance.age_weights.label()}, divided by "
                                                  f"{instance.age_weight_mean:.2f} (England's mean weight) so that "
                                                  "a resident of England's average age counts 1; travel means, "
                                                  "shares and capacity count each resident at this weight. "
                                                  f"Source: {instance.age_weights.source}"))
    if instance.area_benchmark is not None:
        rows.append(("Floor areas estimated from list size", f"{instance.area_benchmark.label()}. "
                                                             f"Source: {instance.area_benchmark.source}"))
    return rows


def _catchment(practices: pd.DataFrame, sites: pd.DataFrame, sub_icb_practices, con: duckdb.DuckDBPyConnection,
               notes: list[str]) -> pd.DataFrame:
    """The LSOAs of the practices' sub-ICB(s) nearest to one of ``sites`` among all the sites there.

    When every LSOA is nearer another site, the LSOAs the sites sit in (with a note).
    """
    subs = sorted(practices["sub_icb_code"].unique())
    lsoa = pd.concat([store.lsoas(con, "sub_icb", s, with_geometry=False) for s in subs], ignore_index=True)
    everyone = sub_icb_practices(subs).dropna(subset=["easting"])
    others = everyone[~everyone["practice_code"].isin(practices["practice_code"])].drop_duplicates("site_id")
    all_sites = pd.concat([sites[["site_id", "easting", "northing"]], others[["site_id", "easting", "northing"]]])
    d_all = np.hypot(lsoa["centroid_e"].to_numpy()[:, None] - all_sites["easting"].to_numpy()[None, :],
                     lsoa["centroid_n"].to_numpy()[:, None] - all_sites["northing"].to_numpy()[None, :])
    nearest = all_sites["site_id"].to_numpy()[np.argmin(d_all, axis=1)]
    columns = ["lsoa21_code", "residents", *AGE_BANDS, "centroid_e", "centroid_n"]
    points = lsoa[np.isin(nearest, sites["site_id"])][columns].reset_index(drop=True)
    if points.empty:
        points = lsoa[lsoa["lsoa21_code"].isin(practices["lsoa21_code"])][columns].reset_index(drop=True)
        notes.append("No LSOA is nearest to these sites; demand is the residents of the LSOAs they sit in.")
    return points


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    order = np.argsort(values)
    v, w = values[order], weights[order]
    cum = np.cumsum(w)
    if cum[-1] <= 0:
        return float("nan")
    return float(v[np.searchsorted(cum, q * cum[-1])])


CONDITION_SCORE = {"A": 1, "B": 2, "C": 3, "D": 4}


def capacities(instance: SiteInstance, basis: str, rate: float) -> np.ndarray:
    """Patients each site can serve: ``gia_m2 × rate`` (basis "m2") or ``clinical_rooms × rate`` ("room").

    Raises
    ------
    SitesError
        If a site has no floor area (or rooms) recorded.
    """
    col = {"m2": "gia_m2", "room": "clinical_rooms"}[basis]
    v = pd.to_numeric(instance.sites[col], errors="coerce")
    if v.isna().any():
        gaps = ", ".join(instance.sites.loc[v.isna(), "site_id"])
        raise SitesError(f"Capacity by {col} needs it for every site; missing for {gaps}.")
    return v.to_numpy(dtype=float) * float(rate)


def appraise(instance: SiteInstance, keep_counts: list[int] | None = None, must_keep=(), must_close=(),
             capacity: np.ndarray | None = None, respect_capacity: bool = True,
             patients_per_m2: float | None = None) -> pd.DataFrame:
    """Solve the p-median for each number of sites to keep and report each option.

    Parameters
    ----------
    instance : SiteInstance
    keep_counts : list of int, optional
        Numbers of sites to keep (default: 1 to the number of sites).
    must_keep, must_close : iterables of site_id
        Added to the register's own flags.
    capacity : array, optional
        Patients each site can serve (see :func:`capacities`).
    respect_capacity : bool
        With a capacity, choose sites subject to it (HiGHS MIP); otherwise choose on travel alone
        and report the use of capacity and any shortfall.
    patients_per_m2 : float, optional
        Converts a shortfall in patients to m² (when capacity is by floor area).

    Returns
    -------
    DataFrame
        One row per k: ``k, kept, closed, mean_travel_m, p90_travel_m, within_1km, within_2km,
        within_5km`` (% of residents; with a travel matrix ``mean_travel_min, p90_travel_min,
        within_10min, within_15min, within_20min``), ``capacity_use`` (% per kept site), ``shortfall_patients``,
        ``shortfall_m2``, ``area_released_m2`` (and ``area_released_estimated_m2``, the part of it
        from estimated floor areas, when any site's area is estimated), ``cost_released_gbp``,
        ``mean_condition``, ``objective, gap, method, seconds, status``.
    """
    sites = instance.sites
    ids = list(sites["site_id"])
    pos = {s: i for i, s in enumerate(ids)}
    unknown = sorted((set(must_keep) | set(must_close)) - set(ids))
    if unknown:
        raise SitesError(f"Unknown site_id(s) in the flags: {', '.join(unknown)}.")
    keep = sorted({pos[s] for s in must_keep} | set(np.flatnonzero(sites["must_keep"].fillna(False).astype(bool))))
    close = sorted({pos[s] for s in must_close} | set(np.flatnonzero(sites["must_close"].fillna(False).astype(bool))))
    d = instance.demand["weight"].to_numpy(dtype=float)
    gia = pd.to_numeric(sites["gia_m2"], errors="coerce").to_numpy(dtype=float)
    estimated = sites["gia_estimated"].to_numpy(dtype=bool)
    cost_gbp = pd.to_numeric(sites["running_cost_gbp"], errors="coerce").to_numpy(dtype=float)
    cond = sites["condition"].map(CONDITION_SCORE).to_numpy(dtype=float)
    rows = []
    for k in keep_counts or range(1, len(ids) + 1):
        try:
            if capacity is not None and respect_capacity:
                sol = solve_capacitated(instance.cost, d, k, np.asarray(capacity, dtype=float), keep, close)
            else:
                sol = solve_uncapacitated(instance.cost, d, k, keep, close)
        except InfeasibleError as exc:
            rows.append({"k": k, "status": f"not possible: {exc}"})
            continue
        if sol.flows is not None:
            travel = (instance.cost * sol.flows).sum(axis=1)
            load = (d[:, None] * sol.flows).sum(axis=0)
        else:
            travel = instance.cost[np.arange(len(d)), sol.assignment]
            load = np.bincount(sol.assignment, weights=d, minlength=len(ids))
        kept = [ids[j] for j in sol.open_sites]
        closed_idx = [j for j in range(len(ids)) if j not in sol.open_sites]
        u = instance.unit
        row = {
            "k": k, "kept": kept, "closed": [ids[j] for j in closed_idx],
            f"mean_travel_{u}": float(np.average(travel, weights=d)) if d.sum() else float("nan"),
            f"p90_travel_{u}": _weighted_quantile(travel, d, 0.9),
            **{within_label(t, u): float(100 * d[travel <= t].sum() / d.sum()) if d.sum() else float("nan")
               for t in WITHIN[u]},
            "area_released_m2": float(np.nansum(gia[closed_idx])) if not np.isnan(gia).all() else float("nan"),
            **({"area_released_estimated_m2": float(np.nansum(gia[closed_idx][estimated[closed_idx]]))}
               if estimated.any() else {}),
            "cost_released_gbp": float(np.nansum(cost_gbp[closed_idx])) if not np.isnan(cost_gbp).all()
            else float("nan"),
            "mean_condition": float(np.nanmean(cond[sol.open_sites])) if not np.isnan(cond[sol.open_sites]).all()
            else float("nan"),
            "objective": sol.objective, "gap": sol.gap, "method": sol.method, "seconds": sol.seconds,
            "status": "ok",
        }
        if capacity is not None:
            cap = np.asarray(capacity, dtype=float)
            over = np.clip(load - cap, 0, None)[sol.open_sites]
            row["capacity_use"] = {ids[j]: round(100 * load[j] / cap[j], 1) if cap[j] > 0 else None
                                   for j in sol.open_sites}
            row["shortfall_patients"] = float(over.sum())
            row["shortfall_m2"] = float(over.sum() / patients_per_m2) if patients_per_m2 else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


def nearest_kept_distance(instance: SiteInstance, kept: list[str]) -> np.ndarray:
    """Travel (metres, with circuity) from each demand LSOA to its nearest kept site."""
    cols = [i for i, s in enumerate(instance.sites["site_id"]) if s in set(kept)]
    return instance.cost[:, cols].min(axis=1)


def read_travel_matrix(data: bytes, filename: str) -> pd.DataFrame:
    """Read a travel matrix CSV: ``lsoa21_code, site_id, minutes`` (one row per origin LSOA and site).

    Raises
    ------
    SourceError
        Naming the file, row and column of a missing column, blank or non-numeric value.
    """
    from locality.errors import SourceError
    from locality.sources.checks import Col, check_frame, parse_csv_bytes

    if not data.strip():
        raise SourceError(filename, "file is empty")
    df = check_frame(parse_csv_bytes(data, filename),
                     [Col("lsoa21_code"), Col("site_id"), Col("minutes", "float")], filename)
    neg = df["minutes"] < 0
    if neg.any():
        i = int(neg.to_numpy().nonzero()[0][0])
        raise SourceError(filename, f"negative minutes {df['minutes'].iloc[i]}", row=i + 2, column="minutes")
    return df


def apply_travel_matrix(instance: SiteInstance, matrix: pd.DataFrame) -> SiteInstance:
    """Replace straight-line travel with minutes from a user's matrix (every LSOA × site pair needed).

    Raises
    ------
    SitesError
        Listing how many LSOA × site pairs the matrix lacks, with examples; or when demand is
        registered lists (a matrix gives minutes from LSOAs, not from practices).
    """
    if instance.demand_kind != "residents":
        raise SitesError("A travel matrix gives minutes from LSOAs: use it with residents as demand.")
    m = matrix.drop_duplicates(["lsoa21_code", "site_id"], keep="last")
    table = m.pivot(index="lsoa21_code", columns="site_id", values="minutes")
    table = table.reindex(index=instance.demand["lsoa21_code"], columns=instance.sites["site_id"])
    gaps = table.isna()
    if gaps.to_numpy().any():
        lsoas, sites = instance.demand["lsoa21_code"].to_numpy(), instance.sites["site_id"].to_numpy()
        pairs = [f"{lsoas[r]}→{sites[c]}" for r, c in list(zip(*np.nonzero(gaps.to_numpy()), strict=True))[:3]]
        raise SitesError(f"The travel matrix lacks {int(gaps.to_numpy().sum())} LSOA × site pair(s), e.g. "
                         f"{', '.join(pairs)}.")
    return replace(instance, cost=table.to_numpy(dtype=float), circuity=1.0,
                   notes=[*instance.notes, "Travel is in minutes from the uploaded matrix."], unit="min")
