"""Housing growth: new residents from a housing trajectory, where they live and where they register.

New residents are homes completed × people per home (2.4 by default, ONS Census 2021, cited; a planner
may set their own figure with its source). They join the LSOA that holds their site, and register with
the practice the trajectory names for the site, or else with the nearest practice site among the
practices planned (shared equally when several practices share that site). Homes count when completed
in the years after today's lists' year, up to and including the planning year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from locality.errors import AssumptionError
from locality.sources.housing import TRAJECTORY_COLUMNS

PEOPLE_PER_HOME = 2.4
PEOPLE_PER_HOME_SOURCE = (
    "ONS, Census 2021 first results on households (2 November 2022): \"The average household size in England and "
    "Wales in 2021 was 2.4 people per household\" (DLUHC Fact Sheet 4, 2023: 9,000 people, 3,800 homes, 2.37)")


@dataclass(frozen=True)
class PeoplePerHome:
    """People per new home, with where the figure comes from (required when not the default)."""

    value: float = PEOPLE_PER_HOME
    source: str = PEOPLE_PER_HOME_SOURCE

    def __post_init__(self):
        v = self.value
        if not isinstance(v, int | float) or math.isnan(v) or not 1.0 <= v <= 6.0:
            raise AssumptionError(f"People per home must be between 1 and 6 (got {v!r}).")
        text = " ".join(str(self.source or "").split())
        if len(text) < 3:
            raise AssumptionError("People per home needs its source (publisher, title and year, or a link), so that "
                                  "everyone reading the results can check it.")
        object.__setattr__(self, "value", float(v))
        object.__setattr__(self, "source", text)

    def label(self) -> str:
        """Return "2.4 people per home (source …)"."""
        return f"{self.value:g} people per home ({self.source})"


@dataclass(frozen=True)
class Housing:
    """A housing trajectory used in a plan: its rows, the people-per-home figure, and whether it is illustrative.

    Attributes
    ----------
    name : str
        The trajectory's name (as saved).
    rows : tuple of tuple
        :data:`~locality.sources.housing.TRAJECTORY_COLUMNS` values, one per site and year.
    people_per_home : PeoplePerHome
    illustrative : bool
        True for a made-up trajectory (tests, worked examples): every output then says so.
    """

    name: str
    rows: tuple
    people_per_home: PeoplePerHome = field(default_factory=PeoplePerHome)
    illustrative: bool = False

    @classmethod
    def from_frame(cls, name: str, frame: pd.DataFrame, people_per_home: PeoplePerHome | None = None,
                   illustrative: bool = False) -> Housing:
        """Build from a checked trajectory frame (:func:`locality.sources.housing.read_trajectory`)."""
        rows = tuple(tuple(None if (isinstance(v, float) and v != v) else v for v in r)
                     for r in frame[TRAJECTORY_COLUMNS].itertuples(index=False, name=None))
        return cls(name, rows, people_per_home or PeoplePerHome(), illustrative)

    def frame(self) -> pd.DataFrame:
        """Return the rows as a frame."""
        return pd.DataFrame(list(self.rows), columns=TRAJECTORY_COLUMNS)

    def label(self) -> str:
        """Return "trajectory NAME (illustrative): N homes on M sites, 2.4 people per home (source)"."""
        f = self.frame()
        return (f"housing trajectory {self.name!r}{' (illustrative, not a real plan)' if self.illustrative else ''}: "
                f"{f['dwellings'].sum():,.0f} homes on {f['site_ref'].nunique()} site(s), "
                f"{self.people_per_home.label()}")

    def to_dict(self) -> dict:
        """For scenario files: the rows in full, so a file stands alone."""
        return {"name": self.name, "illustrative": self.illustrative,
                "people_per_home": {"value": self.people_per_home.value, "source": self.people_per_home.source},
                "rows": [dict(zip(TRAJECTORY_COLUMNS, r, strict=True)) for r in self.rows]}

    @classmethod
    def from_dict(cls, d: dict) -> Housing:
        """From :meth:`to_dict`'s form."""
        pph = d.get("people_per_home") or {}
        frame = pd.DataFrame(d.get("rows") or [], columns=TRAJECTORY_COLUMNS)
        return cls.from_frame(str(d.get("name", "")), frame,
                              PeoplePerHome(pph.get("value", PEOPLE_PER_HOME), pph.get("source", PEOPLE_PER_HOME_SOURCE)),
                              bool(d.get("illustrative", False)))


def new_residents(housing: Housing, after_year: int, year: int) -> pd.DataFrame:
    """Return each site's homes completed in ``after_year`` < year ≤ ``year`` and its new residents.

    Columns ``site_ref, site_name, easting, northing, status, practice, dwellings, residents``.
    """
    f = housing.frame()
    f = f[(f["year"] > after_year) & (f["year"] <= year)]
    cols = ["site_ref", "site_name", "easting", "northing", "status", "practice"]
    g = f.groupby("site_ref", sort=True)
    out = g[cols[1:]].first().reset_index()
    out["dwellings"] = g["dwellings"].sum().to_numpy() if len(f) else []
    out["residents"] = out["dwellings"] * housing.people_per_home.value
    return out


def register_new_residents(sites: pd.DataFrame, practices: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Decide which practices each housing site's new residents register with.

    Parameters
    ----------
    sites : DataFrame
        :func:`new_residents`.
    practices : DataFrame
        The practices planned: ``practice_code, site_id, easting, northing``.

    Returns
    -------
    by_site : DataFrame
        ``sites`` with ``registers_with`` (the practice codes, ``;``-separated) and ``how`` ("named in the
        trajectory" or "nearest practice site, N m").
    by_practice : DataFrame
        ``practice_code, residents`` (new residents each practice takes on).
    """
    p = practices.dropna(subset=["easting", "northing"])
    at_site = p.groupby("site_id").agg(e=("easting", "first"), n=("northing", "first"),
                                       codes=("practice_code", lambda s: sorted(s)))
    who, how, alloc = [], [], []
    for r in sites.itertuples():
        if isinstance(r.practice, str) and r.practice:
            codes, why = [r.practice], "named in the trajectory"
        elif len(at_site):
            d = np.hypot(at_site["e"].to_numpy() - r.easting, at_site["n"].to_numpy() - r.northing)
            j = int(np.argmin(d))
            codes, why = list(at_site["codes"].iloc[j]), f"nearest practice site, {d[j]:,.0f} m"
        else:
            codes, why = [], "no practice to register with"
        who.append(";".join(codes))
        how.append(why)
        alloc += [(c, r.residents / len(codes)) for c in codes]
    by_site = sites.assign(registers_with=who, how=how)
    by_practice = (pd.DataFrame(alloc, columns=["practice_code", "residents"]).groupby("practice_code", as_index=False)
                   ["residents"].sum())
    return by_site, by_practice
