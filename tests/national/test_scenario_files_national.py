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
    # and writing it again gives the same file, but for the time it was saved
    again = scenarios.dumps({**imp.run.document(), "saved_at": None}).splitlines()
    before = scenarios.dumps({**scenarios.loads(path.read_bytes()), "saved_at": None}).splitlines()
    assert again == before


def test_every_kind_of_file_is_covered():
    assert len(FILES) == 9
