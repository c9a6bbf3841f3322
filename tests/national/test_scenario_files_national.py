"""Scenario files exported by an earlier release re-import as identical on the July 2026 store.

The files in data/scenarios_9f8370e/ were exported by commit 9f8370e (before the restructure into
subpackages): groupings of East Berkshire, Barking & Dagenham and Tower Hamlets (with locks), and
Ascot's site options with an estates register and capacity, registered-list demand, age weights
with a floor-area benchmark, and a travel-time matrix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from locality import scenarios

FILES = sorted((Path(__file__).parent / "data" / "scenarios_9f8370e").glob("*.json"))

pytestmark = pytest.mark.national


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_an_earlier_release_s_file_re_imports_as_identical(national_con, path):
    imp = scenarios.import_scenario(national_con, path.read_bytes(), path.name)
    assert imp.identical, imp.differences
    assert imp.edition_differences == []
    # and writing it again gives the same file, but for the time it was saved and the sources the store
    # has read since (AHAH v3 and the postcode → LSOA lookup, schema 3), which the edition now lists too
    saved = scenarios.loads(path.read_bytes())
    doc = imp.run.document()
    added = set(doc["edition"]["files"]) - set(saved["edition"]["files"])
    assert added <= {"ahah_v3.csv", "derived_england_live_postcode_oa11_lsoa11_msoa11_lad_may2022.csv.gz"}
    doc["edition"] = {**doc["edition"], "files": {k: v for k, v in doc["edition"]["files"].items() if k not in added}}
    again = scenarios.dumps({**doc, "saved_at": None}).splitlines()
    before = scenarios.dumps({**saved, "saved_at": None}).splitlines()
    assert again == before


def test_every_kind_of_file_is_covered():
    assert len(FILES) == 9
