"""The small store the fast tests use gives its ICB exactly what the national store gives it."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from tests.fixtures.small_raw import TEST_ICB

pytestmark = pytest.mark.national

#: Table, its key, and the rows of the small store to compare (those wholly inside the ICB).
SAME = [
    ("practice", ["practice_code"], "true"),
    ("practice_list", ["practice_code", "sex", "age_band"], "true"),
    ("site", ["site_id"], "true"),
    ("lsoa", ["lsoa21_code"], "true"),
    ("lsoa_adjacency", ["a", "b"], "true"),
    ("pcn", ["pcn_code"], "NOT placeholder"),  # the placeholder PCN "U" spans every ICB
    ("area", ["area_type", "code"], "area_type IN ('icb', 'sub_icb')"),
    ("postcode", ["postcode"], "true"),
]


@pytest.fixture(scope="module")
def stores(small_store, national_store):
    small = duckdb.connect(str(small_store), read_only=True)
    national = duckdb.connect(str(national_store), read_only=True)
    yield small, national
    small.close()
    national.close()


@pytest.mark.parametrize(("table", "key", "where"), SAME, ids=[t for t, _k, _w in SAME])
def test_small_store_rows_equal_the_national_rows(stores, table, key, where):
    small, national = stores
    ours = small.execute(f'SELECT * FROM "{table}" WHERE {where}').df()
    assert len(ours) > 0
    theirs = national.execute(f'SELECT * FROM "{table}"').df().merge(ours[key], on=key)
    ours = ours.sort_values(key).reset_index(drop=True)
    theirs = theirs[ours.columns].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, theirs)


def test_small_store_holds_the_whole_icb(stores):
    small, national = stores
    q = "SELECT count(*), sum(patients) FROM practice WHERE icb_code = ?"
    assert small.execute(q, [TEST_ICB]).fetchone() == national.execute(q, [TEST_ICB]).fetchone()
    assert small.execute("SELECT count(*) FROM practice WHERE icb_code <> ?", [TEST_ICB]).fetchone() == (0,)
    q = "SELECT count(*) FROM lsoa WHERE icb_code = ?"
    assert small.execute(q, [TEST_ICB]).fetchone() == national.execute(q, [TEST_ICB]).fetchone()
    # every LSOA of the copy is the ICB's, and every practice lies in one of them
    assert small.execute("SELECT count(*) FROM lsoa WHERE icb_code IS DISTINCT FROM ?", [TEST_ICB]).fetchone() == (0,)
    assert small.execute("SELECT count(*) FROM practice WHERE lsoa21_code IS NULL").fetchone() == (0,)
