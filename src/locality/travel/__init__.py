"""Travel: what it costs to reach a site from each demand point.

Every travel source gives a :class:`TravelCost`: a cost matrix (demand points × sites), its unit
and a provenance line. Today's sources are straight-line distance × a circuity factor
(:mod:`~locality.travel.straight_line`) and a planner's uploaded matrix of minutes
(:mod:`~locality.travel.matrix`). A new source (road or walking times) is a new module that
returns the same object; the site engine takes whatever it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

#: Travel sources a site appraisal can be asked for by name (an uploaded matrix is given as a file).
TRAVEL_KINDS: Final = {"straight": "straight line × circuity", "drive": "drive (road network)",
                       "walk": "walk (road network)"}


@dataclass(frozen=True)
class TravelCost:
    """Travel from each demand point to each site.

    Attributes
    ----------
    cost : ndarray
        (n demand points, m sites) travel, in :attr:`unit`.
    unit : {"m", "min"}
        Metres or minutes.
    provenance : str
        One line saying where the figures come from, as printed beside results.
    circuity : float
        The factor a straight-line distance was multiplied by (1 for other sources).
    """

    cost: np.ndarray
    unit: str
    provenance: str
    circuity: float = 1.0

    def nearest(self, columns: list[int] | None = None) -> np.ndarray:
        """Return each demand point's travel to its nearest site (of ``columns``, default all)."""
        cost = self.cost if columns is None else self.cost[:, columns]
        return cost.min(axis=1)
