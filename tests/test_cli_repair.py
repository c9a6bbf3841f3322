"""``group --all`` and ``group --repair`` on the small store: CSV and JSON out."""

from __future__ import annotations

import csv
import json

from locality import store
from tests.test_cli import _run


def test_group_all_writes_one_row_per_sub_icb(small_store, tmp_path):
    out = tmp_path / "every.csv"
    res = _run("group", "--all", "--json", "--csv", str(out), env={"LOCALITY_STORE": str(small_store)})
    assert res.returncode == 0, res.stderr
    con = store.connect(small_store)
    codes = sorted(store.areas(con, "sub_icb")["code"])
    con.close()
    doc = json.loads(res.stdout)
    assert [a["area"] for a in doc["areas"]] == codes
    with out.open() as f:
        rows = list(csv.DictReader(f))
    assert [r["area"] for r in rows] == codes
    assert all("moves" not in a for a in doc["areas"])  # a fresh grouping has no moves list


def test_group_repair_text_lists_each_move_with_its_reason(small_store, tmp_path):
    out = tmp_path / "moves.csv"
    res = _run("group", "--area", "U2G6B", "--repair", "--csv", str(out), env={"LOCALITY_STORE": str(small_store)})
    assert res.returncode == 0, res.stderr
    assert "proven the fewest practices that can move" in res.stdout
    lines = [ln for ln in res.stdout.splitlines() if ln.startswith("  > ")]
    with out.open() as f:
        rows = list(csv.DictReader(f))
    assert [ln[4:] for ln in lines] == [r["reason"] for r in rows]
    assert sum(r["kind"] == "move" for r in rows) == 9


def test_csv_to_a_missing_folder_is_a_clear_error(small_store, tmp_path):
    res = _run("group", "--area", "U2G6B", "--csv", str(tmp_path / "nope" / "x.csv"),
               env={"LOCALITY_STORE": str(small_store)})
    assert res.returncode == 2 and "Cannot write" in res.stderr and "Traceback" not in res.stderr
