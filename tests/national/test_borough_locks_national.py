"""Barking & Dagenham (E09000002): locked PCNs explained honestly, and other boroughs' PCN practices named."""

from __future__ import annotations

import json

import pytest

from locality import store
from locality.cli import main
from locality.grouping import GroupingOptions
from locality.grouping.area import group_area
from locality.grouping.borders import pcns_mostly_outside

pytestmark = pytest.mark.national

BD = "E09000002"
BD_PCNS = ("U11211", "U26744", "U27362", "U55387", "U86966", "U92874")


def test_locks_name_the_pcns_and_the_shared_site(national_con):
    out = group_area(national_con, BD, GroupingOptions(30_000, 50_000, keep_pcns_whole=BD_PCNS))
    reasons = [e.reason for e in out.result.exceptions]
    # East One and East are one unit only because two of their practices share a site
    joined = [r for r in reasons if "U27362" in r and "U86966" in r]
    assert joined and "BARKING & DAGENHAM EAST ONE PCN (U27362)" in joined[0]
    assert "share a site at RM10 9HU" in joined[0]
    # a part held together by a lock says which lock, and never "any grouping keeps them together"
    assert not any("any grouping keeps them together" in r and "kept whole" not in r
                   for r, e in zip(reasons, out.result.exceptions, strict=True)
                   if set(e.practices) & set(out.result.assignment.query("pcn_code in @BD_PCNS")["practice_code"]))
    for e in out.result.exceptions:
        assert e.patients < 100_000  # no 144,230 "forced" group


def test_practices_of_pcns_mostly_outside_the_borough(national_con, capsys, national_store):
    practices = store.practices(national_con, "lad", BD)
    outside = pcns_mostly_outside(practices, store.pcn_table(national_con))
    havering = outside[outside["pcn_name"] == "HAVERING NORTH PCN"].iloc[0]
    assert havering["practices_here"] == 1 and havering["practices"] == 14 and havering["patients"] == 92_984
    assert main(["practices", "--area", BD.lower(), "--outside", "--json", "--store", str(national_store)]) == 0
    found = json.loads(capsys.readouterr().out)["practices"]
    assert [r["practice_code"] for r in found] == list(havering["practice_codes"])
    assert main(["group", "--area", BD, "--exclude", ",".join(havering["practice_codes"]), "--json",
                 "--store", str(national_store)]) == 0
    d = json.loads(capsys.readouterr().out)
    assert "HAVERING NORTH PCN" not in {r["pcn_name"] for r in d["pcns_today"]}


def test_localities_page_names_and_leaves_out_other_boroughs_practices(open_national_page):
    at = open_national_page("pages/localities.py")
    at.sidebar.selectbox(key="w_mode").set_value("Local authority").run()
    at.sidebar.selectbox(key="w_lad").set_value(BD).run()
    assert not at.exception, at.exception
    warned = [w.value for w in at.warning if "most of their patients outside" in w.value]
    assert warned and "**HAVERING NORTH PCN**: 1 of its 14 practices" in warned[0] and "92,984" in warned[0]
    today = next(d.value for d in at.dataframe if "practices_in_area" in d.value.columns)
    assert "HAVERING NORTH PCN" in set(today["pcn_name"])
    at.sidebar.checkbox(key="lc_leave_out").check().run()
    next(b for b in at.button if b.label == "Run grouping").click().run()
    assert not at.exception, at.exception
    today = next(d.value for d in at.dataframe if "practices_in_area" in d.value.columns)
    assert "HAVERING NORTH PCN" not in set(today["pcn_name"])
