"""The reader of NHS England's registered patients by practice and LSOA, on the real Lincolnshire files."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict

import pandas as pd
import pytest

from locality.errors import SourceError
from locality.settings import optional_source_file, source_file
from locality.sources import read_census_population, read_lsoa11_lsoa21
from locality.sources.registered_lsoa import code_kind, read_registered_lsoa, to_lsoa21


@pytest.fixture(scope="module")
def lincs(raw_dir):
    path = optional_source_file(raw_dir, "registered_lsoa")
    if path is None:
        pytest.skip("the registered-by-LSOA file is absent from the raw data")
    return path


@pytest.fixture(scope="module")
def lookups(raw_dir):
    lu = read_lsoa11_lsoa21(source_file(raw_dir, "lsoa_lad_lookup"))
    census = read_census_population(source_file(raw_dir, "census_population")).rename(columns={"total": "residents"})
    return lu, census


def _published(path) -> tuple[dict[str, int], Counter]:
    """Per-practice totals and per-code totals, read with the csv module (independent of the reader)."""
    totals: dict[str, int] = defaultdict(int)
    codes: Counter = Counter()
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            totals[row["PRACTICE_CODE"]] += int(row["NUMBER_OF_PATIENTS"])
            codes[row["LSOA_CODE"]] += int(row["NUMBER_OF_PATIENTS"])
    return dict(totals), codes


def test_reader_keeps_every_row_and_patient(lincs):
    rows = read_registered_lsoa(lincs)
    totals, _codes = _published(lincs)
    assert len(rows) == 6590 and rows["practice_code"].nunique() == 80
    assert int(rows["patients"].sum()) == 817_133 == sum(totals.values())
    assert set(rows["sex"]) == {"ALL"} and rows["extract_date"].max() == pd.Timestamp("2026-07-01")


def test_every_patient_is_placed_or_counted_per_practice(lincs, lookups):
    rows = read_registered_lsoa(lincs)
    placed = to_lsoa21(rows, *lookups)
    totals, codes = _published(lincs)
    got = (placed.placed.groupby("practice_code")["patients"].sum()
           .add(placed.unplaced.groupby("practice_code")["patients"].sum(), fill_value=0))
    assert len(got) == 80
    for code, total in totals.items():
        assert got[code] == pytest.approx(total, abs=1e-6)
    kinds = placed.unplaced.groupby("kind")["patients"].sum()
    placeholders = sum(n for c, n in codes.items() if c.startswith(("EMP", "CLO", "L99")))
    assert placeholders > 0 and kinds["no_postcode"] == placeholders
    assert kinds["wales"] == sum(n for c, n in codes.items() if c.startswith("W01"))
    assert kinds["scotland"] == sum(n for c, n in codes.items() if c.startswith("S01"))
    assert kinds["northern_ireland"] == sum(n for c, n in codes.items() if c.startswith("N"))
    # each practice's placeholders are reported against that practice
    per = placed.unplaced[placed.unplaced["kind"] == "no_postcode"].set_index("practice_code")["patients"]
    assert per.sum() == placeholders and per.index.is_unique


def test_the_july_2026_file_is_coded_by_lsoa_2021(lincs, lookups):
    lu, census = lookups
    rows = read_registered_lsoa(lincs)
    english = set(rows.loc[rows["lsoa_code"].str.startswith("E01"), "lsoa_code"])
    assert len(english) == 2084 and english <= set(census["lsoa21_code"])
    assert len(english - set(lu["lsoa11_code"])) == 153  # codes new in 2021: the file is not LSOA 2011
    placed = to_lsoa21(rows, lu, census)
    assert placed.splits.empty and set(placed.unplaced["kind"]) != {"unknown_lsoa"}


def test_every_split_lsoa11_is_apportioned_by_residents(lincs, lookups):
    """An older (LSOA 2011-coded) edition: the Lincolnshire rows with each LSOA 2021 put back to its 2011 parent."""
    lu, census = lookups
    rows = read_registered_lsoa(lincs)
    split_of = lu[lu["change_code"] == "S"].set_index("lsoa21_code")["lsoa11_code"]
    old = rows.assign(lsoa_code=rows["lsoa_code"].map(split_of).fillna(rows["lsoa_code"]))
    old = old.groupby(["practice_code", "sex", "lsoa_code"], as_index=False)["patients"].sum()
    split = set(split_of) & set(old["lsoa_code"])
    assert len(split) > 50
    placed = to_lsoa21(old, lu, census)
    res = census.set_index("lsoa21_code")["residents"]
    shares = placed.splits
    assert set(shares["lsoa11_code"]) == split
    for _code, g in shares.groupby("lsoa11_code"):
        assert len(g) >= 2 and g["share"].sum() == pytest.approx(1.0)
        expect = res[g["lsoa21_code"]].to_numpy() / res[g["lsoa21_code"]].sum()
        assert g["share"].to_numpy() == pytest.approx(expect)
    # nothing lost: per practice, placed + unplaced is the file's total
    got = placed.placed.groupby("practice_code")["patients"].sum().add(
        placed.unplaced.groupby("practice_code")["patients"].sum(), fill_value=0)
    assert got.to_numpy() == pytest.approx(old.groupby("practice_code")["patients"].sum()[got.index].to_numpy())
    assert placed.placed["patients"].sum() == pytest.approx(to_lsoa21(rows, lu, census).placed["patients"].sum())


def test_code_kinds():
    codes = pd.Series(["E01000001", "W01001964", "S01020376", "N21000688", "EMPTY", "CLOSED", "L99999999", "NO2011"])
    assert code_kind(codes).tolist() == ["england", "wales", "scotland", "northern_ireland"] + ["no_postcode"] * 4


def test_an_lsoa21_code_is_kept_and_an_unknown_one_is_counted(lookups):
    lu, census = lookups
    new21 = sorted(set(census["lsoa21_code"]) - set(lu["lsoa11_code"]))[0]
    rows = pd.DataFrame({"practice_code": ["A1", "A1"], "sex": ["ALL", "ALL"], "lsoa_code": [new21, "E01999999"],
                         "patients": [7, 3]})
    placed = to_lsoa21(rows, lu, census)
    assert placed.placed.to_dict("records") == [{"practice_code": "A1", "sex": "ALL", "lsoa21_code": new21,
                                                  "patients": 7.0}]
    assert placed.unplaced[["kind", "patients", "codes"]].values.tolist() == [["unknown_lsoa", 3, "E01999999"]]


HEADER = "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,LSOA_CODE,SEX,NUMBER_OF_PATIENTS\n"
GOOD = "GP_PRAC_PAT_LIST,01/07/2026,C82076,THE WELBY PRACTICE,E01001889,ALL,1\n"


@pytest.mark.parametrize(("line", "row", "column", "words"), [
    ("GP_PRAC_PAT_LIST,01/07/2026,C82076,X,E01001955,ALL,-4\n", 3, "NUMBER_OF_PATIENTS", "negative"),
    ("GP_PRAC_PAT_LIST,01/07/2026,C82076,X,E01001955,ALL,four\n", 3, "NUMBER_OF_PATIENTS", "whole number"),
    ("GP_PRAC_PAT_LIST,01/07/2026,C82076,X,E01001955,BOTH,4\n", 3, "SEX", "BOTH"),
    ("GP_PRAC_PAT_LIST,01/07/2026,C82076,X,,ALL,4\n", 3, "LSOA_CODE", "blank"),
    ("GP_PRAC_PAT_LIST,01/07/2026,C82076,X,E01001889,ALL,4\n", 3, "LSOA_CODE", "twice"),
    ("GP_PRAC_PAT_LIST,yesterday,C82076,X,E01001955,ALL,4\n", 3, "EXTRACT_DATE", "date"),
    # two months' files joined into one
    ("GP_PRAC_PAT_LIST,01/08/2026,C82076,X,E01001955,ALL,4\n", 3, "EXTRACT_DATE", "mixes extracts"),
])
def test_bad_rows_are_named_by_file_row_and_column(tmp_path, line, row, column, words):
    path = tmp_path / "gp-reg-pat-prac-lsoa-all.csv"
    path.write_text(HEADER + GOOD + line)
    with pytest.raises(SourceError) as err:
        read_registered_lsoa(path)
    e = err.value
    assert (e.row, e.column) == (row, column) and words in e.message
    assert "gp-reg-pat-prac-lsoa-all.csv" in str(e) and f"row {row}" in str(e)


def test_missing_column_and_empty_file(tmp_path):
    path = tmp_path / "gp-reg-pat-prac-lsoa-all.csv"
    path.write_text(HEADER.replace(",SEX", "") + "GP_PRAC_PAT_LIST,01/07/2026,C82076,X,E01001955,4\n")
    with pytest.raises(SourceError, match="SEX"):
        read_registered_lsoa(path)
    path.write_text("")
    with pytest.raises(SourceError, match="empty"):
        read_registered_lsoa(path)


def test_a_file_cut_mid_row_names_the_row(tmp_path):
    path = tmp_path / "gp-reg-pat-prac-lsoa-all.csv"
    path.write_text(HEADER + GOOD * 3 + "GP_PRAC_PAT_LIST,01/07/2026,C8")
    with pytest.raises(SourceError) as err:
        read_registered_lsoa(path)
    assert err.value.row == 5 and "cannot be parsed" in err.value.message


def test_excel_unicode_text_reads_as_the_same_rows(tmp_path):
    """Excel's "Unicode text" is UTF-16 with a byte-order mark: read, not a csv module traceback."""
    plain, wide = tmp_path / "a.csv", tmp_path / "gp-reg-pat-prac-lsoa-all.csv"
    text = HEADER + GOOD + GOOD.replace("E01001889", "E01001955")
    plain.write_text(text)
    wide.write_bytes(text.encode("utf-16"))
    pd.testing.assert_frame_equal(read_registered_lsoa(wide), read_registered_lsoa(plain))


