"""The sites of an appraisal: practice postcodes or an estates register, with their figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from locality.assumptions import AreaBenchmark
from locality.errors import SitesError
from locality.geography import bng_to_wgs84
from locality.sites.options import Capacity

#: The figures an estates register gives a site (blank for practice postcodes).
REGISTER_FIELDS = ["site_name", "gia_m2", "clinical_rooms", "tenure", "lease_end", "condition", "running_cost_gbp",
                   "must_keep", "must_close"]


def postcode_sites(practices: pd.DataFrame) -> pd.DataFrame:
    """Return one site per distinct practice postcode (co-located practices share it), figures unknown."""
    sites = (practices.groupby("site_id")
             .agg(postcode=("postcode", "first"), easting=("easting", "first"), northing=("northing", "first"),
                  practices=("practice_code", lambda s: ",".join(sorted(s))),
                  practice_names=("practice_name", lambda s: "; ".join(sorted(s))),
                  patients=("patients", "sum"))
             .reset_index())
    sites["source"] = "practice postcode"
    for c in REGISTER_FIELDS:
        sites[c] = False if c.startswith("must_") else None
    return sites


def register_sites(register: pd.DataFrame, practices: pd.DataFrame) -> pd.DataFrame:
    """Return the register's sites used by these practices, each practice's list shared among its sites.

    Raises
    ------
    SitesError
        Naming the practices the register does not hold.
    """
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
    reg = reg.drop(columns=["codes"]).reset_index(drop=True)
    reg["source"] = "estates register"
    return reg


def estimate_floor_areas(sites: pd.DataFrame, benchmark: AreaBenchmark | None) -> AreaBenchmark | None:
    """Fill the floor areas a register leaves blank from list size, marking them ``gia_estimated``.

    Returns the benchmark when it estimated at least one area, else None. ``sites`` is changed in place.
    """
    sites["gia_estimated"] = False
    if benchmark is None:
        return None
    given = pd.to_numeric(sites["gia_m2"], errors="coerce")
    blank = given.isna()
    sites["gia_m2"] = given.fillna(benchmark.estimate(sites["patients"]))
    sites.loc[blank, "source"] = sites.loc[blank, "source"] + "; floor area estimated"
    sites["gia_estimated"] = blank
    return benchmark if blank.any() else None


def locate(sites: pd.DataFrame) -> None:
    """Add ``lat, lon`` (WGS84, for web maps) from the sites' British National Grid position, in place."""
    sites["lat"], sites["lon"] = bng_to_wgs84(sites["easting"], sites["northing"])


def shared_list_notes(sites: pd.DataFrame, practices: pd.DataFrame) -> list[str]:
    """Return notes for practices at several register sites: their list is shared equally among them."""
    codes = [c for cs in sites["practices"] for c in cs.split(",")]
    size = practices.set_index("practice_code")["patients"]
    notes = []
    for code, n in pd.Series(codes).value_counts().items():
        if n > 1 and code in size.index:  # a register row may name practices outside the appraisal
            at = ", ".join(sites.loc[sites["practices"].str.split(",").map(lambda cs, c=code: c in cs), "site_id"])
            notes.append(f"{code}'s {size[code]:,} registered patients are shared equally among its {n} sites "
                         f"({at}): the register does not say how many use each.")
    return notes


def capacities(sites: pd.DataFrame, capacity: Capacity) -> np.ndarray | None:
    """Return the patients each site can serve (None when capacity is not used).

    ``gia_m2 × rate`` (basis "m2") or ``clinical_rooms × rate`` (basis "room").

    Raises
    ------
    SitesError
        If a site has no floor area (or rooms) recorded.
    """
    if not capacity.used:
        return None
    col = {"m2": "gia_m2", "room": "clinical_rooms"}[capacity.basis]
    v = pd.to_numeric(sites[col], errors="coerce")
    if v.isna().any():
        gaps = ", ".join(sites.loc[v.isna(), "site_id"])
        raise SitesError(f"Capacity by {col} needs it for every site; missing for {gaps}.")
    return v.to_numpy(dtype=float) * float(capacity.rate)


def site_towns(sites: pd.DataFrame, practices: pd.DataFrame) -> list[str | None]:
    """Return each site's post town: the town of most of its practices (from their ODS addresses)."""
    from locality.places import post_towns

    town = dict(zip(practices["practice_code"], post_towns(practices), strict=True))
    out = []
    for codes in sites["practices"]:
        towns = [town.get(c) for c in str(codes).split(",") if town.get(c)]
        out.append(max(towns, key=towns.count) if towns else None)
    return out
