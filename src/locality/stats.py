"""Small statistics shared by the engines and the research benchmarks."""

from __future__ import annotations

import numpy as np


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """Return the weighted ``q``-quantile of ``values``: the first value whose cumulative weight reaches ``q``.

    Parameters
    ----------
    values, weights : ndarray
        The values and their weights (≥ 0).
    q : float
        The quantile, from 0 to 1.

    Returns
    -------
    float
        NaN when the weights sum to 0.
    """
    order = np.argsort(values)
    v, w = values[order], weights[order]
    cum = np.cumsum(w)
    if cum[-1] <= 0:
        return float("nan")
    return float(v[np.searchsorted(cum, q * cum[-1])])


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, q) -> np.ndarray:
    """Return weighted quantiles by the midpoint rule (equal weights give the usual interpolated quantile).

    :func:`weighted_quantile` reports a value a share of the weight actually reaches (a travel
    figure someone has); this one interpolates, for summarising a distribution (the circuity
    factor's interval).

    Parameters
    ----------
    values, weights : ndarray
        The values and their weights (> 0).
    q : float or sequence of float
        The quantiles, from 0 to 1.
    """
    order = np.argsort(values, kind="stable")
    xs, ws = values[order], weights[order]
    cum = np.cumsum(ws)
    pos = (cum - 0.5 * ws) / cum[-1]
    return np.interp(q, pos, xs)