def test_a_practice_with_far_more_patients_than_its_list_is_refused(lincs):
    from locality.store.optional_sources import _check_against_lists

    rows = read_registered_lsoa(lincs)
    lists = rows[rows["sex"] == "ALL"].groupby("practice_code")["patients"].sum()
    _check_against_lists(rows, lists, lincs.name)  # the published file: every practice equals its list
    broken = rows.copy()
    broken.loc[10, "patients"] = 1_000_000_000
    with pytest.raises(SourceError) as err:
        _check_against_lists(broken, lists, lincs.name)
    code = broken.loc[10, "practice_code"]
    first = int((broken["practice_code"] == code).to_numpy().argmax()) + 2
    assert code in err.value.message and "registered list" in err.value.message
    assert (err.value.row, err.value.column) == (first, "NUMBER_OF_PATIENTS")


@pytest.mark.parametrize("value", ["inf", "-Infinity", "1e300"])
def test_an_infinite_or_absurd_count_is_named(tmp_path, value):
    path = tmp_path / "gp-reg-pat-prac-lsoa-all.csv"
    path.write_text(HEADER + GOOD + GOOD.replace("E01001889", "E01001955").replace(",1\n", f",{value}\n"))
    with pytest.raises(SourceError) as err:
        read_registered_lsoa(path)
    assert (err.value.row, err.value.column) == (3, "NUMBER_OF_PATIENTS") and value in err.value.message
