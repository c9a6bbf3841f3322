"""The money a group already receives: its practices' NHS payments in 2022-23.

From NHS England's *NHS Payments to General Practice, England, 2022-23*: each practice's Global Sum
and Total NHS Payments, summed per group (a proposed group, today's PCN, or the whole area), and
divided by the same practices' registered and weighted patients in that file. Practices missing
from the file are named, and each row says how many of its practices the figures cover.
"""

from __future__ import annotations

import pandas as pd

from locality.sources.payments import PAYMENTS_YEAR

#: The table's source line, printed under it wherever it is shown.
SOURCE = (f"NHS England, NHS Payments to General Practice, England, {PAYMENTS_YEAR} (£ in the year; per patient: "
          "divided by the same practices' registered and weighted patients in that file)")

#: Column → heading, for pages and board packs.
HEADINGS = {
    "group": "Group", "practices": "Practices", "covered": f"In the {PAYMENTS_YEAR} file",
    "global_sum": f"Global Sum {PAYMENTS_YEAR} (£)", "total_payments": f"Total NHS payments {PAYMENTS_YEAR} (£)",
    "global_sum_per_registered": "Global Sum per registered patient (£)",
    "global_sum_per_weighted": "Global Sum per weighted patient (£)",
    "total_per_registered": "Total per registered patient (£)",
    "total_per_weighted": "Total per weighted patient (£)", "missing": "Not in the file",
}


def funding_table(members: pd.DataFrame, payments: pd.DataFrame, key: str = "group") -> pd.DataFrame:
    """Return each group's 2022-23 payments: totals, per registered and per weighted patient, coverage.

    Parameters
    ----------
    members : DataFrame
        ``practice_code`` and ``key`` (the group each practice is in); ``practice_name`` is used to
        name the missing practices when present.
    payments : DataFrame
        ``practice_code, registered_patients, weighted_patients, global_sum, total_payments``
        (:func:`locality.store.payments`).
    key : str
        The grouping column (``group``, ``pcn_name``, or a constant column for the whole area).

    Returns
    -------
    DataFrame
        One row per group: ``practices, covered, registered_patients, weighted_patients, global_sum,
        total_payments``, the four per-patient figures and ``missing`` (the practices not in the file).
    """
    m = members.merge(payments, on="practice_code", how="left")
    m["in_file"] = m["registered_patients"].notna()
    name = m["practice_name"] if "practice_name" in m else m["practice_code"]
    m["label"] = m["practice_code"] + (" " + name.astype(str) if "practice_name" in m else "")
    g = m.groupby(key, sort=True)
    out = pd.DataFrame({
        "practices": g.size(),
        "covered": g["in_file"].sum().astype(int),
        "registered_patients": g["registered_patients"].sum(min_count=1),
        "weighted_patients": g["weighted_patients"].sum(min_count=1),
        "global_sum": g["global_sum"].sum(min_count=1),
        "total_payments": g["total_payments"].sum(min_count=1),
        "missing": g.apply(lambda d: "; ".join(d.loc[~d["in_file"], "label"]), include_groups=False),
    })
    for what in ("global_sum", "total_payments"):
        short = "global_sum" if what == "global_sum" else "total"
        out[f"{short}_per_registered"] = out[what] / out["registered_patients"].where(out["registered_patients"] > 0)
        out[f"{short}_per_weighted"] = out[what] / out["weighted_patients"].where(out["weighted_patients"] > 0)
    return out.reset_index().rename(columns={key: "group"})


def printable(table: pd.DataFrame) -> pd.DataFrame:
    """Return the table with a board member's headings and formatted figures."""
    t = table.copy()
    for c in ("global_sum", "total_payments"):
        t[c] = t[c].map(lambda v: f"{v:,.0f}" if v == v else "–")
    for c in ("global_sum_per_registered", "global_sum_per_weighted", "total_per_registered", "total_per_weighted"):
        t[c] = t[c].map(lambda v: f"{v:,.2f}" if v == v else "–")
    t["covered"] = [f"{c} of {n}" for c, n in zip(t["covered"], t["practices"], strict=True)]
    t["missing"] = t["missing"].replace("", "none")
    cols = ["group", "covered", "global_sum", "global_sum_per_registered", "global_sum_per_weighted",
            "total_payments", "total_per_registered", "total_per_weighted", "missing"]
    return t[cols].rename(columns=HEADINGS)
