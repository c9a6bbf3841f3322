"""Weighted quantiles: the step rule (a value someone has) and the midpoint rule (interpolated)."""

from __future__ import annotations

import numpy as np
import pytest

from locality.stats import weighted_quantile, weighted_quantiles


def test_the_step_quantile_is_a_value_the_weight_reaches():
    v, w = np.array([5.0, 1.0, 3.0]), np.array([1.0, 1.0, 8.0])
    assert weighted_quantile(v, w, 0.9) == 3.0  # 90% of the weight is at 3 or less
    assert weighted_quantile(v, w, 0.95) == 5.0
    assert np.isnan(weighted_quantile(v, np.zeros(3), 0.5))


def test_the_midpoint_quantiles_interpolate_like_the_usual_ones_for_equal_weights():
    v = np.array([4.0, 1.0, 3.0, 2.0])
    got = weighted_quantiles(v, np.ones(4), [0.25, 0.5, 0.75])
    assert got.tolist() == pytest.approx([1.5, 2.5, 3.5])
    # a heavy value pulls the median towards itself: 2 + (0.5 - 1.5/13) / ((7 - 1.5) / 13)
    assert weighted_quantiles(v, np.array([1.0, 1.0, 10.0, 1.0]), 0.5) == pytest.approx(2 + (6.5 - 1.5) / 5.5)
