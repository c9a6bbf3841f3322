"""The default age weights, derived when the store is built from NHS Payments to General Practice 2022-23.

Two defaults, both from NHS England's own weighting (the Global Sum (Carr-Hill) formula core
funding is paid on):

- **a practice's need index**: its weighted patients ÷ its registered patients (2022-23), which
  weights registered-list demand (:func:`apply_need_index`); practices missing from the file keep
  an index of 1 and are named;
- **default age weights for resident demand** (:func:`fit_age_weights`): for England's practices,
  the need index is regressed on the practice's July 2026 age profile (the share of its list in
  each band) by non-negative least squares, so each band's weight is the weighted patients per
  registered patient of that age. The published 5-year bands cannot be cut at 16, so the fit uses
  0–14, 15–24, 25–34, 35–49, 50–64 and 65+, and the weights are mapped onto Census 2021's six bands
  one to one (0–14 → 0–15, 15–24 → 16–24; the others match). The fit's R², the weights and a
  bootstrap 95% interval (practices resampled, a fixed seed) are stored in the store's metadata at
  build and printed by ``bench/need_weights.py``.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from locality.sources.payments import PAYMENTS_YEAR
from locality.vocabulary import AGE_BANDS

#: 5-year bands (as published in ``gp-reg-pat-prac-quin-age``) making up each fitted band, by Census column.
FIT_BANDS: dict[str, tuple[str, ...]] = {
    "age_0_15": ("0_4", "5_9", "10_14"),
    "age_16_24": ("15_19", "20_24"),
    "age_25_34": ("25_29", "30_34"),
    "age_35_49": ("35_39", "40_44", "45_49"),
    "age_50_64": ("50_54", "55_59", "60_64"),
    "age_65_plus": ("65_69", "70_74", "75_79", "80_84", "85_89", "90_94", "95+"),
}

#: The labels of the fitted bands (what the published 5-year bands allow).
FIT_LABELS = {"age_0_15": "0-14", "age_16_24": "15-24", "age_25_34": "25-34", "age_35_49": "35-49",
              "age_50_64": "50-64", "age_65_plus": "65+"}

#: Bootstrap resamples and seed of the interval (fixed: the store's figures are reproducible).
BOOTSTRAP = 200
SEED = 0

#: Metadata keys the build writes.
META_KEYS = ("need_weights", "need_weights_r2", "need_weights_interval", "need_weights_practices",
             "need_weights_source")

#: How the default weights' source begins (a scenario using them depends on the payments file).
DEFAULT_WEIGHTS_PREFIX = "Derived from NHS England, NHS Payments to General Practice"

#: How the fitted bands map onto Census 2021's, in words.
MAPPING = ("fitted on the published 5-year bands 0-14, 15-24, 25-34, 35-49, 50-64, 65+ (they cannot be cut at 16) "
           "and used for Census 2021's 0-15, 16-24, 25-34, 35-49, 50-64, 65+ one to one")


@dataclass(frozen=True)
class NeedFit:
    """The fitted age weights and how well they fit.

    Attributes
    ----------
    weights : dict
        Census band column → weighted patients per registered patient of that age.
    r2 : float
        Share of the variance of the practices' need index the age profile explains.
    interval : dict
        Band → (2.5%, 97.5%) bootstrap interval.
    practices : int
        Practices in the fit.
    """

    weights: dict[str, float]
    r2: float
    interval: dict[str, tuple[float, float]]
    practices: int

    @property
    def source(self) -> str:
        """Return the citation printed beside the weights."""
        w = ", ".join(f"{FIT_LABELS[b]}={self.weights[b]:.2f}" for b in AGE_BANDS)
        return (f"{DEFAULT_WEIGHTS_PREFIX} {PAYMENTS_YEAR} (weighted ÷ registered "
                f"patients, Global Sum formula) against the July 2026 age profile of {self.practices:,} practices, "
                f"by non-negative least squares: {w}; R² {self.r2:.2f}; {MAPPING} (bench/need_weights.py)")

    def meta(self) -> dict[str, str]:
        """Return the store metadata (:data:`META_KEYS`)."""
        return {"need_weights": json.dumps({b: round(v, 6) for b, v in self.weights.items()}),
                "need_weights_r2": f"{self.r2:.6f}",
                "need_weights_interval": json.dumps({b: [round(lo, 6), round(hi, 6)]
                                                     for b, (lo, hi) in self.interval.items()}),
                "need_weights_practices": str(self.practices), "need_weights_source": self.source}

    @classmethod
    def from_meta(cls, meta: dict[str, str]) -> NeedFit | None:
        """Return the fit stored in a store's metadata, or None when the build had no payments file."""
        if not meta.get("need_weights"):
            return None
        iv = json.loads(meta["need_weights_interval"])
        return cls(json.loads(meta["need_weights"]), float(meta["need_weights_r2"]),
                   {b: (float(v[0]), float(v[1])) for b, v in iv.items()}, int(meta["need_weights_practices"]))


