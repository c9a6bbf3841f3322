"""Circuity factor: the estimator on synthetic pairs with a known factor, and the national figure."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from locality.errors import LocalityError
from locality.store import circuity
from locality.store.circuity import (
    IOD2019_KEY,
    CircuityError,
    estimate_circuity,
    nearest_distance,
    pairs_from_frames,
)


def synthetic(n=8_000, factor=1.3, noise=0.08, outliers=0.0, seed=1):
    """Straight lines 0.3–8 km; road = factor × straight × lognormal noise; a share of one-sided outliers."""
    rng = np.random.default_rng(seed)
    straight_m = np.exp(rng.uniform(np.log(300), np.log(8_000), n))
    road_km = factor * straight_m * np.exp(rng.normal(0, noise, n)) / 1000
    bad = rng.random(n) < outliers
    # a nearest surgery missing from the site list: the straight line is 1.5–5× too long
    road_km[bad] = road_km[bad] / rng.uniform(1.5, 5, bad.sum())
    return road_km, straight_m


@pytest.mark.parametrize("factor", [1.15, 1.3, 1.45])
def test_recovers_known_factor(factor):
    road_km, straight_m = synthetic(factor=factor)
    est = estimate_circuity(road_km, straight_m, n_boot=50)
    assert est.factor == pytest.approx(factor, abs=0.025)
    assert est.ci_low <= factor + 0.01 and est.ci_high >= factor - 0.01
    assert est.ratio_q25 < factor < est.ratio_q75
    assert est.lsoas_used == int((np.sqrt(road_km * 1000 * straight_m) >= 1000).sum())
    assert est.factor == round(est.factor, 2)
    assert est.source == circuity.SOURCE and "Indices of Deprivation 2019" in est.source
    assert est.method.endswith(".") and "1000 m" in est.method


@pytest.mark.parametrize("share", [0.10, 0.25])
def test_robust_to_one_sided_outliers(share):
    road_km, straight_m = synthetic(outliers=share, seed=2)
    est = estimate_circuity(road_km, straight_m, n_boot=0)
    assert est.factor == pytest.approx(1.3, abs=0.03)
    # the median is dragged towards the outliers; the mode is not
    assert est.median_ratio < est.factor


def test_robust_to_symmetric_outliers_and_bad_values():
    road_km, straight_m = synthetic(seed=3)
    rng = np.random.default_rng(3)
    wild = rng.random(len(road_km)) < 0.10
    road_km[wild] *= np.exp(rng.uniform(-1.5, 1.5, wild.sum()))
    road_km[:5] = [np.nan, -1.0, 0.0, np.inf, 2.0]
    straight_m[5:8] = [0.0, np.nan, -3.0]
    est = estimate_circuity(road_km, straight_m, n_boot=0)
    assert est.factor == pytest.approx(1.3, abs=0.03)


def test_weights_and_threshold():
    near = synthetic(n=3_000, factor=1.6, seed=4)
    far = synthetic(n=3_000, factor=1.2, seed=5)
    road_km = np.r_[near[0] * 0.2, far[0] * 3]  # the 1.6 group short, the 1.2 group long
    straight_m = np.r_[near[1] * 0.2, far[1] * 3]
    w = np.r_[np.full(3_000, 10.0), np.ones(3_000)]
    assert estimate_circuity(road_km, straight_m, w, min_distance_m=0, n_boot=0).factor == pytest.approx(1.6, abs=0.03)
    assert estimate_circuity(road_km, straight_m, w, min_distance_m=2_500, n_boot=0).factor == pytest.approx(1.2, abs=0.03)
    # pandas input gives the same answer as numpy input
    est = estimate_circuity(pd.Series(road_km), pd.Series(straight_m), pd.Series(w), n_boot=0)
    assert est.factor == estimate_circuity(road_km, straight_m, w, n_boot=0).factor


def test_bootstrap_is_reproducible():
    road_km, straight_m = synthetic(n=2_000, seed=6)
    a = estimate_circuity(road_km, straight_m, n_boot=30, seed=7)
    b = estimate_circuity(road_km, straight_m, n_boot=30, seed=7)
    assert a == b
    assert math.isnan(estimate_circuity(road_km, straight_m, n_boot=0).ci_low)


def test_errors():
    with pytest.raises(CircuityError, match="No usable pairs"):
        estimate_circuity([], [])
    with pytest.raises(CircuityError, match="No usable pairs"):
        estimate_circuity([0.2, 0.3], [100.0, 200.0])  # all below 1 km
    with pytest.raises(CircuityError, match="No usable pairs"):
        estimate_circuity([np.nan, 2.0], [1500.0, 0.0])
    with pytest.raises(CircuityError, match="same length"):
        estimate_circuity([1.0, 2.0], [1000.0])
    with pytest.raises(CircuityError, match="select_on"):
        estimate_circuity([1.5], [1200.0], select_on="road")
    assert issubclass(CircuityError, LocalityError)  # shown to planners as a message, never a traceback


def test_nearest_distance_scipy_and_shapely_agree():
    rng = np.random.default_rng(8)
    pts, sites = rng.uniform(0, 10_000, (500, 2)), rng.uniform(0, 10_000, (40, 2))
    brute = np.sqrt(((pts[:, None, :] - sites[None, :, :]) ** 2).sum(-1)).min(1)
    np.testing.assert_allclose(nearest_distance(pts, sites), brute)
    np.testing.assert_allclose(circuity._nearest_distance_shapely(pts, sites), brute)
    with pytest.raises(CircuityError):
        nearest_distance(pts, np.empty((0, 2)))


def _store_pairs(con, raw_dir, change_codes=("U",)):
    """The pairs the build used, rebuilt from the store's LSOAs and sites and the raw road distances."""
    from locality import sources, store
    from locality.settings import source_file

    iod = sources.read_iod2019_road_distance(source_file(raw_dir, IOD2019_KEY))
    lookup = sources.read_lsoa11_lsoa21(source_file(raw_dir, "lsoa_lad_lookup"))
    return pairs_from_frames(store.lsoa_centroids(con), store.site_locations(con), lookup, iod, change_codes)


def test_the_stored_factor_is_derived_from_the_stores_lsoas_and_sites(con, small_raw_dir):
    from locality import store

    pairs = _store_pairs(con, small_raw_dir)
    assert len(pairs) > len(store.lsoa_centroids(con)) / 2 and pairs["lsoa21_code"].is_unique
    assert (pairs["change_code"] == "U").all() and (pairs["straight_m"] >= 0).all()
    assert {"ruc", "region_code"} <= set(pairs.columns)
    est = estimate_circuity(pairs["road_km"], pairs["straight_m"], pairs["residents"])
    assert store.default_circuity(con).factor == est.factor
    assert store.meta(con)["circuity_lsoas"] == str(est.lsoas_used)
    assert store.meta(con)["circuity_ci_low"] == f"{est.ci_low:.3f}"
    with pytest.raises(CircuityError, match="change_codes"):
        _store_pairs(con, small_raw_dir, change_codes=("M",))
