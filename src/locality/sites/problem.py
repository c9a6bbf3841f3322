"""The site engine: which k of a set of sites to keep so that demand travels least, for every k.

``SiteProblem(sites, demand, travel, options).solve()`` returns a :class:`SiteAppraisal`: one
row per feasible number of sites kept (travel, shares within the thresholds, estate released,
capacity use, proven gap), each infeasible number with its typed reason, and the unit of travel
as an attribute. Sites, demand and travel come in ready-made (:mod:`locality.sites.premises`,
:mod:`locality.demand`, :mod:`locality.travel`); :func:`locality.sites.pipeline.appraise_sites`
assembles them from the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from locality.assumptions import AreaBenchmark
from locality.demand import Demand
from locality.errors import InfeasibleError, InfeasibleReason, SitesError
from locality.sites.options import SiteOptions
from locality.sites.pmedian import PMedianSolution, solve_capacitated, solve_uncapacitated
from locality.sites.premises import capacities
from locality.stats import weighted_quantile
from locality.travel import TravelCost
from locality.vocabulary import CONDITION_SCORE, WITHIN, within_label

#: Columns of the options table whose name, in files and JSON, carries the unit of travel.
UNIT_COLUMNS = ("mean_travel", "p90_travel")


@dataclass(frozen=True)
class Infeasible:
    """A number of sites to keep that cannot be had, and why."""

    k: int
    reason: InfeasibleReason
    message: str

    @property
    def status(self) -> str:
        """Return the status text the options table and files give it: ``not possible: …``."""
        return f"not possible: {self.message}"


@dataclass(frozen=True)
class SiteAppraisal:
    """Everything a site appraisal found.

    Attributes
    ----------
    options : SiteOptions
        What was asked.
    sites : DataFrame
        One row per site: ``site_id, postcode, easting, northing, practices, practice_names,
        patients, source``, the register's figures (``gia_m2`` … ``must_close``),
        ``gia_estimated, lat, lon``.
    demand : Demand
        The demand points and where they come from.
    travel : TravelCost
        Travel from each demand point to each site, with its unit.
    table : DataFrame
        One row per feasible number of sites kept: ``k, kept, closed, mean_travel, p90_travel``,
        the shares within the unit's thresholds (``within_1km`` … or ``within_10min`` …),
        ``area_released_m2`` (and ``area_released_estimated_m2`` when any area is estimated),
        ``cost_released_gbp, mean_condition, objective, gap, method, seconds, status`` and, with a
        capacity, ``capacity_use, shortfall_patients, shortfall_m2``.
    infeasible : tuple of Infeasible
        The numbers of sites that cannot be kept, with their reasons.
    notes : tuple of str
        What a planner should know (shared lists, catchment, travel source).
    practice_names : dict
        ODS code → name of every practice in the appraisal.
    area_benchmark : AreaBenchmark or None
        The benchmark behind the floor areas marked ``gia_estimated`` (None when none is estimated).
    """

    options: SiteOptions
    sites: pd.DataFrame
    demand: Demand
    travel: TravelCost
    table: pd.DataFrame
    infeasible: tuple[Infeasible, ...] = ()
    notes: tuple[str, ...] = ()
    practice_names: dict[str, str] = field(default_factory=dict)
    area_benchmark: AreaBenchmark | None = None

    @property
    def unit(self) -> str:
        """Return the unit of travel: ``"m"`` or ``"min"``."""
        return self.travel.unit

    @property
    def within_columns(self) -> list[str]:
        """Return the names of the "% within" columns for this unit of travel."""
        return [within_label(t, self.unit) for t in WITHIN[self.unit]]

    @property
    def area_estimated(self) -> str:
        """Return whether the sites' floor areas are estimated: ``"none"``, ``"some"`` or ``"all"``."""
        est = self.sites["gia_estimated"]
        if not est.any():
            return "none"
        return "all" if est.all() else "some"

    def option(self, k: int) -> pd.Series | None:
        """Return the feasible option keeping ``k`` sites (None when it cannot be had)."""
        if self.table.empty:
            return None
        hit = self.table[self.table["k"] == k]
        return hit.iloc[0] if len(hit) else None

    def status_of(self, k: int) -> str:
        """Return ``ok``, the reason keeping ``k`` sites is not possible, or that there are not that many."""
        if self.option(k) is not None:
            return "ok"
        hit = [i for i in self.infeasible if i.k == k]
        return hit[0].status if hit else f"there are only {len(self.sites)} sites"

    def nearest_kept(self, kept: list[str]) -> np.ndarray:
        """Return travel from each demand point to its nearest kept site (in :attr:`unit`)."""
        cols = [i for i, s in enumerate(self.sites["site_id"]) if s in set(kept)]
        return self.travel.nearest(cols)

    def all_options(self) -> pd.DataFrame:
        """Return every number of sites asked, feasible or not, in order, as files and JSON give them.

        Travel columns carry their unit (``mean_travel_m``, ``p90_travel_min``); an infeasible row
        has only ``k`` and ``status``.
        """
        rows = {int(r["k"]): {file_key(c, self.unit): v for c, v in r.items()}
                for r in self.table.to_dict("records")}
        rows.update({i.k: {"k": i.k, "status": i.status} for i in self.infeasible})
        return pd.DataFrame([rows[k] for k in self.options_asked()])

    def options_asked(self) -> list[int]:
        """Return the numbers of sites to keep that were asked (every k by default)."""
        return keep_counts(self.options, len(self.sites))


