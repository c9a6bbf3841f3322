"""Demand: where the people who need care are, and how much care they need.

Every demand source gives a :class:`Demand`: demand points with their weights (people) and
positions, and a provenance line. Today's sources are Census 2021 residents of a catchment's
LSOAs, optionally weighted by age (:mod:`~locality.demand.residents`), and each practice's
registered list at its own address (:mod:`~locality.demand.registered`). A new source
(registered patients by LSOA, housing growth) is a new module that returns the same object.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from locality.assumptions import AgeWeights


@dataclass(frozen=True)
class Demand:
    """Demand points, their weights and where they come from.

    Attributes
    ----------
    points : DataFrame
        One row per demand point: ``weight`` (people, possibly age-weighted), ``centroid_e,
        centroid_n`` (BNG metres) and ``lsoa21_code``; residents also carry ``residents`` and the
        Census age bands, registered lists ``practice_code, practice_name``.
    kind : {"residents", "registered"}
        The demand source (a key of :data:`locality.vocabulary.DEMAND_KINDS`).
    provenance : str
        One line saying where the figures come from, as printed beside results.
    notes : tuple of str
        What a planner should know about how the points were found.
    age_weights : AgeWeights or None
        The weights behind ``weight`` when residents are weighted by age.
    age_weight_mean : float
        The mean of those weights over England's residents, which the weighted demand is divided
        by (1 without age weights).
    method : {"modelled", "registered", "mixed"}
        How the demand's places were found (a key of :data:`locality.vocabulary.DEMAND_METHODS`):
        modelled (nearest-site catchment, or a list at its practice's address), where the registered
        patients really live (NHS England's LSOA file), or both.
    """

    points: pd.DataFrame
    kind: str
    provenance: str
    notes: tuple[str, ...] = ()
    age_weights: AgeWeights | None = None
    age_weight_mean: float = 1.0
    method: str = "modelled"

    @property
    def total(self) -> float:
        """Return the people the points stand for (the sum of their weights)."""
        return float(self.points["weight"].sum())
