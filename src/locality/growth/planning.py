"""A planning year: practices' lists projected to year N, and groups and site options read at N.

Demand at year N is one of :data:`DEMAND_AT`: today's lists, or today's plus the observed trend. Each
practice is carried forward at the trend of its **local authority**: the compound growth of every practice
counted there at each edition, closed ones included. A practice's own trend is not used to project: a
practice that took on a closed neighbour's patients grows fast between editions, but that was a transfer,
not growth, and would be counted twice (nationally, East Berkshire's 41 practices projected at their own
rates gain 40% by 2035, against 8% on the area's trend). A practice placed in no local authority takes
England's rate. A group at N is the sum of its members at N.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from locality.errors import LocalityError
from locality.growth.need import GpNeed
from locality.growth.trend import HORIZON_YEARS, method_text, projection_date, years_between

#: How demand at the planning year is made (the page's and the CLI's choices).
DEMAND_AT = {"today": "today's lists (no growth)", "trend": "today's lists plus the observed trend"}

#: The furthest a planning year may be from today's lists.
MAX_YEARS_AHEAD = 30


@dataclass(frozen=True)
class PlanningYear:
    """The year to plan for and how its demand is made.

    Attributes
    ----------
    year : int
        The planning year (projections are to 1 July of it).
    demand : {"today", "trend"}
        A key of :data:`DEMAND_AT`.
    need : GpNeed
        Patients per full-time GP, with its source.
    """

    year: int
    demand: str = "trend"
    need: GpNeed = field(default_factory=GpNeed)

    def __post_init__(self):
        if self.demand not in DEMAND_AT:
            raise LocalityError(f"Demand at the planning year is one of {', '.join(DEMAND_AT)} (got {self.demand!r}).")
        if not isinstance(self.year, int | np.integer):
            raise LocalityError(f"The planning year must be a whole year (got {self.year!r}).")
        object.__setattr__(self, "year", int(self.year))

    def check(self, now_date: pd.Timestamp) -> None:
        """Refuse a year before today's lists or more than :data:`MAX_YEARS_AHEAD` years after them."""
        first, last = pd.Timestamp(now_date).year, pd.Timestamp(now_date).year + MAX_YEARS_AHEAD
        if not first <= self.year <= last:
            raise LocalityError(f"The planning year must be from {first} (today's lists, "
                                f"{pd.Timestamp(now_date):%B %Y}) to {last}; got {self.year}.")

    def to_dict(self) -> dict:
        """For scenario files and JSON."""
        return {"year": self.year, "demand": self.demand, "need": self.need.to_dict()}


@dataclass(frozen=True)
class ProjectedLists:
    """Practices' lists today and at the planning year.

    Attributes
    ----------
    table : DataFrame
        ``practice_code, patients`` (today), ``rate`` (used), ``rate_from`` (its own trend, or the
        planned practices' like-for-like rate), ``patients_at_year``.
    plan : PlanningYear
    now_date : Timestamp
        Today's lists' extract date.
    editions : list of Timestamp
        The editions the trend is measured on.
    group_rate : float or None
        The practices' rates averaged, weighted by today's lists.
    """

    table: pd.DataFrame
    plan: PlanningYear
    now_date: pd.Timestamp
    editions: list
    group_rate: float | None

    @property
    def years(self) -> float:
        """Years from today's lists to 1 July of the planning year."""
        return max(0.0, years_between(self.now_date, projection_date(self.plan.year)))

    def method(self) -> str:
        """Return the one line that says how the year's figures were made (printed with every projection)."""
        if self.plan.demand == "today" or self.years == 0:
            return (f"Planning year {self.plan.year}: demand is today's registered lists ({self.now_date:%B %Y}), "
                    "with no growth.")
        england = int((self.table["rate_from"] == "England").sum())
        return (f"Planning year {self.plan.year}. {method_text(self.editions)}"
                + (f" {england} practice(s) in no local authority grow at England's rate." if england else ""))

    def total(self, year: int | None = None) -> float:
        """Return the practices' total list projected to 1 July of ``year`` (default: the planning year)."""
        if year is None:
            return float(self.table["patients_at_year"].sum())
        t = max(0.0, years_between(self.now_date, projection_date(year))) if self.plan.demand == "trend" else 0.0
        return float((self.table["patients"] * (1.0 + self.table["rate"]) ** t).sum())

    def factors(self) -> pd.Series:
        """Return practice code → list at the year ÷ list today (1 where today's list is 0)."""
        t = self.table
        f = (t["patients_at_year"] / t["patients"].where(t["patients"] > 0)).fillna(1.0)
        return pd.Series(f.to_numpy(), index=t["practice_code"].to_numpy())

    def apply(self, practices: pd.DataFrame) -> pd.DataFrame:
        """Return ``practices`` with ``patients`` replaced by the lists at the planning year (whole patients)."""
        at = self.table.set_index("practice_code")["patients_at_year"]
        out = practices.copy()
        out["patients"] = out["practice_code"].map(at).fillna(out["patients"]).round().astype("int64")
        return out