def nnls(a: np.ndarray, b: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Return the non-negative least-squares solution of ``a x ≈ b`` (rows optionally weighted).

    Exact: every active set is solved on the normal equations (the fit has six columns).
    """
    w = np.ones(len(b)) if weights is None else weights
    g = a.T @ (a * w[:, None])
    h = a.T @ (b * w)
    n = a.shape[1]
    best, best_obj = np.zeros(n), 0.0  # objective: x'Gx - 2h'x (the residual less the constant b'Wb)
    for r in range(1, n + 1):
        for cols in itertools.combinations(range(n), r):
            idx = list(cols)
            try:
                x = np.linalg.solve(g[np.ix_(idx, idx)], h[idx])
            except np.linalg.LinAlgError:
                continue
            if (x < 0).any():
                continue
            obj = float(x @ g[np.ix_(idx, idx)] @ x - 2 * h[idx] @ x)
            if obj < best_obj - 1e-12:
                best_obj, best = obj, np.zeros(n)
                best[idx] = x
    return best


def fit_inputs(lists: pd.DataFrame, payments: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return (age shares per practice, need index per practice) for the practices in both files.

    ``lists``: ``practice_code, sex, age_band, patients`` (5-year bands, both sexes); ``payments``:
    ``practice_code, registered_patients, weighted_patients``. Practices with no registered or
    weighted patients are left out.
    """
    band_of = {five: band for band, fives in FIT_BANDS.items() for five in fives}
    lp = lists.assign(band=lists["age_band"].map(band_of)).dropna(subset=["band"])
    counts = lp.pivot_table(index="practice_code", columns="band", values="patients", aggfunc="sum", fill_value=0)
    counts = counts.reindex(columns=list(AGE_BANDS), fill_value=0)
    pay = payments[(payments["registered_patients"] > 0) & (payments["weighted_patients"] > 0)]
    pay = pay.set_index("practice_code")
    both = counts.index.intersection(pay.index)
    c = counts.loc[both].to_numpy(dtype=float)
    tot = c.sum(axis=1)
    keep = tot > 0
    shares = c[keep] / tot[keep, None]
    index = (pay.loc[both, "weighted_patients"] / pay.loc[both, "registered_patients"]).to_numpy(dtype=float)[keep]
    return shares, index


def fit_age_weights(lists: pd.DataFrame, payments: pd.DataFrame, boot: int = BOOTSTRAP, seed: int = SEED) -> NeedFit:
    """Fit the default age weights (see the module notes); deterministic for a seed."""
    x, y = fit_inputs(lists, payments)
    w = nnls(x, y)
    pred = x @ w
    r2 = 1.0 - float(np.sum((y - pred) ** 2) / np.sum((y - y.mean()) ** 2))
    rng = np.random.default_rng(seed)
    draws = np.empty((boot, x.shape[1]))
    for i in range(boot):
        counts = np.bincount(rng.integers(0, len(y), len(y)), minlength=len(y)).astype(float)
        draws[i] = nnls(x, y, counts)
    lo, hi = np.percentile(draws, [2.5, 97.5], axis=0)
    bands = list(AGE_BANDS)
    return NeedFit({b: float(v) for b, v in zip(bands, w, strict=True)}, r2,
                   {b: (float(a), float(c)) for b, a, c in zip(bands, lo, hi, strict=True)}, len(y))
