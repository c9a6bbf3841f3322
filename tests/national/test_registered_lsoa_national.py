"""Registered patients by LSOA in the national store: the real Lincolnshire (71E) files."""

from __future__ import annotations

import csv

import pytest

from locality import store
from locality.errors import SourceError
from locality.sources.payments import read_nhs_payments


def _skip_without_file(con):
    if store.info(con)["registered_by_lsoa_practices"] == 0:
        pytest.skip("the store was built without the registered-by-LSOA file")


def test_info_reports_real_catchments(national_con):
    _skip_without_file(national_con)
    info = store.info(national_con)
    # 80 practices in the `all` file plus Y01652, which only the female and male files hold
    assert info["registered_by_lsoa_practices"] == 81
    assert info["registered_by_lsoa_patients"] == 817_133 + 6_007
    assert info["registered_by_lsoa_unplaced"] > 0
    assert store.meta(national_con)["registered_lsoa_all_from_sexes"] == "Y01652"


def test_totals_equal_list_sizes(national_con):
    _skip_without_file(national_con)
    p = store.practices(national_con, "sub_icb", "71E").set_index("practice_code")["patients"]
    codes = list(p.index)
    assert store.registration_coverage(national_con, codes) == set(codes)  # all 81 of 71E
    placed = store.registrations(national_con, codes).groupby("practice_code")["patients"].sum()
    unplaced = store.unplaced_registrations(national_con, codes).groupby("practice_code")["patients"].sum()
    total = placed.add(unplaced, fill_value=0)
    assert total.round(6).astype(int).to_dict() == p.astype(int).to_dict()


def test_payments_are_read_with_the_bom(national_con, raw_dir):
    info = store.info(national_con)
    if info["payments_practices"] == 0:
        pytest.skip("no payments file")
    assert info["payments_practices"] == 6669
    pay = store.payments(national_con, ["A81001"]).iloc[0]
    assert pay["registered_patients"] == pytest.approx(4029.25) and pay["weighted_patients"] == pytest.approx(4579.78)
    assert pay["global_sum"] == pytest.approx(438099.78) and pay["premises_payments"] == pytest.approx(135112.89)


def test_a_bad_payments_file_names_row_and_column(tmp_path, raw_dir):
    src = raw_dir / "nhs_payments_gp_2022_23" / "nhs-payments-gp-2022-23.csv"
    with open(src, encoding="utf-8-sig", newline="") as fh:
        rows = [r for _, r in zip(range(4), csv.reader(fh), strict=False)]
    rows[3][rows[0].index("Global Sum")] = "lots"
    bad = tmp_path / "nhs-payments-gp-2022-23.csv"
    with open(bad, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    with pytest.raises(SourceError) as err:
        read_nhs_payments(bad)
    assert (err.value.row, err.value.column) == (4, "Global Sum")
