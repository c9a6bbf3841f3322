"""Housing trajectories: the checked reader (bad files by row and column), atomic storage, new residents."""

from __future__ import annotations

import io

import duckdb
import pandas as pd
import pytest

from locality.errors import AssumptionError, TrajectoryError
from locality.growth.housing import Housing, PeoplePerHome, new_residents, register_new_residents
from locality.sources.housing import read_trajectory, template_csv

HEAD = "site_ref,site_name,postcode,easting,northing,dwellings,start_year,end_year,status,practice"
GOOD = (f"{HEAD}\nH1,North Ascot,SL5 8AB,,,1500,2027,2031,allocated,\n"
        "H2,Sunninghill,,494000,167500,600,2028,2030,permitted,K81010\n")


def _problems(con, text, name="t.csv"):
    with pytest.raises(TrajectoryError) as err:
        read_trajectory(text.encode() if isinstance(text, str) else text, name, con)
    return {(p.row, p.column): p.message for p in err.value.problems}


def test_reads_totals_and_per_year_columns(con):
    t = read_trajectory(GOOD.encode(), "t.csv", con)
    h1 = t[t["site_ref"] == "H1"]
    assert list(h1["year"]) == [2027, 2028, 2029, 2030, 2031] and h1["dwellings"].sum() == 1500
    assert (h1["dwellings"] == 300).all() and h1["postcode"].iloc[0] == "SL5 8AB" and h1["easting"].notna().all()
    assert t.loc[t["site_ref"] == "H2", "practice"].iloc[0] == "K81010"
    per = read_trajectory((b"site_ref,site_name,postcode,status,2027,2028\nA,Plot,SL5 8AB,other,40,0\n"),
                          "p.csv", con)
    assert list(per["year"]) == [2027] and per["dwellings"].iloc[0] == 40  # a zero year has no homes
    assert "site_ref" in template_csv() and "2027" in template_csv()


def test_reads_xlsx(con):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for line in GOOD.strip().splitlines():
        ws.append([(int(v) if v.isdigit() else v) or None for v in line.split(",")])
    buf = io.BytesIO()
    wb.save(buf)
    t = read_trajectory(buf.getvalue(), "t.xlsx", con)
    assert t["dwellings"].sum() == 2100


@pytest.mark.parametrize("row, want", [
    ("H1,X,SL5 8AB,,,100,2030,2027,allocated,", {(2, "end_year"): "before start_year"}),
    ("H1,X,ZZ9 9ZZ,,,100,2027,2030,allocated,", {(2, "postcode"): "not a postcode"}),
    ("H1,X,,900000,100000,100,2027,2030,allocated,", {(2, "easting"): "outside England"}),
    ("H1,X,SL5 8AB,,,100,2027,2030,maybe,", {(2, "status"): "one of permitted, allocated, other"}),
    ("H1,X,SL5 8AB,,,100,2027,2030,allocated,Z99999", {(2, "practice"): "not a practice"}),
    ("H1,X,SL5 8AB,,,lots,2027,2030,allocated,", {(2, "dwellings"): "whole number"}),
    ("H1,X,SL5 8AB,,,100,,2030,allocated,", {(2, "start_year"): "needed with dwellings"}),
    ("H1,X,SL5 8AB,,,,,,allocated,", {(2, "dwellings"): "give dwellings"}),
    (",X,SL5 8AB,,,100,2027,2030,allocated,", {(2, "site_ref"): "blank"}),
    ("H1,X,,,,100,2027,2030,allocated,", {(2, "postcode"): "give a postcode"}),
    # not numbers a spreadsheet should hold: named, never an OverflowError
    ("H1,X,SL5 8AB,,,inf,2027,2030,allocated,", {(2, "dwellings"): "whole number"}),
    ("H1,X,SL5 8AB,,,100,nan,2030,allocated,", {(2, "start_year"): "whole number"}),
    ("H1,X,,-inf,100000,100,2027,2030,allocated,", {(2, "easting"): "outside England"}),
])
def test_bad_rows_are_named_by_row_and_column(con, row, want):
    got = _problems(con, f"{HEAD}\n{row}\n")
    for k, words in want.items():
        assert k in got and words in got[k], got


