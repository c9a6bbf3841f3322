"""Data-edition differences: a source added to the store later is not one; a source the scenario used and lost is."""

from __future__ import annotations

from locality.scenarios.format import edition_differences

NOW = {"extract_date": "2026-07-01", "files": {"map.csv": "aa", "ahah_v3.csv": "bb"}}


def test_a_source_added_since_the_file_was_saved_is_not_a_difference():
    assert edition_differences({"extract_date": "2026-07-01", "files": {"map.csv": "aa"}}, NOW) == []


def test_a_source_the_scenario_used_and_the_store_lacks_is_named():
    saved = {"extract_date": "2026-07-01", "files": {"map.csv": "aa", "old.csv": "cc"}}
    assert edition_differences(saved, NOW) == ["Source files the scenario used that this store lacks: old.csv."]
    changed = {"extract_date": "2026-07-01", "files": {"map.csv": "zz"}}
    assert edition_differences(changed, NOW) == ["Source files with different contents: map.csv."]
