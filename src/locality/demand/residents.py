"""Resident demand: Census 2021 residents of the LSOAs nearest to a set of sites, optionally age-weighted."""

from __future__ import annotations

import numpy as np
import pandas as pd

from locality.assumptions import AgeWeights
from locality.demand import Demand
from locality.errors import SitesError
from locality.geography import nearest_index
from locality.vocabulary import AGE_BANDS

#: The note given when no LSOA is nearest to the chosen sites.
NO_CATCHMENT_NOTE = "No LSOA is nearest to these sites; demand is the residents of the LSOAs they sit in."


def catchment(lsoas: pd.DataFrame, sites: pd.DataFrame, other_sites: pd.DataFrame,
              site_lsoas: pd.Series) -> tuple[pd.DataFrame, list[str]]:
    """Return the LSOAs nearest to one of ``sites`` among every site around (and any notes).

    Parameters
    ----------
    lsoas : DataFrame
        The LSOAs around: ``lsoa21_code, residents``, the age bands and ``centroid_e, centroid_n``.
    sites : DataFrame
        The appraisal's sites (``site_id, easting, northing``).
    other_sites : DataFrame
        Every other practice site around (same columns), which takes its own nearest LSOAs.
    site_lsoas : Series
        The LSOAs the appraisal's practices sit in: the demand when no LSOA is nearest to a site.
    """
    all_sites = pd.concat([sites[["site_id", "easting", "northing"]], other_sites[["site_id", "easting", "northing"]]])
    nearest = all_sites["site_id"].to_numpy()[nearest_index(lsoas[["centroid_e", "centroid_n"]].to_numpy(),
                                                            all_sites[["easting", "northing"]].to_numpy())]
    columns = ["lsoa21_code", "residents", *AGE_BANDS, "centroid_e", "centroid_n"]
    points = lsoas[np.isin(nearest, sites["site_id"])][columns].reset_index(drop=True)
    if points.empty:
        return lsoas[lsoas["lsoa21_code"].isin(site_lsoas)][columns].reset_index(drop=True), [NO_CATCHMENT_NOTE]
    return points, []


def residents(points: pd.DataFrame, age_weights: AgeWeights | None = None,
              england: dict[str, float] | None = None, notes: list[str] | None = None) -> Demand:
    """Return resident demand at ``points``: head counts, or age-weighted on England's scale.

    Parameters
    ----------
    points : DataFrame
        LSOAs from :func:`catchment`.
    age_weights : AgeWeights, optional
        Weight residents by age band; the weighted demand is divided by England's mean weight.
    england : dict, optional
        England's residents per age band (needed with ``age_weights``).
    notes : list of str, optional
        Notes from :func:`catchment`.
    """
    points = points.copy()
    mean = 1.0
    provenance = "ONS Census 2021 residents of the LSOAs nearest to these sites"
    if age_weights is not None:
        if england is None:
            raise SitesError("England's residents per age band are needed to weight by age.")
        points["weight"] = age_weights.demand(points, england)
        mean = age_weights.england_mean(england)
        provenance += f", weighted by age ({age_weights.label()}; source: {age_weights.source})"
    else:
        points["weight"] = points["residents"].astype(float)
    return Demand(points, "residents", provenance, tuple(notes or ()), age_weights, mean)
