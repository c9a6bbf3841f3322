"""Every sub-ICB in England grouped (or repaired) one after another, for ``group --all``."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb

from locality import store
from locality.grouping.area import AreaGrouping, group_area
from locality.grouping.problem import GroupingOptions


def group_every_sub_icb(con: duckdb.DuckDBPyConnection, options: GroupingOptions) -> Iterator[AreaGrouping]:
    """Yield each sub-ICB's grouping (ordered by code), with the same options.

    Locks name practices or PCNs of one area, so ``--all`` takes none: each area would refuse them.
    """
    if options.keep_pcns_whole or options.keep_together or options.keep_apart or options.n_groups:
        from locality.errors import GroupingError

        raise GroupingError("Locks and a number of groups belong to one area: run every sub-ICB without them.")
    for code in sorted(store.areas(con, "sub_icb")["code"]):
        yield group_area(con, code, options)
