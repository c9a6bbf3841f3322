"""Least change on the national store: Tower Hamlets and Barking & Dagenham repaired with a proven minimum,
through the command line (JSON and CSV)."""

from __future__ import annotations

import csv
import json

import pytest

from locality.grouping import GroupingOptions
from locality.grouping.area import group_area
from tests.test_cli import _run

pytestmark = pytest.mark.national


@pytest.mark.parametrize("code,proven_moves", [("E09000030", 5), ("E09000002", 9)])
def test_london_boroughs_repair_with_a_proven_minimum(national_con, code, proven_moves):
    ag = group_area(national_con, code, GroupingOptions(30_000, 50_000, mode="repair"))
    r, rep = ag.result, ag.result.repair
    assert r.all_within and r.all_contiguous
    assert (r.assignment.groupby("site_id")["group"].nunique() == 1).all()
    assert rep.proven, rep.headline()
    s = ag.summary()
    assert s["practices_moving"] == s["practices_moved"] == s["moves_lower_bound"] == rep.practices_moved
    assert rep.practices_moved == proven_moves  # Tower Hamlets 5, Barking & Dagenham 9 (July 2026 lists)
    fresh = group_area(national_con, code, GroupingOptions(30_000, 50_000))
    assert rep.practices_moved < fresh.summary()["practices_moving"]
    assert s["adjusted_rand_index"] > fresh.summary()["adjusted_rand_index"]


def test_group_repair_json_and_csv(national_store, tmp_path):
    out = tmp_path / "moves.csv"
    res = _run("group", "--area", "E09000030", "--repair", "--json", "--csv", str(out),
               env={"LOCALITY_STORE": str(national_store)})
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    moved = [m for m in doc["moves"] if m["kind"] == "move"]
    assert doc["moves_lower_bound"] == len(moved) == doc["summary"]["practices_moved"]
    assert doc["summary"]["moves_proven_minimal"] is True and doc["summary"]["mode"] == "repair"
    for m in moved:
        assert {"from_pcn", "to_group", "patients", "reason"} <= set(m)
        assert m["reason"].startswith(f"{m['practice_code']} moves")
    with out.open() as f:
        rows = list(csv.DictReader(f))
    assert [r["practice_code"] for r in rows] == [m["practice_code"] for m in doc["moves"]]
    assert rows[0]["reason"] == doc["moves"][0]["reason"]


def test_group_needs_an_area_or_all(national_store):
    res = _run("group", "--repair", env={"LOCALITY_STORE": str(national_store)})
    assert res.returncode == 2 and "--area CODE" in res.stderr and "--all" in res.stderr
    res = _run("group", "--all", "--keep-pcn", "U08803", env={"LOCALITY_STORE": str(national_store)})
    assert res.returncode == 2 and "Locks" in res.stderr