def project_lists(practices: pd.DataFrame, local_rates: pd.Series, england_rate: float | None, editions: list,
                  plan: PlanningYear) -> ProjectedLists:
    """Project the practices' lists to the planning year at their local authorities' trends.

    Parameters
    ----------
    practices : DataFrame
        ``practice_code, patients, lad_code`` (today's lists and where each practice is).
    local_rates : Series
        Local authority code → compound annual growth of its registered lists.
    england_rate : float or None
        England's rate, for a practice in no local authority (0 when None).
    editions : list of Timestamp
        The store's editions, oldest first.
    plan : PlanningYear
    """
    now_date = max(editions)
    plan.check(now_date)
    t = practices[["practice_code", "patients", "lad_code"]].copy()
    t["patients"] = t["patients"].astype(float)
    local = t["lad_code"].map(local_rates)
    t["rate"] = local.fillna(england_rate or 0.0).astype(float)
    t["rate_from"] = np.where(local.notna(), "local authority " + t["lad_code"].fillna("").astype(str), "England")
    years = max(0.0, years_between(now_date, projection_date(plan.year))) if plan.demand == "trend" else 0.0
    if plan.demand == "today" or len(editions) < 2:
        t["rate"] = 0.0
        t["rate_from"] = "no growth"
    t["patients_at_year"] = t["patients"] * (1.0 + t["rate"]) ** years
    weights = t["patients"].where(t["patients"] > 0, 0.0)
    mean = float((t["rate"] * weights).sum() / weights.sum()) if weights.sum() > 0 else None
    return ProjectedLists(t.drop(columns=["lad_code"]).reset_index(drop=True), plan, now_date, list(editions), mean)


