"""Where a set of sites' demand is looked for on the store: across area boundaries, and real where known.

- :func:`catchment_window`: the LSOAs around the sites and every practice site that competes for
  them, whatever sub-ICB they are in, so a modelled catchment no longer stops at the area's
  boundary (a practice just outside takes the border LSOAs nearer to it, and an LSOA outside the
  area nearest to one of the sites joins their catchment).
- :func:`registered_demand`: registered patients where they live, from NHS England's LSOA file.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from locality import store
from locality.demand import Demand
from locality.demand.registered_lsoa import registered_where_they_live

#: How far (metres) beyond the box around the sites an LSOA is looked for; practices that compete
#: for those LSOAs are looked for twice as far. 20 km holds every LSOA whose nearest practice site
#: is one of the chosen ones, except in the emptiest uplands.
CATCHMENT_MARGIN_M = 20_000.0


def catchment_window(con: duckdb.DuckDBPyConnection, sites: pd.DataFrame,
                     practices: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the LSOAs around ``sites`` and the other practice sites competing for them.

    Parameters
    ----------
    sites : DataFrame
        The appraisal's sites, located (``easting, northing``).
    practices : DataFrame
        The appraisal's practices (their own sites are not competitors).

    Returns
    -------
    lsoas : DataFrame
        As :func:`locality.store.lsoas_within`.
    others : DataFrame
        ``site_id, easting, northing`` of every other practice site within twice the margin.
    """
    xy = sites[["easting", "northing"]].astype(float)
    x0, y0, x1, y1 = xy["easting"].min(), xy["northing"].min(), xy["easting"].max(), xy["northing"].max()
    m = CATCHMENT_MARGIN_M
    lsoas = store.lsoas_within(con, x0 - m, y0 - m, x1 + m, y1 + m)
    near = store.practices_within(con, x0 - 2 * m, y0 - 2 * m, x1 + 2 * m, y1 + 2 * m)
    others = near[~near["practice_code"].isin(set(practices["practice_code"]))]
    others = others[~others["site_id"].isin(set(practices["site_id"]))].drop_duplicates("site_id")
    return lsoas, others[["site_id", "easting", "northing"]].reset_index(drop=True)


def registered_demand(con: duckdb.DuckDBPyConnection, practices: pd.DataFrame) -> Demand:
    """Return the practices' registered patients where they live (lists at their address where unknown)."""
    codes = list(practices["practice_code"])
    reg = store.registrations(con, codes)
    meta = store.meta(con)
    return registered_where_they_live(practices, reg, store.lsoa_points(con, reg["lsoa21_code"].unique()),
                                      store.unplaced_registrations(con, codes), meta.get("extract_date"),
                                      meta.get("registered_lsoa_extract") or None)
