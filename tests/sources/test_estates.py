"""Estates registers: template, checks that name the row and column, and atomic saving."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from locality import store
from locality.sources import estates
from locality.store import userdata


@pytest.fixture()
def con(small_store):
    c = store.connect(small_store)
    yield c
    c.close()


@pytest.fixture(autouse=True)
def user_db(tmp_path, monkeypatch):
    monkeypatch.setenv("LOCALITY_USER_DB", str(tmp_path / "user.duckdb"))


GOOD = """site_id,site_name,postcode,easting,northing,practices,gia_m2,clinical_rooms,tenure,lease_end,condition,running_cost_gbp,must_keep,must_close
S1,Kings Corner Surgery,SL5 0AE,,,K81010,650,9,leasehold,2031-03-31,B,98000,no,no
S2,Magnolia House,sl50qj,,,K81028,720,11,freehold,,A,"£120,000",yes,
S3,Green Meadows and Ascot MC,,493000,169000,K81076; K81655,1400,20,NHS Property Services,31/12/2029,C,210000,,no
"""


def test_template_round_trips(con):
    df = estates.read_register(estates.template_csv().encode(), "template.csv", con)
    assert list(df["site_id"]) == ["S1"] and df["easting"].iloc[0] > 0
    assert set(estates.template_help()["column"]) == set(estates.COLUMNS)


def test_good_register_is_typed_and_geocoded(con):
    df = estates.read_register(GOOD.encode(), "register.csv", con)
    assert len(df) == 3
    s = df.set_index("site_id")
    assert s.loc["S2", "running_cost_gbp"] == 120_000 and bool(s.loc["S2", "must_keep"])
    assert s.loc["S3", "practices"] == "K81076;K81655" and s.loc["S3", "tenure"] == "NHS Property Services"
    assert s.loc["S3", "lease_end"] == pd.Timestamp("2029-12-31")
    assert s.loc["S1", "easting"] > 490_000  # from Code-Point Open


def test_xlsx_is_read_too(con):
    buf = io.BytesIO()
    pd.read_csv(io.StringIO(GOOD), dtype=str, keep_default_na=False).to_excel(buf, index=False)
    df = estates.read_register(buf.getvalue(), "register.xlsx", con)
    assert list(df["site_id"]) == ["S1", "S2", "S3"]


def test_bad_rows_name_row_and_column(con):
    bad = GOOD.replace("S2,Magnolia House,sl50qj", "S1,Magnolia House,ZZ9 9ZZ").replace(",C,210000", ",E,lots")
    with pytest.raises(estates.RegisterError) as e:
        estates.read_register(bad.encode(), "register.csv", con)
    found = {(p.row, p.column) for p in e.value.problems}
    assert {(3, "site_id"), (3, "postcode"), (4, "condition"), (4, "running_cost_gbp")} <= found
    assert "register.csv" in str(e.value) and "row 3, column postcode" in str(e.value)


def test_missing_column_and_unknown_practice(con):
    with pytest.raises(estates.RegisterError, match="column practices: required column is missing"):
        estates.read_register(b"site_id,site_name\nS1,x\n", "r.csv", con)
    with pytest.raises(estates.RegisterError, match="unknown ODS code"):
        estates.read_register(GOOD.replace("K81010", "Q99999").encode(), "r.csv", con)


def test_saving_and_replacing_is_atomic(con, monkeypatch):
    df = estates.read_register(GOOD.encode(), "register.csv", con)
    userdata.save_register("east-berks", df, "register.csv", GOOD.encode())
    assert len(userdata.load_register("east-berks")) == 3
    # a replacement that fails half-way leaves the old register untouched
    broken = df.head(1).assign(site_id=None)
    with pytest.raises(Exception):  # noqa: B017 - DuckDB's constraint error type is an implementation detail
        userdata.save_register("east-berks", broken, "new.csv", b"x")
    kept = userdata.load_register("east-berks")
    assert sorted(kept["site_id"]) == ["S1", "S2", "S3"]
    assert userdata.registers()["file"].tolist() == ["register.csv"]
    # a good replacement replaces it whole
    userdata.save_register("east-berks", df.head(2), "smaller.csv", b"y")
    assert sorted(userdata.load_register("east-berks")["site_id"]) == ["S1", "S2"]
    userdata.delete_register("east-berks")
    assert userdata.registers().empty


def test_rejected_file_stores_nothing(con):
    with pytest.raises(estates.RegisterError):
        estates.read_register(GOOD.replace("K81010", "Q99999").encode(), "r.csv", con)
    assert userdata.registers().empty


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN"])
def test_non_numbers_are_problems_not_crashes(con, value):
    bad = GOOD.replace(",650,9,", f",{value},{value},")
    with pytest.raises(estates.RegisterError) as e:
        estates.read_register(bad.encode(), "r.csv", con)
    assert {(2, "gia_m2"), (2, "clinical_rooms")} <= {(p.row, p.column) for p in e.value.problems}


def test_duplicate_headers_are_rejected(con):
    text = GOOD.replace("site_id,site_name", "site_id,Site_ID", 1)
    with pytest.raises(estates.RegisterError, match="column site_id: column appears twice"):
        estates.read_register(text.encode(), "r.csv", con)


def test_blank_lines_keep_the_spreadsheet_row_numbers(con):
    lines = GOOD.splitlines(keepends=True)
    text = lines[0] + lines[1] + "\n" + lines[2].replace(",A,", ",Z,") + lines[3]
    with pytest.raises(estates.RegisterError) as e:
        estates.read_register(text.encode(), "r.csv", con)
    assert [(p.row, p.column) for p in e.value.problems] == [(4, "condition")]
    ok = lines[0] + lines[1] + "\n" + lines[2] + lines[3]
    assert len(estates.read_register(ok.encode(), "r.csv", con)) == 3
