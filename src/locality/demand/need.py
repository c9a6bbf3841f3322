"""Need: registered-list demand weighted by each practice's need index (NHS Payments 2022-23).

A practice's need index is its weighted patients ÷ its registered patients in NHS England's
*NHS Payments to General Practice, England, 2022-23* (the list weighted by the Global Sum
(Carr-Hill) formula core funding is paid on). The default age weights for resident demand,
fitted from the same file, are in :mod:`locality.store.need_weights`.
"""

from __future__ import annotations

import pandas as pd

from locality.demand import Demand
from locality.sources.payments import PAYMENTS_YEAR


def need_index(payments: pd.DataFrame) -> pd.Series:
    """Return each practice's need index, weighted ÷ registered patients (practices with both above 0)."""
    ok = payments[(payments["registered_patients"] > 0) & (payments["weighted_patients"] > 0)]
    return (ok["weighted_patients"] / ok["registered_patients"]).set_axis(ok["practice_code"])


def apply_need_index(demand: Demand, payments: pd.DataFrame) -> Demand:
    """Return registered-list demand with each practice's patients weighted by its need index (2022-23).

    Practices missing from the payments file keep an index of 1, and are named in the notes.
    """
    idx = need_index(payments)
    pts = demand.points.copy()
    f = pts["practice_code"].map(idx)
    missing = sorted(set(pts.loc[f.isna(), "practice_code"]))
    pts["weight"] = pts["weight"] * f.fillna(1.0)
    notes = list(demand.notes)
    if missing:
        notes.append(f"No {PAYMENTS_YEAR} need index for {', '.join(missing)} (not in NHS Payments to General "
                     f"Practice {PAYMENTS_YEAR}): their patients count 1 each.")
    provenance = (f"{demand.provenance}; weighted by each practice's need index (weighted ÷ registered patients, "
                  f"NHS Payments to General Practice {PAYMENTS_YEAR})")
    return Demand(pts, demand.kind, provenance, tuple(notes), demand.age_weights, demand.age_weight_mean,
                  demand.method)