def keep_counts(options: SiteOptions, n_sites: int) -> list[int]:
    """Return the numbers of sites to keep that are asked: the options' own, or every number from 1."""
    return list(options.keep_counts or range(1, n_sites + 1))


def file_key(column: str, unit: str) -> str:
    """Return a column's name in files and JSON: travel columns carry their unit (``mean_travel_m``)."""
    return f"{column}_{unit}" if column in UNIT_COLUMNS else column


def table_key(key: str) -> str:
    """Return the options-table column a file key names (``mean_travel_min`` → ``mean_travel``)."""
    for c in UNIT_COLUMNS:
        if key in (f"{c}_m", f"{c}_min"):
            return c
    return key


class SiteProblem:
    """A p-median site choice for every number of sites to keep, with the options' figures.

    Parameters
    ----------
    sites : DataFrame
        From :mod:`locality.sites.premises` (with ``gia_estimated``).
    demand : Demand
        Demand points and weights.
    travel : TravelCost
        (demand points × sites) travel.
    options : SiteOptions
        Flags, capacity and the numbers of sites to keep.
    """

    def __init__(self, sites: pd.DataFrame, demand: Demand, travel: TravelCost, options: SiteOptions):
        if travel.cost.shape != (len(demand.points), len(sites)):
            raise SitesError(f"The travel costs are {travel.cost.shape[0]} × {travel.cost.shape[1]}, but there are "
                             f"{len(demand.points)} demand points and {len(sites)} sites.")
        self.sites, self.demand, self.travel, self.options = sites, demand, travel, options
        ids = list(sites["site_id"])
        unknown = sorted((set(options.must_keep) | set(options.must_close)) - set(ids))
        if unknown:
            raise SitesError(f"Unknown site_id(s) in the flags: {', '.join(unknown)}.")
        both = sorted(set(self._flag_ids(options.must_keep, "must_keep")) & set(self._flag_ids(options.must_close,
                                                                                          "must_close")))
        if both:
            names = sites.set_index("site_id")
            said = "; ".join(f"{s} ({_site_name(names.loc[s])})" for s in both)
            raise SitesError(f"Site(s) flagged both must stay open and must close: {said}. Clear one of the flags.")
        self.capacity = capacities(sites, options.capacity)
        self.patients_per_unit = capacity_scale(sites, demand, options)

    def _flag_ids(self, extra: tuple[str, ...], column: str) -> list[str]:
        own = self.sites.loc[self.sites[column].fillna(False).astype(bool), "site_id"]
        return [*extra, *own]

    def _flagged(self, extra: tuple[str, ...], column: str) -> list[int]:
        pos = {s: i for i, s in enumerate(self.sites["site_id"])}
        own = np.flatnonzero(self.sites[column].fillna(False).astype(bool))
        return sorted({pos[s] for s in extra} | set(own))

    def solve(self, *, notes: tuple[str, ...] = (), practice_names: dict[str, str] | None = None,
              area_benchmark: AreaBenchmark | None = None) -> SiteAppraisal:
        """Solve every number of sites asked and return the appraisal.

        Parameters
        ----------
        notes, practice_names, area_benchmark
            Carried into the :class:`SiteAppraisal` unchanged.
        """
        keep = self._flagged(self.options.must_keep, "must_keep")
        close = self._flagged(self.options.must_close, "must_close")
        d = self.demand.points["weight"].to_numpy(dtype=float)
        figures = _SiteFigures.of(self.sites)
        rows, infeasible = [], []
        for k in keep_counts(self.options, len(self.sites)):
            try:
                sol = self._solve_k(d, k, keep, close)
            except InfeasibleError as exc:
                infeasible.append(Infeasible(k, exc.reason, str(exc)))
                continue
            rows.append(self._option_row(k, sol, d, figures))
        table = pd.DataFrame(rows) if rows else pd.DataFrame(columns=self._columns())
        return SiteAppraisal(self.options, self.sites, self.demand, self.travel, table,
                             tuple(infeasible), tuple(notes), dict(practice_names or {}), area_benchmark)

    def _columns(self) -> list[str]:
        """Return the options table's columns when no option is feasible (so an empty table still has them)."""
        u = self.travel.unit
        return ["k", "kept", "closed", "mean_travel", "p90_travel", *(within_label(t, u) for t in WITHIN[u]),
                "area_released_m2", "cost_released_gbp", "mean_condition", "objective", "gap", "method", "seconds",
                "status"]

    def _solve_k(self, d: np.ndarray, k: int, keep: list[int], close: list[int]) -> PMedianSolution:
        if self.capacity is not None and self.options.capacity.respect:
            return solve_capacitated(self.travel.cost, d * self.patients_per_unit, k, self.capacity, keep, close)
        return solve_uncapacitated(self.travel.cost, d, k, keep, close)

    def _option_row(self, k: int, sol: PMedianSolution, d: np.ndarray, f: _SiteFigures) -> dict:
        cost, ids, u = self.travel.cost, list(self.sites["site_id"]), self.travel.unit
        if sol.flows is not None:
            travel = (cost * sol.flows).sum(axis=1)
            load = (d[:, None] * sol.flows).sum(axis=0)
        else:
            travel = cost[np.arange(len(d)), sol.assignment]
            load = np.bincount(sol.assignment, weights=d, minlength=len(ids))
        closed_idx = [j for j in range(len(ids)) if j not in sol.open_sites]
        row = {
            "k": k, "kept": [ids[j] for j in sol.open_sites], "closed": [ids[j] for j in closed_idx],
            "mean_travel": float(np.average(travel, weights=d)) if d.sum() else float("nan"),
            "p90_travel": weighted_quantile(travel, d, 0.9),
            **{within_label(t, u): float(100 * d[travel <= t].sum() / d.sum()) if d.sum() else float("nan")
               for t in WITHIN[u]},
            **f.released(closed_idx, sol.open_sites),
            "objective": sol.objective, "gap": sol.gap, "method": sol.method, "seconds": sol.seconds,
            "status": "ok",
        }
        if self.capacity is not None:
            row.update(self._capacity_use(load * self.patients_per_unit, sol.open_sites, ids))
        return row

    def _capacity_use(self, load: np.ndarray, open_sites: list[int], ids: list[str]) -> dict:
        cap = np.asarray(self.capacity, dtype=float)
        over = np.clip(load - cap, 0, None)[open_sites]
        per_m2 = self.options.capacity.patients_per_m2
        return {"capacity_use": {ids[j]: round(100 * load[j] / cap[j], 1) if cap[j] > 0 else None
                                 for j in open_sites},
                "shortfall_patients": float(over.sum()),
                "shortfall_m2": float(over.sum() / per_m2) if per_m2 else float("nan")}


