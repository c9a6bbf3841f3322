"""Weighted options appraisal and its sensitivity to the weights."""

from __future__ import annotations

import numpy as np
import pandas as pd

from locality.errors import SitesError
from locality.sites.problem import file_key, table_key

#: Criteria: column of the options table → True if higher is better. Travel is in the appraisal's
#: unit (metres, or minutes with a travel matrix); the share within 2 km or within 15 minutes
#: follows it. The last four need an estates register.
CRITERIA = {
    "mean_travel": False,
    "p90_travel": False,
    "within_2km": True,
    "within_15min": True,
    "sites_released": True,
    "area_released_m2": True,
    "cost_released_gbp": True,
    "mean_condition": False,
    "shortfall_patients": False,
}

#: What each criterion is called, for sliders, tables and the board pack.
CRITERION_NAMES = {
    "mean_travel": "Mean travel", "p90_travel": "90th-percentile travel", "within_2km": "People within 2 km",
    "within_15min": "People within 15 min", "sites_released": "Sites released",
    "area_released_m2": "Floor area released", "cost_released_gbp": "Running cost released",
    "mean_condition": "Condition of kept sites", "shortfall_patients": "Capacity shortfall",
}
_BETTER = {"mean_condition": "A is best", "shortfall_patients": "less is better"}


def weights_to_file(weights: dict[str, float], unit: str) -> dict[str, float]:
    """Return criteria weights keyed as scenario files key them (travel criteria carry their unit)."""
    return {file_key(c, unit): float(w) for c, w in weights.items()}


def weights_from_file(weights: dict[str, float], unit: str) -> dict[str, float]:
    """Return criteria weights from a scenario file keyed by the options table's columns.

    A travel weight filed for the other unit (``mean_travel_min`` on a run in metres) is not a
    weight of this run's criteria, and is left out.
    """
    return {table_key(c): float(w) for c, w in weights.items() if file_key(table_key(c), unit) == c}


def criterion_label(criterion: str, qualifier: str = "") -> str:
    """Return a criterion's name and which way is better: ``Mean travel (shorter is better)``.

    ``qualifier`` (e.g. "estimated") follows the name: ``Floor area released (estimated) (more is better)``.
    """
    better = _BETTER.get(criterion, "more is better" if CRITERIA[criterion] else "shorter is better")
    return f"{CRITERION_NAMES[criterion]}{f' ({qualifier})' if qualifier else ''} ({better})"


def _with_derived(options: pd.DataFrame) -> pd.DataFrame:
    o = options.copy()
    if "sites_released" not in o and "closed" in o:
        o["sites_released"] = o["closed"].map(len)
    return o


def scores(options: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Score and rank options: each criterion is scaled 0 (worst option) to 1 (best), then weighted.

    Parameters
    ----------
    options : DataFrame
        One row per option with the criteria columns (``sites_released`` is derived from
        ``closed`` when absent).
    weights : dict
        Criterion → weight (≥ 0). Criteria with zero weight are ignored.

    Returns
    -------
    DataFrame
        ``options`` plus ``score`` (0–1) and ``rank`` (1 = best), best first.
    """
    o = _with_derived(options)
    used = {c: float(w) for c, w in weights.items() if w and c in o and o[c].notna().all()}
    if not used:
        raise SitesError(f"Give a positive weight to at least one of {list(CRITERIA)}.")
    total = sum(used.values())
    o["score"] = 0.0
    for c, w in used.items():
        v = o[c].astype(float)
        span = v.max() - v.min()
        s = (v - v.min()) / span if span > 0 else pd.Series(1.0, index=v.index)
        if not CRITERIA.get(c, True):
            s = 1 - s if span > 0 else s
        o["score"] += w / total * s
    o["rank"] = o["score"].rank(ascending=False, method="min").astype(int)
    return o.sort_values(["rank", "k"] if "k" in o else ["rank"]).reset_index(drop=True)


def sensitivity(options: pd.DataFrame, weights: dict[str, float], spread: float = 0.2, samples: int = 2000,
                seed: int = 0) -> pd.Series:
    """How often each option ranks first when every weight varies independently by ±``spread``.

    Every draw is scored as :func:`scores` scores it (each criterion scaled 0–1, weighted, added in
    the same order), all draws at once: the same shares as scoring each draw in turn, some hundred
    times faster, so the Hubs page (500 draws on every rerun) no longer waits seconds for it.

    Returns
    -------
    Series
        Share (0–1) of weight draws in which each option (indexed by ``k``) ranks first.
    """
    rng = np.random.default_rng(seed)
    options = _with_derived(options)
    keys = [c for c, w in weights.items() if w and c in options and options[c].notna().all()]
    if not keys:
        raise SitesError(f"Give a positive weight to at least one of {list(CRITERIA)}.")
    factors = rng.uniform(1 - spread, 1 + spread, size=(samples, len(keys)))  # the draws, sample by sample
    draws = factors * np.array([float(weights[c]) for c in keys])
    total = np.zeros(samples)
    for j in range(len(keys)):
        total = total + draws[:, j]
    score = np.zeros((samples, len(options)))
    for j, c in enumerate(keys):
        score += (draws[:, j] / total)[:, None] * _scaled(options[c])[None, :]
    best = score == score.max(axis=1, keepdims=True)  # rank 1, ties shared
    wins = (best / best.sum(axis=1, keepdims=True)).sum(axis=0)
    return pd.Series(wins, index=options["k"]).groupby(level=0, sort=False).sum() / samples


def _scaled(values: pd.Series) -> np.ndarray:
    """One criterion scaled 0 (worst option) to 1 (best), as :func:`scores` scales it."""
    v = values.astype(float).to_numpy()
    span = v.max() - v.min()
    if not span > 0:
        return np.ones(len(v))
    s = (v - v.min()) / span
    return 1 - s if not CRITERIA.get(values.name, True) else s
