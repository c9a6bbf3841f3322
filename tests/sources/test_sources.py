"""Readers: good files give tidy frames; bad files give errors naming file, row and column."""

from __future__ import annotations

import gzip
import json
import zipfile

import pandas as pd
import pytest

from locality import sources
from locality.errors import SourceError


def _head(path, n=40) -> list[str]:
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        return [next(fh) for _ in range(n)]


def _write(tmp_path, name, lines) -> str:
    p = tmp_path / name
    p.write_text("".join(lines))
    return str(p)


# ---- good files ---------------------------------------------------------------------------

def test_epraccur_has_status_address_and_dates(raw):
    df = sources.read_epraccur(raw("epraccur"))
    row = df.set_index("org_code").loc["A81001"]
    assert row["status"] == "A"
    assert row["postcode"] == "TS18 1HU"
    assert row["open_date"] == pd.Timestamp("1974-04-01")
    assert pd.api.types.is_datetime64_any_dtype(df["close_date"])


def test_every_reader_reads_the_small_copy(small_raw):
    """The one-ICB copy the fast tests build from is read by the real readers, and its figures hold together."""
    pmap = sources.read_practice_map(small_raw("practice_map"))
    assert pmap["practice_code"].is_unique and pmap["icb_code"].nunique() == 1
    age = sources.read_practice_age(small_raw("practice_age"))
    total = age[(age.sex == "ALL") & (age.age_band == "ALL")]
    bands = age[(age.sex != "ALL") & (age.age_band != "ALL")]
    assert set(total["practice_code"]) == set(pmap["practice_code"])
    assert bands["patients"].sum() == total["patients"].sum()
    g = sources.read_lsoa_boundaries(small_raw("lsoa_boundaries"))
    lu = sources.read_lsoa_subicb_lookup(small_raw("lsoa_subicb_lookup"))
    assert g["lsoa21_code"].is_unique and set(g["lsoa21_code"]) == set(lu["lsoa21_code"])
    census = sources.read_census_population(small_raw("census_population"))
    assert (census[[c for c in census.columns if c.startswith("age_")]].sum(axis=1) == census["total"]).all()
    iod = sources.read_iod2025(small_raw("iod2025"))
    assert iod["imd_decile"].between(1, 10).all() and set(iod["lsoa21_code"]) == set(g["lsoa21_code"])
    cpo = sources.read_codepoint(small_raw("codepoint"))
    assert cpo["postcode"].is_unique and set(pmap["practice_postcode"].dropna()) & set(cpo["postcode"])


# ---- bad files ----------------------------------------------------------------------------

def test_missing_column_is_named(raw, tmp_path):
    lines = _head(raw("practice_map"))
    header = lines[0].rstrip("\n").split(",")
    i = header.index("PCN_CODE")
    cut = [",".join(f for j, f in enumerate(line.rstrip("\n").split(",")) if j != i) + "\n" for line in lines]
    path = _write(tmp_path, "gp-reg-pat-prac-map.csv", cut)
    with pytest.raises(SourceError) as e:
        sources.read_practice_map(path)
    assert e.value.column == "PCN_CODE"
    assert "gp-reg-pat-prac-map.csv" in str(e.value) and "missing column" in str(e.value)


def test_wrong_type_names_file_row_and_column(raw, tmp_path):
    lines = _head(raw("census_population"), 30)
    fields = lines[17].split(",")
    fields[2] = "lots"  # age_0_15 on data row 17 → file line 18
    lines[17] = ",".join(fields)
    path = _write(tmp_path, "census.csv", lines)
    with pytest.raises(SourceError) as e:
        sources.read_census_population(path)
    assert (e.value.file, e.value.row, e.value.column) == ("census.csv", 18, "age_0_15")
    assert "'lots'" in str(e.value)


def test_bad_date_is_reported(raw, tmp_path):
    lines = _head(raw("practice_map"), 10)
    lines[4] = lines[4].replace("01Jul2026", "31Jun2026")
    path = _write(tmp_path, "gp-reg-pat-prac-map.csv", lines)
    with pytest.raises(SourceError) as e:
        sources.read_practice_map(path)
    assert (e.value.row, e.value.column) == (5, "EXTRACT_DATE")


