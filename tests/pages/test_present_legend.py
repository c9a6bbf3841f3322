"""Presentation mode has a legend beside its map, and a legend lists every group, however many (issue 12)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _legend_app():
    from locality.outputs.maps import Legend
    from locality.ui.legend import show_legends

    show_legends([Legend("Proposed groups", [(f"G{i:02d} · mostly PCN {i}", "#1f77b4") for i in range(1, 70)],
                         labelled=True)])


def test_a_legend_of_69_groups_lists_every_one():
    at = AppTest.from_function(_legend_app).run()
    assert not at.exception, at.exception
    text = " ".join(m.value for m in at.markdown)
    assert all(f"G{i:02d} · mostly PCN {i}" in text for i in range(1, 70))
    assert "overflow-y:auto" in text and "(69; each is named on the map, more as you zoom in)" in text
    assert not any("more" in c.value for c in at.caption)


def test_present_mode_shows_the_legend_of_its_groups(open_page):
    at = open_page("pages/localities.py")
    at.text_input(key="lc_name").set_value("EB groups")
    next(b for b in at.button if b.label == "Save scenario").click().run()
    assert not at.exception, at.exception
    at.switch_page("pages/present.py").run()
    assert not at.exception, at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Proposed groups" in text
    assert sum(f"G{i:02d} · mostly " in text for i in range(1, 13)) == 12  # East Berkshire: 12 groups
