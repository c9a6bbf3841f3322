"""New-build candidates: sites that do not exist yet (a Section 106 hub), competing with today's premises.

A candidate has a name, a postcode (or an easting and northing), its planned floor area, clinical rooms
and estimated capital cost, and the source of those figures (required: they are estimates). It joins the
appraisal's sites with no practices and no patients today, so the p-median opens it only when keeping it
serves the demand better. It holds no estate today, so leaving it unbuilt releases nothing; building it
costs its capital cost, which the options table sets against the estate the option releases.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from locality.errors import SitesError

#: Prefix of a candidate's site id.
PREFIX = "NEW-"
MAX_GIA_M2 = 30_000
MAX_ROOMS = 300
MAX_COST_GBP = 200_000_000


@dataclass(frozen=True)
class NewBuild:
    """One new-build candidate.

    Attributes
    ----------
    name : str
        What to call it ("Cranfield new-build hub").
    postcode : str, optional
        Its postcode; or ``easting`` and ``northing`` (British National Grid metres).
    gia_m2, clinical_rooms : float, int
        Planned gross internal area and clinical rooms.
    cost_gbp : float
        Estimated capital cost, in pounds.
    source : str
        Where the area, rooms and cost come from (required).
    """

    name: str
    postcode: str | None = None
    easting: float | None = None
    northing: float | None = None
    gia_m2: float = float("nan")
    clinical_rooms: int = 0
    cost_gbp: float = float("nan")
    source: str = ""

    def __post_init__(self):
        if not str(self.name or "").strip():
            raise SitesError("A new-build candidate needs a name.")
        checks = (("gia_m2", self.gia_m2, 1, MAX_GIA_M2), ("clinical_rooms", self.clinical_rooms, 1, MAX_ROOMS),
                  ("cost_gbp", self.cost_gbp, 0, MAX_COST_GBP))
        for what, v, lo, hi in checks:
            if not isinstance(v, int | float) or math.isnan(v) or not lo <= v <= hi:
                raise SitesError(f"New-build candidate {self.name!r}: {what} must be from {lo:,} to {hi:,} (got {v!r}).")
        if len(" ".join(str(self.source or "").split())) < 3:
            raise SitesError(f"New-build candidate {self.name!r} needs the source of its area, rooms and cost "
                             "(they are estimates): publisher, title and year, or a link.")
        if not self.postcode and (self.easting is None or self.northing is None):
            raise SitesError(f"New-build candidate {self.name!r} needs a postcode, or an easting and northing.")

    @property
    def site_id(self) -> str:
        """Its site id: ``NEW-`` and its name in capitals without spaces."""
        return PREFIX + "".join(ch for ch in self.name.upper() if ch.isalnum())[:40]

    def to_dict(self) -> dict:
        """For scenario files and JSON."""
        return {"name": self.name, "postcode": self.postcode, "easting": self.easting, "northing": self.northing,
                "gia_m2": self.gia_m2, "clinical_rooms": self.clinical_rooms, "cost_gbp": self.cost_gbp,
                "source": self.source}

    @classmethod
    def parse(cls, text: str) -> NewBuild:
        """From the CLI's ``name=…;postcode=…;gia_m2=…;rooms=…;cost_gbp=…;source=…`` form.

        Raises
        ------
        SitesError
            Naming the item that is not ``key=value`` or the key not known.
        """
        keys = {"name": str, "postcode": str, "easting": float, "northing": float, "gia_m2": float,
                "rooms": int, "clinical_rooms": int, "cost_gbp": float, "source": str}
        got: dict = {}
        for item in filter(None, (p.strip() for p in text.split(";"))):
            k, sep, v = item.partition("=")
            k = k.strip().lower()
            if not sep or k not in keys:
                raise SitesError(f"New-build item {item!r} is not key=value with a key among {', '.join(keys)}.")
            try:
                got["clinical_rooms" if k == "rooms" else k] = keys[k](v.strip())
            except ValueError:
                raise SitesError(f"New-build {k}={v.strip()!r} is not a number.") from None
        return cls(**got)


def candidate_sites(candidates: tuple[NewBuild, ...], coordinates: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """Return the candidates as appraisal sites (no practices, no patients today).

    ``coordinates`` maps normalised postcodes to easting and northing (the store's Code-Point Open).

    Raises
    ------
    SitesError
        A postcode not in Code-Point Open, or two candidates with one site id.
    """
    rows = []
    for c in candidates:
        e, n = c.easting, c.northing
        if c.postcode:
            if c.postcode not in coordinates:
                raise SitesError(f"New-build candidate {c.name!r}: postcode {c.postcode!r} is not in Code-Point Open.")
            e, n = coordinates[c.postcode]
        if e is None or n is None:  # pragma: no cover - NewBuild refuses a candidate without a location
            raise SitesError(f"New-build candidate {c.name!r} has no location.")
        rows.append({"site_id": c.site_id, "postcode": c.postcode, "easting": float(e), "northing": float(n),
                     "practices": "", "practice_names": "", "patients": 0.0, "source": "new-build candidate",
                     "site_name": c.name, "gia_m2": float(c.gia_m2), "clinical_rooms": int(c.clinical_rooms),
                     "tenure": "new build", "lease_end": None, "condition": "A", "running_cost_gbp": None,
                     "must_keep": False, "must_close": False, "town": None, "new_build_cost_gbp": float(c.cost_gbp),
                     "new_build_source": c.source})
    out = pd.DataFrame(rows)
    if len(out) and out["site_id"].duplicated().any():
        raise SitesError("Two new-build candidates have the same name.")
    return out


def weigh_new_builds(table: pd.DataFrame, candidates: pd.DataFrame, existing_area_known: bool = True) -> pd.DataFrame:
    """Add to each option what it builds and what that costs, against the estate it releases.

    An unbuilt candidate releases nothing: its planned floor area is taken back out of ``area_released_m2``
    (which stays unknown, NaN, when today's sites' floor areas are, ``existing_area_known=False``).
    Adds ``builds_new`` (the candidates kept, names), ``new_build_cost_gbp``, ``new_area_m2`` and
    ``cost_years`` (capital cost ÷ running cost released a year; blank when nothing is released).
    """
    out = table.copy()
    if not len(candidates):
        return out
    by_id = candidates.set_index("site_id")
    kept_new = out["kept"].map(lambda ids: [i for i in ids if i in by_id.index])
    closed_new = out["closed"].map(lambda ids: [i for i in ids if i in by_id.index])
    out["builds_new"] = kept_new.map(lambda ids: "; ".join(by_id.loc[i, "site_name"] for i in ids) or "no: keeps "
                                     "existing premises")
    out["new_build_cost_gbp"] = kept_new.map(lambda ids: float(sum(by_id.loc[i, "new_build_cost_gbp"] for i in ids)))
    out["new_area_m2"] = kept_new.map(lambda ids: float(sum(by_id.loc[i, "gia_m2"] for i in ids)))
    if "area_released_m2" in out:
        back = closed_new.map(lambda ids: float(sum(by_id.loc[i, "gia_m2"] for i in ids)))
        out["area_released_m2"] = (out["area_released_m2"] - back) if existing_area_known else float("nan")
    if "cost_released_gbp" in out:
        c = out["cost_released_gbp"].astype(float)
        out["cost_years"] = (out["new_build_cost_gbp"] / c.where(c > 0)).where(out["new_build_cost_gbp"] > 0)
    return out
