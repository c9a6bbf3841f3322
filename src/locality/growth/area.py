"""An area's list trends read from the store: the area, England, and today's PCNs (whole, as in the Overview)."""

from __future__ import annotations

import duckdb
import pandas as pd

from locality import store
from locality.growth.lists import area_trend, edition_dates, group_trends
from locality.growth.trend import Trend
from locality.vocabulary import PCN_BAND, PLACEHOLDER_PCN


def editions(con: duckdb.DuckDBPyConnection) -> list[pd.Timestamp]:
    """Return the extract dates of the list editions in the store, oldest first."""
    return edition_dates(pd.DataFrame(), store.list_editions(con))


def area_growth(con: duckdb.DuckDBPyConnection, area_type: str | None = None, code: str | None = None) -> Trend:
    """Return the list trend of an area (every practice counted there at each edition); England with no area."""
    lists, _ = store.area_list_history(con, area_type, code)
    return area_trend(lists, editions(con))


def pcn_trends(con: duckdb.DuckDBPyConnection, pcn_codes: list[str], floor: float = PCN_BAND[0],
               ceiling: float = PCN_BAND[1], year: int | None = None) -> pd.DataFrame:
    """Return the trend of each of today's PCNs, whole (every member practice, wherever it is).

    The placeholder "Unallocated" is left out: it is not a network. Columns as
    :func:`locality.growth.lists.group_trends`, with ``pcn_code`` for ``group``.
    """
    wanted = [c for c in pcn_codes if c != PLACEHOLDER_PCN]
    every = store.all_practices(con)
    mine = every[every["pcn_code"].isin(wanted)]
    membership = pd.Series(mine["pcn_code"].to_numpy(), index=mine["practice_code"].to_numpy())
    lists, hist = store.practice_list_history(con, membership.index)
    out = group_trends(lists, hist, membership, editions(con), floor, ceiling, year)
    return out.rename(columns={"group": "pcn_code"})
