"""Today's PCNs that reach across an area's border: practices whose PCN is mostly elsewhere."""

from __future__ import annotations

import pandas as pd

from locality.vocabulary import PLACEHOLDER_PCN


def pcns_mostly_outside(practices: pd.DataFrame, pcn_totals: pd.DataFrame) -> pd.DataFrame:
    """Return the PCNs of an area's practices that hold most of their patients outside it.

    A local authority's practices often include a few of a neighbouring borough's PCN (Barking &
    Dagenham holds 1 of Havering North's 14 practices). Grouping them with the area's own
    practices splits that PCN; a planner may leave them out.

    Parameters
    ----------
    practices : DataFrame
        The area's practices: ``practice_code, practice_name, pcn_code, pcn_name, patients``.
    pcn_totals : DataFrame
        The store's PCN table (``pcn_code, practices, patients``, national totals).

    Returns
    -------
    DataFrame
        ``pcn_code, pcn_name, practices_here, practices, patients_here, patients, share_here,
        practice_codes, practice_names``, one row per PCN with under half its patients in the area,
        largest first.
    """
    real = practices[practices["pcn_code"] != PLACEHOLDER_PCN]
    here = real.groupby("pcn_code").agg(
        pcn_name=("pcn_name", "first"), practices_here=("practice_code", "size"), patients_here=("patients", "sum"),
        practice_codes=("practice_code", lambda s: sorted(s)),
        practice_names=("practice_name", lambda s: sorted(s)))
    totals = pcn_totals.set_index("pcn_code")
    here["practices"] = here.index.map(totals["practices"]).astype(int)
    here["patients"] = here.index.map(totals["patients"]).astype(int)
    here["share_here"] = here["patients_here"] / here["patients"]
    out = here[here["share_here"] < 0.5].reset_index()
    cols = ["pcn_code", "pcn_name", "practices_here", "practices", "patients_here", "patients", "share_here",
            "practice_codes", "practice_names"]
    return out[cols].sort_values("patients", ascending=False).reset_index(drop=True)


def outside_practice_codes(practices: pd.DataFrame, pcn_totals: pd.DataFrame) -> list[str]:
    """Return the ODS codes of the area's practices whose PCN is mostly outside it."""
    return sorted(c for cs in pcns_mostly_outside(practices, pcn_totals)["practice_codes"] for c in cs)
