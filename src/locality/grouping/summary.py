"""Headline figures and size checks for an area's practices and PCNs."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from locality.vocabulary import PCN_BAND, PLACEHOLDER_PCN, band_status

#: The PCN size band in NHS England guidance (registered patients).
PCN_FLOOR, PCN_CEILING = PCN_BAND


@dataclass(frozen=True)
class Headline:
    """The Overview's headline figures for one area."""

    practices: int
    patients: int
    pcns: int
    median_list_size: float
    pct_65_plus: float
    practices_unlocated: int
    practices_location_estimated: int
    practices_unallocated: int


def headline(practices: pd.DataFrame) -> Headline:
    """Compute the headline figures from an area's practices.

    ``pcns`` counts real PCN codes (the ``U`` "Unallocated" placeholder is excluded).
    """
    patients = practices["patients"].fillna(0)
    total = int(patients.sum())
    old = int(practices["patients_65plus"].fillna(0).sum())
    return Headline(
        practices=len(practices),
        patients=total,
        pcns=int(practices.loc[practices["pcn_code"] != PLACEHOLDER_PCN, "pcn_code"].nunique()),
        median_list_size=float(patients.median()) if len(practices) else 0.0,
        pct_65_plus=100.0 * old / total if total else 0.0,
        practices_unlocated=int(practices["lat"].isna().sum()),
        practices_location_estimated=int((~practices["geocoded"] & practices["lat"].notna()).sum()),
        practices_unallocated=int((practices["pcn_code"] == PLACEHOLDER_PCN).sum()),
    )


def pcn_sizes(practices: pd.DataFrame, pcn_totals: pd.DataFrame, floor: int = PCN_FLOOR,
              ceiling: int = PCN_CEILING) -> pd.DataFrame:
    """Return each PCN present in an area with its national list total and its place in the band.

    Parameters
    ----------
    practices : DataFrame
        The area's practices (``pcn_code``, ``patients``).
    pcn_totals : DataFrame
        The store's ``pcn`` table (``pcn_code, pcn_name, practices, patients``).
    floor, ceiling : int
        The size band.

    Returns
    -------
    pandas.DataFrame
        ``pcn_code, pcn_name, practices_in_area, practices, patients, status, gap``, where
        ``status`` is "below", "within" or "above" and ``gap`` the patients outside the band.
    """
    here = practices.groupby("pcn_code").size().rename("practices_in_area")
    out = pcn_totals[pcn_totals["pcn_code"].isin(here.index) & (pcn_totals["pcn_code"] != PLACEHOLDER_PCN)].copy()
    out["practices_in_area"] = out["pcn_code"].map(here)
    pts = out["patients"].astype(float)
    out["status"] = band_status(pts, floor, ceiling)
    out["gap"] = (floor - pts).clip(lower=0) + (pts - ceiling).clip(lower=0)
    cols = ["pcn_code", "pcn_name", "practices_in_area", "practices", "patients", "status", "gap"]
    return out[cols].sort_values("patients", ascending=False).reset_index(drop=True)
