"""Where do a practice's (or a PCN's) patients live? Real where NHS England's LSOA file covers it.

:func:`where_patients_live` answers the Overview's question for a set of practices:

- **real** (the LSOA file covers every one of them): their registered patients in each LSOA
  2021, the share of them within 1, 2 and 5 km of the nearest of their sites, and the
  neighbouring practices that also have patients in those LSOAs;
- **modelled** (it covers none or only some): the modelled catchment, the LSOAs nearest to their
  sites among every practice site around (across area boundaries), with Census 2021 residents,
  labelled as modelled.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from locality import store
from locality.demand.catchment import catchment_window
from locality.demand.residents import catchment
from locality.errors import SitesError
from locality.geography import squared_distances
from locality.vocabulary import DEMAND_METHODS

#: Distances (km) the share of patients within is reported for.
WITHIN_KM = (1, 2, 5)


@dataclass(frozen=True)
class PatientsLiving:
    """Where a set of practices' patients live.

    Attributes
    ----------
    method : {"registered", "modelled"}
        Real registrations, or the modelled catchment (a key of :data:`DEMAND_METHODS`).
    lsoas : DataFrame
        ``lsoa21_code, patients, share, distance_km``: patients (registered, or Census residents
        of the modelled catchment) per LSOA, its share of the total, and the straight-line distance
        from its centroid to the nearest of the practices' sites.
    within : dict
        km → share of the patients living within that distance (of :data:`WITHIN_KM`).
    neighbours : DataFrame
        ``practice_code, practice_name, patients, lsoas``: other practices with registered patients
        in the same LSOAs (real method only; empty otherwise).
    unplaced : int
        Registered patients the file places in no English LSOA (Wales, Scotland, no postcode…).
    provenance : str
        Where the figures come from.
    """

    method: str
    lsoas: pd.DataFrame
    within: dict[int, float]
    neighbours: pd.DataFrame
    unplaced: int
    provenance: str

    @property
    def label(self) -> str:
        """Return the method in a planner's words."""
        return DEMAND_METHODS[self.method]

    @property
    def total(self) -> float:
        """Return the patients (or residents) placed in LSOAs."""
        return float(self.lsoas["patients"].sum())


def where_patients_live(con: duckdb.DuckDBPyConnection, practice_codes: list[str]) -> PatientsLiving:
    """Return where the given practices' patients live (real, or the modelled catchment).

    Raises
    ------
    SitesError
        No practice given, an unknown practice, or one without a location.
    """
    codes = sorted(set(practice_codes))
    if not codes:
        raise SitesError("Choose at least one practice.")
    found = store.sub_icbs_of_practices(con, codes)
    missing = sorted(set(codes) - set(found))
    if missing:
        raise SitesError(f"Unknown practice code(s): {', '.join(missing)}.")
    prs = pd.concat([store.practices(con, "sub_icb", s) for s in sorted(set(found.values()))])
    prs = prs[prs["practice_code"].isin(codes)]
    if prs["easting"].isna().any():
        raise SitesError(f"Practices without a location: {', '.join(prs.loc[prs['easting'].isna(), 'practice_code'])}.")
    sites = prs.drop_duplicates("site_id")[["site_id", "easting", "northing"]]
    covered = store.registration_coverage(con, codes)
    if covered == set(codes):
        return _real(con, codes, sites)
    return _modelled(con, prs, sites)


def _distances_km(points: pd.DataFrame, sites: pd.DataFrame) -> np.ndarray:
    d2 = squared_distances(points[["centroid_e", "centroid_n"]].to_numpy(dtype=float),
                           sites[["easting", "northing"]].to_numpy(dtype=float))
    return np.sqrt(d2.min(axis=1)) / 1000


def _frame(points: pd.DataFrame, weight: pd.Series, sites: pd.DataFrame) -> tuple[pd.DataFrame, dict[int, float]]:
    out = pd.DataFrame({"lsoa21_code": points["lsoa21_code"].to_numpy(), "patients": weight.to_numpy(dtype=float)})
    out["distance_km"] = _distances_km(points, sites)
    tot = out["patients"].sum()
    out["share"] = out["patients"] / tot if tot > 0 else 0.0
    within = {k: float(out.loc[out["distance_km"] <= k, "patients"].sum() / tot) if tot > 0 else float("nan")
              for k in WITHIN_KM}
    return out.sort_values("patients", ascending=False).reset_index(drop=True), within


def _real(con: duckdb.DuckDBPyConnection, codes: list[str], sites: pd.DataFrame) -> PatientsLiving:
    reg = store.registrations(con, codes)
    per = reg.groupby("lsoa21_code", as_index=False)["patients"].sum()
    pts = per.merge(store.lsoa_points(con, per["lsoa21_code"]), on="lsoa21_code")
    lsoas, within = _frame(pts, pts["patients"], sites)
    unplaced = int(store.unplaced_registrations(con, codes)["patients"].sum())
    extract = store.meta(con).get("registered_lsoa_extract") or ""
    return PatientsLiving("registered", lsoas, within, _neighbours(con, codes, set(per["lsoa21_code"])), unplaced,
                          f"NHS England, Patients Registered at a GP Practice by LSOA ({extract})")


def _neighbours(con: duckdb.DuckDBPyConnection, codes: list[str], lsoas: set[str]) -> pd.DataFrame:
    """Return the other practices with registered patients in ``lsoas``, most first."""
    cols = ["practice_code", "practice_name", "patients", "lsoas"]
    others = store.practices_registered_in(con, sorted(lsoas))
    others = others[~others["practice_code"].isin(codes)]
    if others.empty:
        return pd.DataFrame(columns=cols)
    out = (others.groupby(["practice_code", "practice_name"], as_index=False)
           .agg(patients=("patients", "sum"), lsoas=("lsoa21_code", "nunique")))
    return out.sort_values(["patients", "practice_code"], ascending=[False, True]).reset_index(drop=True)[cols]


def _modelled(con: duckdb.DuckDBPyConnection, prs: pd.DataFrame, sites: pd.DataFrame) -> PatientsLiving:
    lsoas, others = catchment_window(con, sites, prs)
    points, _notes = catchment(lsoas, sites, others, prs["lsoa21_code"])
    frame, within = _frame(points, points["residents"], sites)
    return PatientsLiving("modelled", frame, within, pd.DataFrame(columns=["practice_code", "practice_name",
                                                                           "patients", "lsoas"]), 0,
                          "Modelled: ONS Census 2021 residents of the LSOAs nearest to these practices' sites "
                          "(NHS England's LSOA file does not cover them)")
