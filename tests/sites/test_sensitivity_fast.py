"""The weights' sensitivity, all draws at once (issue 12: it held the Hubs map blank for seconds on every rerun)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from locality.errors import SitesError
from locality.sites.appraisal import scores, sensitivity


def _one_draw_at_a_time(options, weights, spread=0.2, samples=2000, seed=0):
    """The reference: each draw scored by ``scores`` in turn (the page's former loop)."""
    rng = np.random.default_rng(seed)
    keys = [c for c, w in weights.items() if w and c in options and options[c].notna().all()]
    wins = pd.Series(0.0, index=options["k"])
    for _ in range(samples):
        draw = {c: weights[c] * rng.uniform(1 - spread, 1 + spread) for c in keys}
        ranked = scores(options, draw)
        best = ranked[ranked["rank"] == 1]["k"]
        wins[best] += 1.0 / len(best)
    return wins / samples


def _options(rng, n):
    return pd.DataFrame({
        "k": np.arange(1, n + 1), "mean_travel": rng.uniform(500, 3000, n).round(0),
        "p90_travel": rng.uniform(1000, 6000, n).round(0), "within_2km": rng.integers(20, 90, n).astype(float),
        "closed": [list(range(n - k)) for k in range(1, n + 1)], "cost_released_gbp": rng.uniform(0, 3e5, n),
        "mean_condition": rng.uniform(1, 4, n),
    })


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_the_same_shares_as_scoring_each_draw_in_turn(seed):
    rng = np.random.default_rng(100 + seed)
    options = _options(rng, 5)
    weights = {"mean_travel": 5, "p90_travel": 2, "within_2km": 5, "sites_released": 5, "cost_released_gbp": 3,
               "mean_condition": 1, "area_released_m2": 4}  # the last is not a column: ignored, as before
    fast = sensitivity(options, weights, samples=400, seed=seed)
    slow = _one_draw_at_a_time(options.assign(sites_released=options["closed"].map(len)), weights, samples=400,
                               seed=seed)
    assert fast.index.tolist() == slow.index.tolist() == [1, 2, 3, 4, 5]
    assert np.allclose(fast.to_numpy(), slow.to_numpy(), atol=1e-12)
    assert fast.sum() == pytest.approx(1.0)


def test_ties_are_shared_and_no_weight_is_refused():
    options = pd.DataFrame({"k": [1, 2, 3], "mean_travel": [100.0, 100.0, 900.0], "closed": [[1, 2], [1], []]})
    share = sensitivity(options, {"mean_travel": 1}, samples=50)
    assert share.to_dict() == {1: 0.5, 2: 0.5, 3: 0.0}
    with pytest.raises(SitesError):
        sensitivity(options, {"mean_travel": 0}, samples=10)
