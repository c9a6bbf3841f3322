"""Board packs name PCNs, not only their codes."""

from __future__ import annotations

from locality import store
from locality.grouping import GroupingOptions
from locality.outputs.boardpack import _parameters
from locality.scenarios import new_scenario, run_scenario


def test_pcns_kept_whole_are_named(small_store):
    con = store.connect(small_store)
    try:
        doc = new_scenario("Ascot whole", "U2G6B", "Ascot kept whole.",
                           GroupingOptions(30_000, 50_000, keep_pcns_whole=("U14074",)))
        params = dict(_parameters(run_scenario(con, doc)))
    finally:
        con.close()
    assert params["PCNs kept whole"] == "ASCOT PCN (U14074)"
