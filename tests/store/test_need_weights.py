"""The default age weights' fit: exact non-negative least squares, deterministic for a seed."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from locality.demand import Demand
from locality.demand.need import apply_need_index, need_index
from locality.store.need_weights import FIT_BANDS, NeedFit, fit_age_weights, nnls


def test_nnls_recovers_non_negative_weights_and_clips_negative_ones():
    rng = np.random.default_rng(3)
    a = rng.dirichlet(np.ones(6), size=400)
    true = np.array([1.2, 0.6, 0.8, 1.0, 1.4, 2.5])
    assert nnls(a, a @ true) == pytest.approx(true, abs=1e-9)
    b = a @ np.array([1.0, -0.5, 0.8, 1.0, 1.4, 2.5]) + rng.normal(0, 0.01, 400)
    x = nnls(a, b)
    assert (x >= 0).all() and x[1] == 0
    # no non-negative point on a coarse grid around it does better
    best = np.sum((a @ x - b) ** 2)
    for d in itertools.product([-0.05, 0, 0.05], repeat=3):
        y = x.copy()
        y[[0, 2, 5]] += d
        if (y >= 0).all():
            assert np.sum((a @ y - b) ** 2) >= best - 1e-12


def _lists_and_payments(n=300, seed=1):
    rng = np.random.default_rng(seed)
    fives = [f for band in FIT_BANDS.values() for f in band]
    rows, pay = [], []
    true = {"age_0_15": 1.1, "age_16_24": 0.7, "age_25_34": 0.8, "age_35_49": 0.9, "age_50_64": 1.2, "age_65_plus": 2.0}
    for i in range(n):
        counts = rng.integers(10, 400, len(fives))
        code = f"P{i:04d}"
        rows += [{"practice_code": code, "sex": "MALE", "age_band": f, "patients": int(c)}
                 for f, c in zip(fives, counts, strict=True)]
        by = {b: sum(int(c) for f, c in zip(fives, counts, strict=True) if f in fs) for b, fs in FIT_BANDS.items()}
        reg = sum(by.values())
        pay.append({"practice_code": code, "registered_patients": float(reg),
                    "weighted_patients": sum(true[b] * by[b] for b in by) * rng.normal(1, 0.02)})
    return pd.DataFrame(rows), pd.DataFrame(pay), true


def test_fit_is_deterministic_and_round_trips_through_metadata():
    lists, pay, true = _lists_and_payments()
    a = fit_age_weights(lists, pay, boot=30)
    b = fit_age_weights(lists, pay, boot=30)
    assert a == b
    assert a.practices == 300 and 0.5 < a.r2 <= 1
    for band, w in true.items():
        lo, hi = a.interval[band]
        assert lo <= a.weights[band] <= hi and a.weights[band] == pytest.approx(w, rel=0.15)
    back = NeedFit.from_meta(a.meta())
    assert back.weights == pytest.approx(a.weights) and back.r2 == pytest.approx(a.r2)
    assert "NHS Payments to General Practice 2022-23" in a.source and "R²" in a.source
    assert NeedFit.from_meta({"need_weights": ""}) is None


def test_need_index_weights_registered_lists_and_names_the_missing():
    pts = pd.DataFrame({"practice_code": ["A", "A", "B"], "practice_name": ["a", "a", "b"],
                        "lsoa21_code": ["L1", "L2", "L3"], "weight": [100.0, 50.0, 80.0],
                        "centroid_e": [0.0, 1.0, 2.0], "centroid_n": [0.0, 1.0, 2.0]})
    pay = pd.DataFrame({"practice_code": ["A", "C"], "registered_patients": [1000.0, 0.0],
                        "weighted_patients": [1250.0, 0.0]})
    assert need_index(pay).to_dict() == {"A": 1.25}
    d = apply_need_index(Demand(pts, "registered", "lists", method="registered"), pay)
    assert d.points["weight"].tolist() == [125.0, 62.5, 80.0] and d.method == "registered"
    assert any("B" in n and "2022-23" in n for n in d.notes) and "need index" in d.provenance
