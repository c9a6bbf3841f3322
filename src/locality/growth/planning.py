"""A planning year: practices' lists projected to year N, and groups and site options read at N.

Demand at year N is one of :data:`DEMAND_AT`: today's lists, plus the observed trend, plus housing growth
(:mod:`locality.growth.housing`), or both. On the trend each practice is carried forward at the trend of its **local authority**: the compound growth of every practice
counted there at each edition, closed ones included. A practice's own trend is not used to project: a
practice that took on a closed neighbour's patients grows fast between editions, but that was a transfer,
not growth, and would be counted twice (nationally, East Berkshire's 41 practices projected at their own
rates gain 40% by 2035, against 10% at their local authorities' trends). A practice in no local authority takes
England's rate. A group at N is the sum of its members at N.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from locality.errors import LocalityError
from locality.growth.housing import Housing, register_new_residents
from locality.growth.need import GpNeed
from locality.growth.trend import HORIZON_YEARS, method_text, projection_date, years_between

#: How demand at the planning year is made (the page's and the CLI's choices).
DEMAND_AT = {"today": "today's lists (no growth)", "trend": "today's lists plus the observed trend",
             "housing": "today's lists plus housing growth", "both": "today's lists plus the trend and housing growth"}

#: The furthest a planning year may be from today's lists.
MAX_YEARS_AHEAD = 30


@dataclass(frozen=True)
class PlanningYear:
    """The year to plan for and how its demand is made.

    Attributes
    ----------
    year : int
        The planning year (projections are to 1 July of it).
    demand : {"today", "trend", "housing", "both"}
        A key of :data:`DEMAND_AT`.
    need : GpNeed
        Patients per full-time GP, with its source.
    housing : Housing, optional
        The housing trajectory (needed with ``housing`` and ``both``).
    """

    year: int
    demand: str = "trend"
    need: GpNeed = field(default_factory=GpNeed)
    housing: Housing | None = None

    @property
    def with_trend(self) -> bool:
        """Whether demand grows with the observed trend."""
        return self.demand in ("trend", "both")

    @property
    def with_housing(self) -> bool:
        """Whether demand grows with the housing trajectory."""
        return self.demand in ("housing", "both") and self.housing is not None

    def __post_init__(self):
        if self.demand not in DEMAND_AT:
            raise LocalityError(f"Demand at the planning year is one of {', '.join(DEMAND_AT)} (got {self.demand!r}).")
        if not isinstance(self.year, int | np.integer):
            raise LocalityError(f"The planning year must be a whole year (got {self.year!r}).")
        if self.demand in ("housing", "both") and self.housing is None:
            raise LocalityError(f"Demand with housing growth needs a housing trajectory ({DEMAND_AT[self.demand]}).")
        object.__setattr__(self, "year", int(self.year))

    def check(self, now_date: pd.Timestamp) -> None:
        """Refuse a year before today's lists or more than :data:`MAX_YEARS_AHEAD` years after them."""
        first, last = pd.Timestamp(now_date).year, pd.Timestamp(now_date).year + MAX_YEARS_AHEAD
        if not first <= self.year <= last:
            raise LocalityError(f"The planning year must be from {first} (today's lists, "
                                f"{pd.Timestamp(now_date):%B %Y}) to {last}; got {self.year}.")

    def to_dict(self) -> dict:
        """For scenario files and JSON (a housing trajectory in full, so a file stands alone)."""
        return {"year": self.year, "demand": self.demand, "need": self.need.to_dict(),
                "housing": self.housing.to_dict() if self.housing is not None else None}

    @classmethod
    def from_dict(cls, d: dict | None) -> PlanningYear | None:
        """From :meth:`to_dict`'s form (None for None)."""
        if not d:
            return None
        housing = Housing.from_dict(d["housing"]) if d.get("housing") else None
        return cls(int(d["year"]), d.get("demand", "trend"), GpNeed.from_dict(d.get("need")), housing)


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
    housing_sites : DataFrame, optional
        Each housing site's new residents by the year, its LSOA and the practices they register with.
    """

    table: pd.DataFrame
    plan: PlanningYear
    now_date: pd.Timestamp
    editions: list
    group_rate: float | None
    housing_sites: pd.DataFrame | None = None

    @property
    def years(self) -> float:
        """Years from today's lists to 1 July of the planning year."""
        return max(0.0, years_between(self.now_date, projection_date(self.plan.year)))

    def method(self) -> str:
        """Return the one line that says how the year's figures were made (printed with every projection)."""
        plan = self.plan
        if plan.demand == "today" or (self.years == 0 and not plan.with_housing):
            return (f"Planning year {plan.year}: demand is today's registered lists ({self.now_date:%B %Y}), "
                    "with no growth.")
        parts = [f"Planning year {plan.year}, projected to 1 July."]
        if plan.with_trend:
            england = int((self.table["rate_from"] == "England").sum())
            parts.append(method_text(self.editions)
                         + (f" {england} practice(s) in no local authority grow at England's rate." if england else ""))
        if plan.with_housing and plan.housing is not None:
            h = self.housing_sites
            n = 0.0 if h is None else float(h["residents"].sum())
            parts.append(f"Housing growth: {plan.housing.label()}; homes completed after {self.now_date.year} up to "
                         f"{plan.year} bring {n:,.0f} new residents, who join the LSOA holding their site and "
                         "register with the practice named for it, or the nearest practice site."
                         + (" The trend already contains past building: housing is added on top of it."
                            if plan.with_trend else ""))
        return " ".join(parts)

    def total(self, year: int | None = None) -> float:
        """Return the practices' total list projected to 1 July of ``year`` (default: the planning year)."""
        if year is None:
            return float(self.table["patients_at_year"].sum())
        t = max(0.0, years_between(self.now_date, projection_date(year))) if self.plan.with_trend else 0.0
        trend = float((self.table["patients"] * (1.0 + self.table["rate"]) ** t).sum())
        return trend + self.housing_residents(year)

    def housing_residents(self, year: int | None = None) -> float:
        """Return the new residents from housing registered with the planned practices by ``year`` (default: N)."""
        if not self.plan.with_housing or self.plan.housing is None:
            return 0.0
        if year is None:
            return float(self.table["housing_residents"].sum())
        from locality.growth.housing import new_residents

        sites = new_residents(self.plan.housing, self.now_date.year, year)
        mine = set(self.table["practice_code"])
        take = self.housing_sites.set_index("site_ref")["registers_with"] if self.housing_sites is not None else {}
        total = 0.0
        for r in sites.itertuples():
            codes = [c for c in str(take.get(r.site_ref, "")).split(";") if c]
            total += r.residents * sum(c in mine for c in codes) / len(codes) if codes else 0.0
        return total

    def factors(self) -> pd.Series:
        """Return practice code → list at the year on the trend alone ÷ list today (1 where today's list is 0)."""
        t = self.table
        f = (t["patients_trend"] / t["patients"].where(t["patients"] > 0)).fillna(1.0)
        return pd.Series(f.to_numpy(), index=t["practice_code"].to_numpy())

    def apply(self, practices: pd.DataFrame) -> pd.DataFrame:
        """Return ``practices`` with ``patients`` replaced by the lists at the planning year (whole patients)."""
        at = self.table.set_index("practice_code")["patients_at_year"]
        out = practices.copy()
        out["patients"] = out["practice_code"].map(at).fillna(out["patients"]).round().astype("int64")
        return out


