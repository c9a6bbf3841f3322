"""The older list-total readers: both published layouts on small real slices, and bad files."""

from __future__ import annotations

import pytest

from locality.errors import SourceError
from locality.sources.list_editions import read_list_totals


def _slice(path, tmp_path, n=5, edit=None, name="gp-reg-pat-prac-all.csv"):
    """Write the header and the first ``n`` rows of a real file, optionally edited."""
    lines = path.read_text().splitlines()[: n + 1]
    if edit:
        lines = edit(lines)
    out = tmp_path / name
    out.write_text("\n".join(lines) + "\n")
    return out


@pytest.fixture()
def may2025(raw_dir):
    return raw_dir / "nhs_gp_registered_may2025" / "gp-reg-pat-prac-all.csv"


@pytest.fixture()
def jan2021(raw_dir):
    return raw_dir / "nhs_gp_registered_jan2021" / "gp-reg-pat-prac-all.csv"


def test_reads_both_layouts_in_full(may2025, jan2021):
    may, jan = read_list_totals(may2025), read_list_totals(jan2021)
    assert (len(may), int(may["patients"].sum())) == (6231, 63_773_098)
    assert (len(jan), int(jan["patients"].sum())) == (6658, 60_606_345)
    assert may.attrs["commissioner_kind"] == "sub-ICB location" and jan.attrs["commissioner_kind"] == "CCG"
    assert str(may["extract_date"].iloc[0].date()) == "2025-05-01" and str(jan["extract_date"].iloc[0].date()) == "2021-01-01"
    row = jan[jan["practice_code"] == "A84002"].iloc[0]
    assert (row["postcode"], row["commissioner_code"], row["patients"]) == ("NE65 7UW", "00L", 5903)


def test_slice_keeps_rows(may2025, tmp_path):
    df = read_list_totals(_slice(may2025, tmp_path, 3))
    assert list(df["practice_code"]) == ["A81001", "A81002", "A81004"] or len(df) == 3
    assert df["patients"].dtype.kind == "i"


@pytest.mark.parametrize("edit, row, column, words", [
    (lambda ls: [ls[0], ls[1].replace(",3891", ",lots"), *ls[2:]], 2, "NUMBER_OF_PATIENTS", "whole number"),
    (lambda ls: [ls[0], ls[1].replace("01/05/2025", "May-ish"), *ls[2:]], 2, "EXTRACT_DATE", "date"),
    (lambda ls: [*ls[:3], ls[2]], 4, "CODE", "appears twice"),
    (lambda ls: [*ls[:2], ls[2].replace("01/05/2025", "01/06/2025")], 3, "EXTRACT_DATE", "more than one extract date"),
    (lambda ls: [ls[0], ls[1].replace(",3891", ",-5"), *ls[2:]], 2, "NUMBER_OF_PATIENTS", "not possible"),
    (lambda ls: [ls[0].replace("SUB_ICB_LOCATION_CODE", "AREA"), *ls[1:]], None, "SUB_ICB_LOCATION_CODE", "neither"),
    (lambda ls: [ls[0].replace("NUMBER_OF_PATIENTS", "N"), *ls[1:]], None, "NUMBER_OF_PATIENTS", "missing"),
    (lambda ls: [ls[0], ls[1].replace(",16C,", ",,"), *ls[2:]], 2, "SUB_ICB_LOCATION_CODE", "blank"),
])
def test_bad_files_name_row_and_column(may2025, tmp_path, edit, row, column, words):
    with pytest.raises(SourceError) as err:
        read_list_totals(_slice(may2025, tmp_path, 3, edit))
    assert err.value.file == "gp-reg-pat-prac-all.csv"
    assert err.value.row == row and err.value.column == column
    assert words in str(err.value)


def test_no_practice_totals_refused(jan2021, tmp_path):
    path = _slice(jan2021, tmp_path, 2, lambda ls: [ls[0]] + [x.replace(",GP,", ",CCG,") for x in ls[1:]])
    with pytest.raises(SourceError, match="no practice totals"):
        read_list_totals(path)


def test_empty_file_refused(tmp_path):
    (tmp_path / "gp-reg-pat-prac-all.csv").write_text("")
    with pytest.raises(SourceError, match="empty"):
        read_list_totals(tmp_path / "gp-reg-pat-prac-all.csv")
