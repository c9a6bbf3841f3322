"""Registered-list demand: each practice's list where its patients are seen today.

Without an estates register a practice's patients are seen at its own address (its ODS
postcode). With a register they are seen at the practice's register sites: a practice at
several sites has its list shared equally among them (a register does not say how many use
each), so keeping every site moves nobody.
"""

from __future__ import annotations

import pandas as pd

from locality.demand import Demand


def registered_lists(practices: pd.DataFrame, extract_date: str | None = None,
                     sites: pd.DataFrame | None = None) -> Demand:
    """Return the practices' registered patients as demand points, where each list is seen today.

    Parameters
    ----------
    practices : DataFrame
        ``practice_code, practice_name, lsoa21_code, patients, easting, northing``.
    extract_date : str, optional
        The registered-list extract the sizes come from, for the provenance line.
    sites : DataFrame, optional
        An estates register's sites (:func:`locality.sites.premises.register_sites`: ``site_id,
        practices`` as comma-separated codes, ``easting, northing``). Given, each practice's list
        is placed at its register sites, shared equally among them, instead of at its address.
    """
    edition = f" ({extract_date})" if extract_date else ""
    source = f"NHS England, Patients Registered at a GP Practice{edition}"
    if sites is None:
        points = pd.DataFrame({"practice_code": practices["practice_code"],
                               "practice_name": practices["practice_name"],
                               "lsoa21_code": practices["lsoa21_code"], "weight": practices["patients"].astype(float),
                               "centroid_e": practices["easting"], "centroid_n": practices["northing"]})
        return Demand(points.reset_index(drop=True), "registered", f"{source}: each list at its practice's address")
    return Demand(_at_sites(practices, sites), "registered",
                  f"{source}: each list at its practice's estates-register sites, shared equally among them")


def _at_sites(practices: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Return one demand point per (practice, register site): the practice's list over its number of sites."""
    pairs = [(code, r.site_id, r.easting, r.northing) for r in sites.itertuples()
             for code in str(r.practices).split(",") if code]
    at = pd.DataFrame(pairs, columns=["practice_code", "site_id", "centroid_e", "centroid_n"])
    at = at[at["practice_code"].isin(practices["practice_code"])]
    n_sites = at.groupby("practice_code")["site_id"].transform("size")
    p = practices.set_index("practice_code")
    at["practice_name"] = at["practice_code"].map(p["practice_name"])
    at["lsoa21_code"] = at["practice_code"].map(p["lsoa21_code"])
    at["weight"] = at["practice_code"].map(p["patients"].astype(float)) / n_sites
    cols = ["practice_code", "practice_name", "site_id", "lsoa21_code", "weight", "centroid_e", "centroid_n"]
    return at[cols].reset_index(drop=True)
