"""What capacity asks of the sites: the patients they must take, and the smallest rate that lets each k fit."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from locality.sites.problem import SiteAppraisal, capacity_scale

_UNIT_COLUMN = {"m2": "gia_m2", "room": "clinical_rooms"}
_UNIT_NAME = {"m2": "m²", "room": "clinical room"}


@dataclass(frozen=True)
class CapacityShortfall:
    """Why every option is over capacity, and what rate would do.

    Attributes
    ----------
    basis : {"m2", "room"}
        The capacity basis.
    rate : float
        The rate asked (patients per m² or per clinical room).
    patients : float
        The patients the kept sites must take (registered patients, or residents when capacity
        is compared with residents).
    held : float
        What every site allowed to stay open holds at ``rate``.
    needed : dict
        k → the smallest rate at which keeping k sites can hold ``patients``.
    against : str
        What ``patients`` counts: ``"registered patients"`` or ``"residents"``.
    """

    basis: str
    rate: float
    patients: float
    held: float
    needed: dict[int, float]
    against: str

    def message(self) -> str:
        """Return the shortfall and the smallest rate that works, in one paragraph."""
        unit = _UNIT_NAME[self.basis]
        most = max(self.needed)
        per_k = "; ".join(f"keeping {k}: {r:,.1f}" for k, r in sorted(self.needed.items()))
        return (f"At {self.rate:,g} patients per {unit}, every site that may stay open holds "
                f"{self.held:,.0f} patients, {self.patients - self.held:,.0f} short of the {self.patients:,.0f} "
                f"{self.against} they must take. The smallest rate that works is {self.needed[most]:,.1f} patients "
                f"per {unit} (keeping {most} sites); fewer sites need a higher rate ({per_k}). Raise the rate, or "
                "report capacity use without choosing sites by it.")


def capacity_shortfall(appraisal: SiteAppraisal) -> CapacityShortfall | None:
    """Return why no option fits within capacity, or None when one does (or capacity is not a constraint).

    Parameters
    ----------
    appraisal : SiteAppraisal
        An appraisal whose capacity was a hard constraint.
    """
    cap = appraisal.options.capacity
    if not cap.used or not cap.respect or not appraisal.table.empty:
        return None
    sites = appraisal.sites
    units = pd.to_numeric(sites[_UNIT_COLUMN[cap.basis]], errors="coerce").fillna(0).to_numpy(dtype=float)
    ids = list(sites["site_id"])
    keep = set(appraisal.options.must_keep) | set(sites.loc[sites["must_keep"].fillna(False).astype(bool), "site_id"])
    close = set(appraisal.options.must_close) | set(sites.loc[sites["must_close"].fillna(False).astype(bool),
                                                              "site_id"])
    if keep & close:
        return None
    kept = [units[i] for i, s in enumerate(ids) if s in keep]
    free = sorted((units[i] for i, s in enumerate(ids) if s not in keep and s not in close), reverse=True)
    patients = appraisal.demand.total * capacity_scale(sites, appraisal.demand, appraisal.options)
    needed = {}
    for k in appraisal.options_asked():
        if len(keep) <= k <= len(keep) + len(free):
            most = sum(kept) + sum(free[: k - len(keep)])
            if most > 0:
                needed[k] = math.ceil(10 * patients / most) / 10  # rounded up, so the rate shown works
    if not needed:
        return None
    held = float(np.sum(kept) + np.sum(free)) * cap.rate
    registered = cap.against == "registered" or appraisal.demand.kind == "registered"
    return CapacityShortfall(cap.basis, cap.rate, patients, held, needed,
                             "registered patients" if registered else "residents")

