"""The command line, run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def _run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "locality", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def test_info_json(national_store):
    r = _run("info", "--json", env={"LOCALITY_STORE": str(national_store)})
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    expected = {"practices": 6139, "total_patients": 63_436_508, "extract_date": "2026-07-01", "pcns": 1298,
                "sub_icbs": 106, "icbs": 36, "lsoas": 33_755}
    assert {k: data[k] for k in expected} == expected
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