@pytest.mark.parametrize("reader", [sources.read_practice_map, sources.read_practice_imd,
                                    sources.read_census_population, sources.read_epraccur])
def test_empty_file(reader, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(SourceError, match=r"empty\.csv: file is empty"):
        reader(path)


def test_header_only_file(raw, tmp_path):
    path = _write(tmp_path, "fingertips.csv", _head(raw("practice_imd"), 1))
    with pytest.raises(SourceError, match="no data rows"):
        sources.read_practice_imd(path)


def test_missing_file(tmp_path):
    with pytest.raises(SourceError, match="file not found"):
        sources.read_practice_map(tmp_path / "nope.csv")


def test_zip_member_with_bad_number(raw, tmp_path):
    with zipfile.ZipFile(raw("practice_age")) as zf:
        name = zf.namelist()[0]
        text = zf.read(name).decode().splitlines(keepends=True)[:50]
    text[9] = text[9].rsplit(",", 1)[0] + ",12.5\n"
    path = tmp_path / "gp-reg-pat-prac-quin-age.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(name, "".join(text))
    with pytest.raises(SourceError) as e:
        sources.read_practice_age(path)
    assert e.value.file.endswith(".zip") and e.value.row == 10 and e.value.column == "NUMBER_OF_PATIENTS"


def test_codepoint_bad_easting_names_member(tmp_path):
    path = tmp_path / "codepo_gb.zip"
    good = '"SL0 0AA",10,503627,181366,"E92000001","E19000002","E18000009","","E06000060","E05013150"\n'
    bad = '"SL0 0AD",10,east,181296,"E92000001","E19000002","E18000009","","E06000060","E05013150"\n'
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Data/CSV/sl.csv", good + bad)
    with pytest.raises(SourceError) as e:
        sources.read_codepoint(path)
    assert e.value.file == "codepo_gb.zip:Data/CSV/sl.csv"
    assert (e.value.row, e.value.column) == (2, "easting")


def test_codepoint_zip_without_data_is_rejected(tmp_path):
    path = tmp_path / "wrong.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(SourceError, match="Data/CSV"):
        sources.read_codepoint(path)


def test_geojson_missing_property(raw, tmp_path):
    with gzip.open(raw("lsoa_boundaries"), "rt") as fh:
        fc = json.load(fh)
    fc["features"] = fc["features"][:5]
    del fc["features"][2]["properties"]["lsoa21_code"]
    for f in fc["features"]:
        f["properties"].pop("lsoa21_code", None)
    path = tmp_path / "lsoa.geojson"
    path.write_text(json.dumps(fc))
    with pytest.raises(SourceError) as e:
        sources.read_lsoa_boundaries(path)
    assert e.value.column == "lsoa21_code"


def test_duplicate_practice_is_rejected(raw, tmp_path):
    lines = _head(raw("practice_map"), 6)
    lines.append(lines[3])
    path = _write(tmp_path, "gp-reg-pat-prac-map.csv", lines)
    with pytest.raises(SourceError) as e:
        sources.read_practice_map(path)
    assert (e.value.row, e.value.column) == (7, "PRACTICE_CODE")


def test_epraccur_wrong_column_count(tmp_path):
    path = tmp_path / "epraccur.csv"
    path.write_text('"A81001","THE DENSHAM SURGERY","Y63"\n')
    with pytest.raises(SourceError, match=r"epraccur\.csv"):
        sources.read_epraccur(path)


def test_ambiguous_zip_is_rejected(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.csv", "PRACTICE_CODE,IMD_YEAR,IMD_SCORE\nA1,2025,3.2\n")
        zf.writestr("b.csv", "PRACTICE_CODE,IMD_YEAR,IMD_SCORE\nA2,2025,1.0\n")
    with pytest.raises(SourceError, match=r"two\.zip: zip has no member"):
        sources.read_practice_imd(path)
