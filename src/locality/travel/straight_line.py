"""Straight-line distance (British National Grid metres) times a circuity factor."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from locality.errors import SitesError
from locality.travel import TravelCost


def straight_line(points: pd.DataFrame, sites: pd.DataFrame, circuity: float) -> TravelCost:
    """Return travel in metres: the straight line from each point to each site, times ``circuity``.

    Parameters
    ----------
    points : DataFrame
        Demand points with ``centroid_e, centroid_n`` (BNG metres).
    sites : DataFrame
        Sites with ``easting, northing`` (BNG metres).
    circuity : float
        Road distance ÷ straight-line distance (at least 1).

    Raises
    ------
    SitesError
        If the circuity factor is below 1.
    """
    if not math.isfinite(circuity) or circuity < 1.0:
        raise SitesError(f"The circuity factor must be at least 1 (got {circuity}).")
    cost = circuity * np.hypot(points["centroid_e"].to_numpy()[:, None] - sites["easting"].to_numpy()[None, :],
                               points["centroid_n"].to_numpy()[:, None] - sites["northing"].to_numpy()[None, :])
    return TravelCost(cost, "m", f"straight-line distance × {circuity:g}", float(circuity))
