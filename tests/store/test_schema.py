"""The national store's schema: the DDL matches what the build writes, and old stores are refused."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from locality import store
from locality.errors import StoreError
from locality.store import build, schema


def _store_with_meta(path, rows):
    con = duckdb.connect(str(path))
    if rows is not None:
        con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
        con.executemany("INSERT INTO meta VALUES (?, ?)", rows)
    con.close()
    return path


def test_built_store_has_the_schema_tables_and_version(small_store):
    con = store.connect(small_store)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert tables == set(schema.TABLES)
        for name in schema.TABLES:
            assert schema.columns(con, name) == [r[0] for r in con.execute(f'DESCRIBE "{name}"').fetchall()]
        assert store.meta(con)["schema_version"] == schema.SCHEMA_VERSION == build.SCHEMA_VERSION
        keys = con.execute("SELECT table_name, constraint_column_names FROM duckdb_constraints() "
                           "WHERE constraint_type = 'PRIMARY KEY'").fetchall()
        assert dict((t, tuple(c)) for t, c in keys)["practice"] == ("practice_code",)
        for name in schema.UNINDEXED_KEYS:
            assert schema.duplicate_key(con, name) is None
    finally:
        con.close()


@pytest.mark.parametrize(("rows", "says"), [
    ([("schema_version", "1"), ("extract_date", "2026-07-01")], "has schema version 1"),
    ([("extract_date", "2026-07-01")], "records no schema version"),
    (None, "records no schema version"),  # no meta table at all
])
def test_a_store_with_another_schema_is_refused(tmp_path, rows, says):
    path = _store_with_meta(tmp_path / "old.duckdb", rows)
    with pytest.raises(StoreError) as e:
        store.connect(path)
    assert says in str(e.value) and str(path) in str(e.value)
    assert "Rebuild it with `python -m locality build`" in str(e.value)
    # the refused store is closed again: it can be opened for writing
    duckdb.connect(str(path)).close()


def test_a_store_with_the_current_version_opens(tmp_path):
    path = _store_with_meta(tmp_path / "new.duckdb", [("schema_version", schema.SCHEMA_VERSION)])
    con = store.connect(path)
    assert store.meta(con) == {"schema_version": schema.SCHEMA_VERSION}
    con.close()


@pytest.fixture()
def empty_schema():
    con = duckdb.connect(":memory:")
    schema.create_tables(con)
    yield con
    con.close()


def test_frames_are_inserted_by_column_name(empty_schema):
    build._insert(empty_schema, "meta", pd.DataFrame({"value": ["2"], "key": ["schema_version"]}))
    assert empty_schema.execute("SELECT key, value FROM meta").fetchall() == [("schema_version", "2")]


@pytest.mark.parametrize(("frame", "says"), [
    (pd.DataFrame({"key": ["a"]}), "missing columns: ['value']"),
    (pd.DataFrame({"key": ["a"], "value": ["1"], "extra": [0]}), "unexpected: ['extra']"),
    (pd.DataFrame({"key": ["a", "a"], "value": ["1", "2"]}), "meta table breaks the store schema"),
    (pd.DataFrame({"key": ["a"], "value": [None]}), "meta table breaks the store schema"),
])
def test_frames_that_break_the_schema_fail_the_build(empty_schema, frame, says):
    with pytest.raises(StoreError, match="meta") as e:
        build._insert(empty_schema, "meta", frame)
    assert says in str(e.value)


def test_duplicate_keys_of_unindexed_tables_fail_the_build(empty_schema):
    rows = pd.DataFrame({"postcode": ["SL5 0AE", "SL5 0AE"], "easting": [1, 2], "northing": [1, 2],
                         "admin_district_code": [None, None], "country_code": [None, None],
                         "positional_quality": [10, 10]})
    with pytest.raises(StoreError, match="postcode = SL5 0AE more than once"):
        build._insert(empty_schema, "postcode", rows)


def test_the_build_writes_exactly_the_schema_tables():
    con = duckdb.connect(":memory:")
    with pytest.raises(StoreError, match="the store schema has"):
        build._write_tables(con, {"meta": pd.DataFrame({"key": [], "value": []})})
    con.close()
