"""Demand sources: residents of a catchment (age-weighted or not) and registered lists."""

from __future__ import annotations

import pandas as pd
import pytest

from locality.assumptions import AgeWeights
from locality.demand.registered import registered_lists
from locality.demand.residents import NO_CATCHMENT_NOTE, catchment, residents
from locality.vocabulary import AGE_BANDS


def _lsoas():
    return pd.DataFrame({"lsoa21_code": ["L1", "L2", "L3"], "residents": [100, 200, 300],
                         **{b: [10, 20, 30] for b in AGE_BANDS},
                         "centroid_e": [0.0, 1000.0, 9000.0], "centroid_n": [0.0, 0.0, 0.0]})


def _site(sid, e):
    return pd.DataFrame({"site_id": [sid], "easting": [e], "northing": [0.0]})


def test_the_catchment_is_the_lsoas_nearest_to_the_sites():
    points, notes = catchment(_lsoas(), _site("S1", 0.0), _site("OTHER", 8000.0), pd.Series(["L1"]))
    assert list(points["lsoa21_code"]) == ["L1", "L2"] and notes == []


def test_sites_nearest_to_no_lsoa_fall_back_to_their_own():
    points, notes = catchment(_lsoas(), _site("S1", 4990.0), pd.concat([_site("A", 0.0), _site("B", 1000.0),
                                                                           _site("C", 9000.0)]), pd.Series(["L2"]))
    assert list(points["lsoa21_code"]) == ["L2"] and notes == [NO_CATCHMENT_NOTE]


def test_age_weights_count_each_band_on_englands_scale():
    points, _ = catchment(_lsoas(), _site("S1", 0.0), _site("X", 9000.0), pd.Series(["L1"]))
    flat = residents(points)
    assert list(flat.points["weight"]) == [100.0, 200.0] and flat.age_weight_mean == 1.0
    england = dict.fromkeys(AGE_BANDS, 1000.0)
    weights = AgeWeights({**dict.fromkeys(AGE_BANDS, 1.0), "age_65_plus": 4.0}, "a cited source")
    aged = residents(points, weights, england)
    mean = (5 + 4) / 6
    assert aged.age_weight_mean == pytest.approx(mean)
    assert aged.points["weight"].tolist() == pytest.approx([(50 + 40) / mean, (100 + 80) / mean])
    assert "a cited source" in aged.provenance and aged.age_weights is weights


def test_registered_lists_sit_at_their_practice():
    practices = pd.DataFrame({"practice_code": ["A", "B"], "practice_name": ["a", "b"], "lsoa21_code": ["L1", "L2"],
                              "patients": [5000, 7000], "easting": [1.0, 2.0], "northing": [3.0, 4.0]})
    d = registered_lists(practices, "2026-07-01")
    assert d.kind == "registered" and d.total == 12_000 and "2026-07-01" in d.provenance
    assert list(d.points["centroid_e"]) == [1.0, 2.0] and list(d.points["practice_code"]) == ["A", "B"]
