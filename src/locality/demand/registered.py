"""Registered-list demand: each practice's list at the practice's own address."""

from __future__ import annotations

import pandas as pd

from locality.demand import Demand


def registered_lists(practices: pd.DataFrame, extract_date: str | None = None) -> Demand:
    """Return one demand point per practice: its registered patients, at its address.

    Parameters
    ----------
    practices : DataFrame
        ``practice_code, practice_name, lsoa21_code, patients, easting, northing``.
    extract_date : str, optional
        The registered-list extract the sizes come from, for the provenance line.
    """
    points = pd.DataFrame({"practice_code": practices["practice_code"], "practice_name": practices["practice_name"],
                           "lsoa21_code": practices["lsoa21_code"], "weight": practices["patients"].astype(float),
                           "centroid_e": practices["easting"], "centroid_n": practices["northing"]})
    edition = f" ({extract_date})" if extract_date else ""
    return Demand(points.reset_index(drop=True), "registered",
                  f"NHS England, Patients Registered at a GP Practice{edition}: each list at its practice's address")
