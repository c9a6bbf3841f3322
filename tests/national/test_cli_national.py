"""The command line on the national store: the July 2026 totals."""

from __future__ import annotations

import json

import pytest

from tests.test_cli import _run

pytestmark = pytest.mark.national


def test_info_json(national_store):
    r = _run("info", "--json", env={"LOCALITY_STORE": str(national_store)})
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    expected = {"practices": 6139, "total_patients": 63_436_508, "extract_date": "2026-07-01", "pcns": 1298,
                "sub_icbs": 106, "icbs": 36, "lsoas": 33_755}
    assert {k: data[k] for k in expected} == expected
    assert {"practices_geocoded", "sites"} <= set(data)
