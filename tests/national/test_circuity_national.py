"""The circuity factor the national build derives from every English LSOA (July 2026 national store)."""

from __future__ import annotations

import pytest

from locality.store.circuity import estimate_circuity
from tests.store.test_circuity import _store_pairs

pytestmark = pytest.mark.national


def test_national_factor(national_con, raw_dir):
    from locality import store

    pairs = _store_pairs(national_con, raw_dir)
    assert len(pairs) > 30_000 and pairs["lsoa21_code"].is_unique
    assert (pairs["change_code"] == "U").all() and (pairs["straight_m"] >= 0).all()
    est = estimate_circuity(pairs["road_km"], pairs["straight_m"], pairs["residents"], n_boot=50)
    assert 1.1 <= est.factor <= 1.6
    assert est.lsoas_used > 10_000
    assert est.ci_low <= est.factor <= est.ci_high
    assert store.default_circuity(national_con).factor == est.factor