def group_outlook(assignment: pd.DataFrame, projected: ProjectedLists, floor: float, ceiling: float,
                  today: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return each group's size and GP need today and at the planning year, flagging those that leave the band.

    Parameters
    ----------
    assignment : DataFrame
        ``practice_code, group``.
    projected : ProjectedLists
    floor, ceiling : float
        The band.
    today : DataFrame, optional
        ``practice_code, patients`` today, when ``assignment``'s lists are already the year's (a grouping
        made for the year); by default the projection's own.

    Returns
    -------
    DataFrame
        ``group, patients_now, status_now, patients_at_year, status_at_year, leaves_band, change, gp_now,
        gp_at_year, year_leaves_band`` (the year the group's projected total first leaves the band, up
        to :data:`~locality.growth.trend.HORIZON_YEARS` ahead; blank if it stays or is outside now).
    """
    from locality.vocabulary import band_status

    t = projected.table.set_index("practice_code")
    now = (today.set_index("practice_code")["patients"] if today is not None else t["patients"]).astype(float)
    a = assignment[["practice_code", "group"]].copy()
    a["now"] = a["practice_code"].map(now)
    a["at"] = a["practice_code"].map(t["patients_at_year"])
    a["rate"] = a["practice_code"].map(t["rate"])
    g = a.groupby("group", sort=True)
    out = pd.DataFrame({"patients_now": g["now"].sum(), "patients_at_year": g["at"].sum()}).reset_index()
    out["status_now"] = band_status(out["patients_now"].to_numpy(), floor, ceiling)
    out["status_at_year"] = band_status(out["patients_at_year"].to_numpy(), floor, ceiling)
    out["leaves_band"] = (out["status_now"] == "within") & (out["status_at_year"] != "within")
    out["change"] = out["patients_at_year"] - out["patients_now"]
    need = projected.plan.need
    out["gp_now"] = [need.fte(v) for v in out["patients_now"]]
    out["gp_at_year"] = [need.fte(v) for v in out["patients_at_year"]]
    first = projected.now_date.year
    years = range(first, first + HORIZON_YEARS + 1)
    leaves = []
    for _grp, rows in g:
        totals = [float((rows["now"] * (1.0 + rows["rate"]) ** max(0.0, years_between(
            projected.now_date, projection_date(y)))).sum()) for y in years] if projected.plan.demand == "trend" else []
        inside = [floor <= v <= ceiling for v in totals]
        year = next((y for y, ok in zip(years, inside, strict=False) if not ok), None) if inside and inside[0] else None
        leaves.append(year)
    out["year_leaves_band"] = pd.array(leaves, dtype="Int64")
    cols = ["group", "patients_now", "status_now", "patients_at_year", "status_at_year", "leaves_band", "change",
            "gp_now", "gp_at_year", "year_leaves_band"]
    return out[cols]


def project_demand(demand, projected: ProjectedLists):
    """Return a site appraisal's demand at the planning year (a :class:`locality.demand.Demand`).

    Registered-list points (``practice_code``) grow with their practice; residents' points with the
    practices' total list (their catchment's residents are not published by year). The provenance says so.
    """
    from dataclasses import replace

    pts = demand.points.copy()
    if "practice_code" in pts.columns:
        f = pts["practice_code"].map(projected.factors()).fillna(1.0)
        how = "each practice's list at its local authority's trend"
    else:
        base = float(projected.table["patients"].sum())
        f = pd.Series(projected.total() / base if base > 0 else 1.0, index=pts.index)
        how = "residents scaled by the practices' projected total"
    pts["weight"] = pts["weight"].astype(float) * f.to_numpy()
    note = f"Demand projected to 1 July {projected.plan.year} ({how}). {projected.method()}"
    return replace(demand, points=pts, provenance=f"{demand.provenance}; projected to {projected.plan.year}",
                   notes=(*demand.notes, note))


def capacity_runs_out(use_at_year: float | None, projected: ProjectedLists) -> int | None:
    """Return the first year (1 July) the busiest kept site's load passes its capacity, or None.

    ``use_at_year`` is the busiest site's capacity use at the planning year, in %. Loads are taken to grow
    as the practices' total list does. None without a capacity figure, or when it stays within capacity
    for :data:`~locality.growth.trend.HORIZON_YEARS`; today's year when it is over capacity already.
    """
    if use_at_year is None or use_at_year != use_at_year:
        return None
    at = projected.total()
    if at <= 0:
        return None
    first = projected.now_date.year
    for y in range(first, first + HORIZON_YEARS + 1):
        if use_at_year * projected.total(y) / at > 100.0:
            return y
    return None


def options_outlook(options: list[dict], projected: ProjectedLists) -> list[dict]:
    """Return, per site option (``k``, ``capacity_use``), when capacity runs out and the GP need now and at N."""
    need = projected.plan.need
    now, at = float(projected.table["patients"].sum()), projected.total()
    out = []
    for o in options:
        use = o.get("capacity_use") or {}
        vals = [v for v in use.values() if v is not None]
        busiest = max(vals) if vals else None
        runs = capacity_runs_out(busiest, projected)
        out.append({"k": o.get("k"), "busiest_site_use_at_year": busiest, "capacity_runs_out": runs,
                    "over_capacity_today": runs is not None and runs <= projected.now_date.year,
                    "gp_now": need.fte(now), "gp_at_year": need.fte(at)})
    return out