def test_duplicates_both_forms_and_headers_refused(con):
    got = _problems(con, f"{HEAD}\nH1,A,SL5 8AB,,,10,2027,2027,other,\nH1,B,SL5 8AB,,,10,2027,2027,other,\n")
    assert "appears twice" in got[(3, "site_ref")]
    both = _problems(con, f"{HEAD},2027\nH1,A,SL5 8AB,,,10,2027,2027,other,,5\n")
    assert "not both" in both[(2, "dwellings")]
    misspelt = _problems(con, "site_ref,site_name,postcode,dwelings,start_year,end_year,status\nH,A,SL5 8AB,1,2027,2027,other\n")
    assert any("did you mean 'dwellings'" in m for m in misspelt.values())
    assert _problems(con, f"{HEAD}\n") and _problems(con, b"\x00\x01not a table", "x.pdf")


def test_saved_atomically_and_a_failed_replace_keeps_the_old_one(con, user_db, monkeypatch):
    from locality.store import userdata

    t = read_trajectory(GOOD.encode(), "t.csv", con)
    userdata.save_trajectory("Ascot growth", t, "t.csv", GOOD.encode())
    assert userdata.trajectories().set_index("trajectory").loc["Ascot growth", "dwellings"] == 2100
    back = userdata.load_trajectory("Ascot growth")
    assert len(back) == len(t) and back["dwellings"].sum() == 2100
    broken = t.assign(year=None)  # violates the key: the insert fails inside the transaction
    with pytest.raises(duckdb.ConstraintException):
        userdata.save_trajectory("Ascot growth", broken, "t.csv", b"x")
    assert userdata.load_trajectory("Ascot growth")["dwellings"].sum() == 2100


def test_new_residents_join_their_site_and_register(con):
    t = read_trajectory(GOOD.encode(), "t.csv", con)
    h = Housing.from_frame("Ascot growth", t, illustrative=True)
    sites = new_residents(h, 2026, 2029).set_index("site_ref")
    assert sites.loc["H1", "dwellings"] == 900 and sites.loc["H1", "residents"] == pytest.approx(900 * 2.4)
    assert sites.loc["H2", "dwellings"] == 400
    from locality import store

    practices = store.practices(con, "sub_icb", "U2G6B")
    by_site, by_practice = register_new_residents(sites.reset_index(), practices)
    named = by_site.set_index("site_ref").loc["H2"]
    assert named["registers_with"] == "K81010" and named["how"] == "named in the trajectory"
    near = by_site.set_index("site_ref").loc["H1"]
    assert near["how"].startswith("nearest practice site")
    assert by_practice["residents"].sum() == pytest.approx(1300 * 2.4)
    assert "illustrative" in h.label() and Housing.from_dict(h.to_dict()) == h
    with pytest.raises(AssumptionError, match="source"):
        PeoplePerHome(2.6, "")
    assert pd.notna(sites.loc["H1", "easting"])


def test_housing_growth_reaches_the_groups_and_gp_need(con):
    from locality.grouping import GroupingOptions
    from locality.grouping.area import group_area
    from locality.growth.planning import PlanningYear

    h = Housing.from_frame("Ascot growth", read_trajectory(GOOD.encode(), "t.csv", con), illustrative=True)
    only = group_area(con, "U2G6B", GroupingOptions(30_000, 50_000, seed=0), PlanningYear(2035, "housing", housing=h))
    o = only.outlook
    assert o["housing_residents"].sum() == pytest.approx(2100 * 2.4)
    assert (o["patients_at_year"] - o["patients_now"]).sum() == pytest.approx(2100 * 2.4)  # housing alone: no trend
    assert o["gp_from_housing"].sum() == pytest.approx(2100 * 2.4 / 1800, abs=0.2)
    both = group_area(con, "U2G6B", GroupingOptions(30_000, 50_000, seed=0), PlanningYear(2035, "both", housing=h))
    assert both.outlook["patients_at_year"].sum() > o["patients_at_year"].sum()
    method = both.projection.method()
    assert "illustrative" in method and "already contains past building" in method
    assert both.to_json()["planning_year"]["housing"]["rows"][0]["site_ref"] == "H1"
