"""The command line, run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def _run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "locality", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def test_info_json(small_store):
    from locality import store

    r = _run("info", "--json", env={"LOCALITY_STORE": str(small_store)})
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    con = store.connect(small_store)
    try:
        info = store.info(con)
    finally:
        con.close()
    keys = ["practices", "total_patients", "extract_date", "pcns", "sub_icbs", "icbs", "lsoas"]
    assert {k: data[k] for k in keys} == {k: info[k] for k in keys} and data["extract_date"] == "2026-07-01"
    assert {"practices_geocoded", "sites"} <= set(data)


def test_info_without_a_store_says_how_to_build(tmp_path):
    r = _run("info", "--json", env={"LOCALITY_STORE": str(tmp_path / "none.duckdb")})
    assert r.returncode == 2
    assert "python -m locality build" in r.stderr and "Traceback" not in r.stderr


def test_build_with_a_missing_raw_file_names_it(tmp_path):
    r = _run("build", "--raw-dir", str(tmp_path), "--out", str(tmp_path / "s.duckdb"))
    assert r.returncode == 2
    assert "gp-reg-pat-prac-map.csv" in r.stderr and "file not found" in r.stderr
    assert not (tmp_path / "s.duckdb").exists()
