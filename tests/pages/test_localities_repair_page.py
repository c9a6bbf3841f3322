"""The Localities page starting from today's PCNs (AppTest): the moves table is the main result."""

from __future__ import annotations

import pytest

REPAIR = "today's PCNs (fewest moves)"


@pytest.fixture()
def page(open_page):
    return open_page("pages/localities.py")


def _repair(at, fewest="practices"):
    at.sidebar.radio(key="lc_start").set_value(REPAIR)
    at.sidebar.radio(key="lc_fewest").set_value(fewest)
    next(b for b in at.button if b.label == "Run grouping").click().run()
    assert not at.exception, at.exception
    return at


def test_start_from_todays_pcns_shows_the_proven_moves_first(page):
    assert page.sidebar.radio(key="lc_start").options == [REPAIR, "a fresh grouping"]
    _repair(page)
    assert any("Starting from today's PCNs" in s.value and "proven the fewest" in s.value for s in page.success)
    moves = next(d.value for d in page.dataframe if "reason" in d.value.columns)
    metrics = {m.label: m.value for m in page.metric}
    moved = moves[moves["from_pcn_name"] != "(no PCN)"]
    assert metrics["Practices that would move"] == str(len(moved))
    assert len(moved) < 14  # the fresh grouping moves 14 of East Berkshire's 41 practices
    assert moves["reason"].str.contains(" moves from | has no PCN today").all()
    # the moves come before the maps, which are today's and the proposal side by side
    headings = [md.value for md in page.markdown]
    assert any(h.startswith("**The moves (") for h in headings)
    assert "**Today's PCNs**" in headings and "**Proposed groups**" in headings
    assert not any(r.key == "lc_view" for r in page.radio)  # no single-map choice: both maps are shown
    labels = [b.label for b in page.get("download_button")]
    assert "Download the moves (CSV)" in labels


def test_fewest_patients_and_back_to_a_fresh_grouping(page):
    _repair(page, "patients")
    by_patients = next(d.value for d in page.dataframe if "reason" in d.value.columns)
    page.sidebar.radio(key="lc_start").set_value("a fresh grouping")
    next(b for b in page.button if b.label == "Run grouping").click().run()
    assert not page.exception
    assert not any("reason" in d.value.columns for d in page.dataframe)
    assert {m.label: m.value for m in page.metric}["Groups"] == "12"
    assert len(by_patients) >= 1
