"""Registered patients where they live: NHS England's patients by practice and LSOA.

Where the LSOA file covers a practice, its demand is its registered patients in each LSOA 2021
they live in (at the LSOA's centroid), wherever that is, inside or outside the area. Practices the
file does not cover keep the modelled stand-in: their whole list at their own address. The
``method`` of the returned :class:`~locality.demand.Demand` says which was used.
"""

from __future__ import annotations

import pandas as pd

from locality.demand import Demand
from locality.demand.registered import registered_lists
from locality.vocabulary import DEMAND_METHODS


def default_demand_kind(codes, covered: set[str]) -> str:
    """Return the demand a planner should start from for these practices: the truth where it is known.

    ``"registered"`` (patients where they live) when NHS England's patients-by-LSOA file covers every
    one of ``codes``; otherwise ``"residents"`` (Census 2021 residents of a modelled catchment).
    ``covered`` is :func:`locality.store.registration_coverage` of ``codes``.
    """
    codes = set(codes)
    return "registered" if codes and codes <= covered else "residents"


def registered_where_they_live(practices: pd.DataFrame, registrations: pd.DataFrame, lsoa_points: pd.DataFrame,
                               unplaced: pd.DataFrame, extract_date: str | None = None,
                               lsoa_extract: str | None = None) -> Demand:
    """Return one demand point per practice and LSOA its patients live in (list at the address elsewhere).

    Parameters
    ----------
    practices : DataFrame
        ``practice_code, practice_name, lsoa21_code, patients, easting, northing``.
    registrations : DataFrame
        ``practice_code, lsoa21_code, patients`` (:func:`locality.store.registrations`).
    lsoa_points : DataFrame
        ``lsoa21_code, centroid_e, centroid_n`` of the LSOAs in ``registrations``.
    unplaced : DataFrame
        ``practice_code, kind, patients`` the file could not place in England (Wales, Scotland,
        Northern Ireland, no usable postcode): counted in the notes, not in the demand.
    extract_date, lsoa_extract : str, optional
        The list-size and LSOA-file extracts, for the provenance line.
    """
    known = practices["practice_code"].isin(set(registrations["practice_code"]))
    names = dict(zip(practices["practice_code"], practices["practice_name"], strict=True))
    reg = registrations[registrations["practice_code"].isin(set(practices.loc[known, "practice_code"]))]
    pts = reg.merge(lsoa_points[["lsoa21_code", "centroid_e", "centroid_n"]], on="lsoa21_code", how="inner")
    points = pd.DataFrame({"practice_code": pts["practice_code"], "practice_name": pts["practice_code"].map(names),
                           "lsoa21_code": pts["lsoa21_code"], "weight": pts["patients"].astype(float),
                           "centroid_e": pts["centroid_e"], "centroid_n": pts["centroid_n"]})
    notes: list[str] = []
    edition = f" ({lsoa_extract})" if lsoa_extract else ""
    provenance = (f"NHS England, Patients Registered at a GP Practice by LSOA{edition}: each practice's patients "
                  "in the LSOAs where they live")
    if (~known).any():
        rest = registered_lists(practices[~known], extract_date)
        points = pd.concat([points, rest.points], ignore_index=True)
        missing = ", ".join(sorted(practices.loc[~known, "practice_code"]))
        notes.append(f"The LSOA file does not cover {missing}: their lists are placed at their own address "
                     "(modelled).")
        provenance += f"; {rest.provenance} for the practices it does not cover"
    off = unplaced[unplaced["practice_code"].isin(set(practices.loc[known, "practice_code"]))]
    if len(off):
        by = off.groupby("kind")["patients"].sum()
        parts = ", ".join(f"{int(n):,} {k.replace('_', ' ')}" for k, n in by.items())
        notes.append(f"{int(by.sum()):,} registered patients live where no English LSOA holds them ({parts}); "
                     "they are left out of the demand.")
    method = "registered" if known.all() else ("mixed" if known.any() else "modelled")
    return Demand(points.reset_index(drop=True), "registered", provenance, tuple(notes), method=method)


def method_label(method: str) -> str:
    """Return the planner's words for a demand method (a key of :data:`locality.vocabulary.DEMAND_METHODS`)."""
    return DEMAND_METHODS[method]
