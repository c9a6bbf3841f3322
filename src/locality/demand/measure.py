"""How well a territory matches where registered patients really live.

Both measures take a territory (each LSOA's owner: a practice, a site or a group) and the
registered patients by practice and LSOA (NHS England's LSOA file), and are used by the
catchment bench (``bench/catchments.py``) and the tests that compare real and modelled catchments.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from locality.stats import weighted_quantile


def share_in_own_territory(registrations: pd.DataFrame, owner_of_lsoa: pd.Series,
                           owner_of_practice: pd.Series) -> float:
    """Return the share of registered patients living in an LSOA that the territory gives to their own owner.

    Parameters
    ----------
    registrations : DataFrame
        ``practice_code, lsoa21_code, patients``.
    owner_of_lsoa : Series
        LSOA 2021 code → owner. LSOAs outside the territory count as not their owner's.
    owner_of_practice : Series
        Practice code → owner (practices not in it are left out).
    """
    r = registrations[registrations["practice_code"].isin(owner_of_practice.index)]
    total = float(r["patients"].sum())
    if total <= 0:
        return float("nan")
    mine = r["lsoa21_code"].map(owner_of_lsoa).to_numpy() == r["practice_code"].map(owner_of_practice).to_numpy()
    return float(r.loc[mine, "patients"].sum()) / total


def holder_shares(registrations: pd.DataFrame, owner_of_lsoa: pd.Series,
                  owner_of_practice: pd.Series) -> pd.Series:
    """Return, per LSOA of the territory, the share of its registered patients held by its owner.

    Only the patients of the practices in ``owner_of_practice`` count; LSOAs where none of them
    lives are left out.
    """
    r = registrations[registrations["practice_code"].isin(owner_of_practice.index)
                      & registrations["lsoa21_code"].isin(owner_of_lsoa.index)]
    r = r.assign(owner=r["practice_code"].map(owner_of_practice).to_numpy())
    total = r.groupby("lsoa21_code")["patients"].sum()
    held = r[r["owner"].to_numpy() == r["lsoa21_code"].map(owner_of_lsoa).to_numpy()]
    return (held.groupby("lsoa21_code")["patients"].sum().reindex(total.index, fill_value=0.0) / total).rename("share")


def summary(shares: pd.Series, weights: pd.Series | None = None) -> dict[str, float]:
    """Return the median and 10th percentile of ``shares`` (weighted by ``weights`` when given)."""
    v = shares.to_numpy(dtype=float)
    w = np.ones_like(v) if weights is None else weights.reindex(shares.index).to_numpy(dtype=float)
    return {"median": float(weighted_quantile(v, w, 0.5)), "p10": float(weighted_quantile(v, w, 0.1))}
