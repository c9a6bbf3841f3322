"""Premises running costs without a register: estimated from NHS Premises Payments 2022-23.

Where no estates register gives a site's running cost, it is estimated as the Premises Payments
(the premises reimbursements of the Premises Costs Directions: rent or notional rent, rates…)
of the practices at it in NHS Payments to General Practice 2022-23, each practice's payment
shared equally among its sites in the appraisal. A negative payment (an adjustment) or a practice
missing from the file is reported and not used; a site none of whose practices has a usable payment
keeps an unknown cost. Estimated costs are marked ``cost_estimated`` and labelled
:data:`COST_LABEL` wherever they are shown.
"""

from __future__ import annotations

import pandas as pd

from locality.sources.payments import PAYMENTS_YEAR

#: How an estimated cost is labelled.
COST_LABEL = f"estimated from NHS Premises Payments {PAYMENTS_YEAR}"


def estimate_running_costs(sites: pd.DataFrame, payments: pd.DataFrame) -> list[str]:
    """Fill the running costs the sites lack from their practices' Premises Payments (in place).

    Parameters
    ----------
    sites : DataFrame
        ``site_id, practices`` (comma-separated codes) and ``running_cost_gbp`` (blank where unknown).
    payments : DataFrame
        ``practice_code, premises_payments`` (:func:`locality.store.payments`), possibly empty.

    Returns
    -------
    list of str
        Notes for the planner: what was estimated, and the payments not used.
    """
    sites["cost_estimated"] = False
    if payments is None or payments.empty:
        return []
    codes = sites["practices"].fillna("").str.split(",").map(lambda cs: [c for c in cs if c])
    n_sites = pd.Series([c for cs in codes for c in cs]).value_counts()
    pay = payments.set_index("practice_code")["premises_payments"]
    usable = pay[pay >= 0]
    negative = sorted(set(pay[pay < 0].index) & set(n_sites.index))
    missing = sorted(set(n_sites.index) - set(pay.index))
    given = pd.to_numeric(sites["running_cost_gbp"], errors="coerce")
    blank = given.isna().to_numpy()
    estimate = codes.map(lambda cs: sum(usable[c] / n_sites[c] for c in cs if c in usable.index)
                         if any(c in usable.index for c in cs) else float("nan"))
    fill = blank & estimate.notna().to_numpy()
    sites["running_cost_gbp"] = given.where(~fill, estimate).astype(float)
    sites["cost_estimated"] = fill
    if fill.any():
        sites.loc[fill, "source"] = sites.loc[fill, "source"] + f"; running cost {COST_LABEL}"
    notes = []
    if fill.any():
        notes.append(f"Running costs of {int(fill.sum())} site(s) are {COST_LABEL} (each practice's payment "
                     "shared equally among its sites here): an estimate of what the premises cost the NHS, not a "
                     "register's figure.")
    if negative:
        notes.append(f"Negative {PAYMENTS_YEAR} Premises Payments (adjustments) not used: {', '.join(negative)}.")
    if missing and fill.any():
        notes.append(f"No {PAYMENTS_YEAR} Premises Payments for {', '.join(missing)} (not in the file): not used.")
    return notes
