"""Minutes from a planner's travel-time matrix (read by :mod:`locality.sources.travel_matrix`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from locality.errors import SitesError
from locality.travel import TravelCost

#: The note a site appraisal carries when its travel comes from an uploaded matrix.
MATRIX_NOTE = "Travel is in minutes from the uploaded matrix."


def from_matrix(matrix: pd.DataFrame, points: pd.DataFrame, sites: pd.DataFrame) -> TravelCost:
    """Return travel in minutes for every demand LSOA × site pair, from a matrix's rows.

    Parameters
    ----------
    matrix : DataFrame
        ``lsoa21_code, site_id, minutes``; of repeated pairs the last row counts.
    points : DataFrame
        Demand points with ``lsoa21_code`` (residents of LSOAs).
    sites : DataFrame
        Sites with ``site_id``.

    Raises
    ------
    SitesError
        Listing how many LSOA × site pairs the matrix lacks, with examples.
    """
    m = matrix.drop_duplicates(["lsoa21_code", "site_id"], keep="last")
    table = m.pivot(index="lsoa21_code", columns="site_id", values="minutes")
    table = table.reindex(index=points["lsoa21_code"], columns=sites["site_id"])
    gaps = table.isna()
    if gaps.to_numpy().any():
        lsoas, ids = points["lsoa21_code"].to_numpy(), sites["site_id"].to_numpy()
        pairs = [f"{lsoas[r]}→{ids[c]}" for r, c in list(zip(*np.nonzero(gaps.to_numpy()), strict=True))[:3]]
        raise SitesError(f"The travel matrix lacks {int(gaps.to_numpy().sum())} LSOA × site pair(s), e.g. "
                         f"{', '.join(pairs)}.")
    return TravelCost(table.to_numpy(dtype=float), "min", "minutes from the uploaded travel-time matrix")