def _site_name(site: pd.Series) -> str:
    name = site.get("site_name")
    return name if isinstance(name, str) and name else str(site.get("practice_names") or site.get("postcode"))


def capacity_scale(sites: pd.DataFrame, demand: Demand, options: SiteOptions) -> float:
    """Return the patients one unit of demand stands for when it is compared with capacity.

    1, unless capacity is compared with registered patients while demand is residents: then the
    practices' registered total over the residents (age-weighted) total, so that the residents'
    places are kept and their number is the registered lists' (Ascot PCN: 32,519 registered
    patients for 26,755 residents, 1.22).
    """
    if options.capacity.against != "registered" or demand.kind == "registered" or not demand.total:
        return 1.0
    registered = float(pd.to_numeric(sites["patients"], errors="coerce").sum())
    return registered / demand.total if registered > 0 else 1.0


@dataclass(frozen=True)
class _SiteFigures:
    """The sites' floor areas, estimates, running costs and condition scores, as arrays."""

    gia: np.ndarray
    estimated: np.ndarray
    cost_gbp: np.ndarray
    condition: np.ndarray
    cost_estimated: np.ndarray | None = None

    @classmethod
    def of(cls, sites: pd.DataFrame) -> _SiteFigures:
        return cls(pd.to_numeric(sites["gia_m2"], errors="coerce").to_numpy(dtype=float),
                   sites["gia_estimated"].to_numpy(dtype=bool),
                   pd.to_numeric(sites["running_cost_gbp"], errors="coerce").to_numpy(dtype=float),
                   sites["condition"].map(CONDITION_SCORE).to_numpy(dtype=float),
                   sites["cost_estimated"].to_numpy(dtype=bool) if "cost_estimated" in sites else None)

    def released(self, closed: list[int], kept: list[int]) -> dict:
        """Return the floor area and running cost released by closing ``closed``, and the kept sites' condition."""
        gia, cond = self.gia, self.condition
        return {
            "area_released_m2": float(np.nansum(gia[closed])) if not np.isnan(gia).all() else float("nan"),
            **({"area_released_estimated_m2": float(np.nansum(gia[closed][self.estimated[closed]]))}
               if self.estimated.any() else {}),
            "cost_released_gbp": float(np.nansum(self.cost_gbp[closed])) if not np.isnan(self.cost_gbp).all()
            else float("nan"),
            **({"cost_released_estimated_gbp": float(np.nansum(self.cost_gbp[closed][self.cost_estimated[closed]]))}
               if self.cost_estimated is not None and self.cost_estimated.any() else {}),
            "mean_condition": float(np.nanmean(cond[kept])) if not np.isnan(cond[kept]).all() else float("nan"),
        }
