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
        ``lsoa21_code, site_id, minutes`` (checked by :func:`locality.sources.travel_matrix.check_matrix`);
        rows for LSOAs outside the demand are not used.
    points : DataFrame
        Demand points with ``lsoa21_code`` (residents of LSOAs).
    sites : DataFrame
        Sites with ``site_id``.

    Raises
    ------
    SitesError
        Listing how many LSOA × site pairs the matrix lacks, with examples, or the site ids it has
        that are not among ``sites``.
    """
    from locality.sources.travel_matrix import rows_text

    name = matrix.attrs.get("file", "the uploaded matrix")
    rows = np.arange(len(matrix)) + matrix.attrs.get("first_row", 2)
    unknown = sorted(set(matrix["site_id"]) - set(sites["site_id"]))
    if unknown:
        at = matrix["site_id"].isin(unknown).to_numpy()
        raise SitesError(f"{name}, column site_id: site id(s) that are not among these sites: "
                         f"{', '.join(map(repr, unknown[:5]))}{' …' if len(unknown) > 5 else ''} on "
                         f"{rows_text(rows[at])}; these sites are "
                         f"{', '.join(map(repr, sites['site_id'][:8]))}{' …' if len(sites) > 8 else ''}.")
    if matrix.duplicated(["lsoa21_code", "site_id"]).any():
        raise SitesError(f"{name}: the same LSOA and site appear more than once.")
    m = matrix
    table = m.pivot(index="lsoa21_code", columns="site_id", values="minutes")
    table = table.reindex(index=points["lsoa21_code"], columns=sites["site_id"])
    gaps = table.isna()
    if gaps.to_numpy().any():
        lsoas, ids = points["lsoa21_code"].to_numpy(), sites["site_id"].to_numpy()
        pairs = [f"{lsoas[r]}→{ids[c]}" for r, c in list(zip(*np.nonzero(gaps.to_numpy()), strict=True))[:3]]
        raise SitesError(f"{name}: the travel matrix lacks {int(gaps.to_numpy().sum())} LSOA × site pair(s), e.g. "
                         f"{', '.join(pairs)}.")
    return TravelCost(table.to_numpy(dtype=float), "min", "minutes from the uploaded travel-time matrix")