def project_lists(practices: pd.DataFrame, local_rates: pd.Series, england_rate: float | None, editions: list,
                  plan: PlanningYear, housing_sites: pd.DataFrame | None = None) -> ProjectedLists:
    """Project the practices' lists to the planning year: their local authorities' trends, and housing growth.

    Parameters
    ----------
    practices : DataFrame
        ``practice_code, patients, lad_code`` (today's lists and where each practice is); with housing,
        also ``site_id, easting, northing`` (to find each housing site's nearest practice site).
    local_rates : Series
        Local authority code → compound annual growth of its registered lists.
    england_rate : float or None
        England's rate, for a practice in no local authority (0 when None).
    editions : list of Timestamp
        The store's editions, oldest first.
    plan : PlanningYear
    housing_sites : DataFrame, optional
        :func:`locality.growth.housing.new_residents` for the plan's trajectory (with ``lsoa21_code``).
    """
    now_date = max(editions)
    plan.check(now_date)
    t = practices[["practice_code", "patients", "lad_code"]].copy()
    t["patients"] = t["patients"].astype(float)
    local = t["lad_code"].map(local_rates)
    t["rate"] = local.fillna(england_rate or 0.0).astype(float)
    t["rate_from"] = np.where(local.notna(), "local authority " + t["lad_code"].fillna("").astype(str), "England")
    years = max(0.0, years_between(now_date, projection_date(plan.year)))
    if not plan.with_trend or len(editions) < 2:
        t["rate"] = 0.0
        t["rate_from"] = "no growth"
    t["patients_trend"] = t["patients"] * (1.0 + t["rate"]) ** years
    t["housing_residents"] = 0.0
    sites = None
    if plan.with_housing and housing_sites is not None:
        sites, by_practice = register_new_residents(housing_sites, practices)
        t["housing_residents"] = t["practice_code"].map(by_practice.set_index("practice_code")["residents"]).fillna(0.0)
    t["patients_at_year"] = t["patients_trend"] + t["housing_residents"]
    weights = t["patients"].where(t["patients"] > 0, 0.0)
    mean = float((t["rate"] * weights).sum() / weights.sum()) if weights.sum() > 0 else None
    return ProjectedLists(t.drop(columns=["lad_code"]).reset_index(drop=True), plan, now_date, list(editions), mean,
                          sites)


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
        ``group, patients_now, status_now, patients_at_year, status_at_year, leaves_band, change,
        housing_residents, gp_now, gp_at_year, gp_from_housing`` (the extra FTE GPs housing alone brings)
        and ``year_leaves_band`` (the year the group's trend first takes it out of the band, up to
        :data:`~locality.growth.trend.HORIZON_YEARS` ahead; blank if it stays or is outside now).
    """
    from locality.vocabulary import band_status

    t = projected.table.set_index("practice_code")
    now = (today.set_index("practice_code")["patients"] if today is not None else t["patients"]).astype(float)
    a = assignment[["practice_code", "group"]].copy()
    a["now"] = a["practice_code"].map(now)
    a["at"] = a["practice_code"].map(t["patients_at_year"])
    a["rate"] = a["practice_code"].map(t["rate"])
    a["housing"] = a["practice_code"].map(t["housing_residents"]).fillna(0.0)
    g = a.groupby("group", sort=True)
    out = pd.DataFrame({"patients_now": g["now"].sum(), "patients_at_year": g["at"].sum(),
                        "housing_residents": g["housing"].sum()}).reset_index()
    out["status_now"] = band_status(out["patients_now"].to_numpy(), floor, ceiling)
    out["status_at_year"] = band_status(out["patients_at_year"].to_numpy(), floor, ceiling)
    out["leaves_band"] = (out["status_now"] == "within") & (out["status_at_year"] != "within")
    out["change"] = out["patients_at_year"] - out["patients_now"]
    need = projected.plan.need
    out["gp_now"] = [need.fte(v) for v in out["patients_now"]]
    out["gp_at_year"] = [need.fte(v) for v in out["patients_at_year"]]
    out["gp_from_housing"] = [need.fte(v) for v in out["housing_residents"]]
    first = projected.now_date.year
    years = range(first, first + HORIZON_YEARS + 1)
    leaves = []
    for _grp, rows in g:
        totals = [float((rows["now"] * (1.0 + rows["rate"]) ** max(0.0, years_between(
            projected.now_date, projection_date(y)))).sum()) for y in years] if projected.plan.with_trend else []
        inside = [floor <= v <= ceiling for v in totals]
        year = next((y for y, ok in zip(years, inside, strict=False) if not ok), None) if inside and inside[0] else None
        leaves.append(year)
    out["year_leaves_band"] = pd.array(leaves, dtype="Int64")
    cols = ["group", "patients_now", "status_now", "patients_at_year", "status_at_year", "leaves_band", "change",
            "housing_residents", "gp_now", "gp_at_year", "gp_from_housing", "year_leaves_band"]
    return out[cols]


def project_demand(demand, projected: ProjectedLists):
    """Return a site appraisal's demand at the planning year (a :class:`locality.demand.Demand`).

    Registered-list points (``practice_code``) grow with their practice's trend; residents' points with
    the practices' total on the trend (their residents are not published by year). New residents from
    housing are added as points at their site (its LSOA), registered with their practice. The provenance
    and notes say so.
    """
    from dataclasses import replace

    pts = demand.points.copy()
    registered = "practice_code" in pts.columns
    if registered:
        f = pts["practice_code"].map(projected.factors()).fillna(1.0)
    else:
        base = float(projected.table["patients"].sum())
        trend = float(projected.table["patients_trend"].sum())
        f = pd.Series(trend / base if base > 0 else 1.0, index=pts.index)
    pts["weight"] = pts["weight"].astype(float) * f.to_numpy()
    new = _housing_points(projected, registered, pts.columns)
    if len(new):
        pts = pd.concat([pts, new], ignore_index=True)
    how = "each practice's list at its local authority's trend" if registered else \
        "residents scaled by the practices' projected total"
    note = f"Demand projected to 1 July {projected.plan.year} ({how}). {projected.method()}"
    return replace(demand, points=pts, provenance=f"{demand.provenance}; projected to {projected.plan.year}",
                   notes=(*demand.notes, note))


def _housing_points(projected: ProjectedLists, registered: bool, columns) -> pd.DataFrame:
    """Return new residents as demand points at their housing sites (one per site and registering practice)."""
    h = projected.housing_sites
    if h is None or not len(h):
        return pd.DataFrame(columns=list(columns))
    rows = []
    mine = set(projected.table["practice_code"])
    for r in h.itertuples():
        codes = [c for c in str(r.registers_with).split(";") if c]
        for c in codes if registered else ["_"]:
            if registered and c not in mine:
                continue
            w = r.residents / len(codes) if registered else r.residents
            row: dict[str, object] = {col: 0.0 for col in columns if col.startswith("age_")}
            row.update(weight=w, centroid_e=r.easting, centroid_n=r.northing, lsoa21_code=r.lsoa21_code,
                       residents=w)
            if registered:
                row.update(practice_code=c, practice_name=f"new residents of {r.site_name}")
            rows.append(row)
    return pd.DataFrame(rows).reindex(columns=list(columns)) if rows else pd.DataFrame(columns=list(columns))


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
