"""The Localities page through Streamlit's AppTest."""

from __future__ import annotations

import pytest


@pytest.fixture()
def page(open_page):
    return open_page("pages/localities.py")


def _metrics(at):
    return {m.label: m.value for m in at.metric}


def _submit(at):
    next(b for b in at.button if b.label == "Run grouping").click().run()
    assert not at.exception, at.exception


def test_groups_east_berkshire_on_arrival(page):
    m = _metrics(page)
    assert m["Groups"] == "12"
    assert m["Within 30,000–50,000"] == "100%"
    assert m["Today's PCNs outside the band"] == "6 of 10"
    groups = next(d.value for d in page.dataframe if "mean_imd_decile" in d.value.columns)
    assert groups["patients"].sum() == 497_911 and groups["patients"].between(30_000, 50_000).all()


def test_locality_band_and_a_lock(page):
    page.sidebar.radio(key="lc_preset").set_value("Locality (50,000–70,000)")
    page.sidebar.multiselect(key="lc_keep").set_value(["U14074"])
    _submit(page)
    m = _metrics(page)
    assert "Within 50,000–70,000" in m and m["Within 50,000–70,000"] == "100%"
    groups = next(d.value for d in page.dataframe if "mean_imd_decile" in d.value.columns)
    assert groups["patients"].between(50_000, 70_000).all()


def test_side_by_side_and_downloads(page):
    page.radio(key="lc_view").set_value("Side by side").run()
    assert not page.exception
    assert any("Today's PCNs" in md.value for md in page.markdown)
    labels = [b.label for b in page.get("download_button")]
    assert any("CSV" in lbl for lbl in labels) and any("GeoJSON" in lbl for lbl in labels)


def test_impossible_lock_gets_a_message_not_a_traceback(page, small_store):
    from locality import store

    con = store.connect(small_store)
    p = store.practices(con, "sub_icb", "U2G6B")
    con.close()
    maidenhead = p.loc[p["pcn_name"] == "MAIDENHEAD PCN", "practice_code"].tolist()
    page.sidebar.multiselect(key="lc_keep").set_value(["U20320"])
    page.sidebar.multiselect(key="lc_apart").set_value(maidenhead[:2])
    _submit(page)
    assert any("cannot be run as asked" in e.value and "locked together" in e.value for e in page.error)


def test_custom_band_with_forced_exceptions_lists_them(page):
    page.sidebar.radio(key="lc_preset").set_value("Custom")
    page.sidebar.slider(key="lc_band").set_value((10_000, 12_000))
    _submit(page)
    (summary,) = [w.value for w in page.warning]
    assert "outside the band" in summary and "not proven forced" in summary
    table = next(d.value for d in page.dataframe if "reason" in d.value.columns)
    assert len(table) > 5 and (table["forced"] == "yes").all()
    assert table["reason"].str.contains("above the 12,000 ceiling").any()
    assert table["practices"].str.contains("Surgery|Practice|Medical|Centre", regex=True).any()  # names, not codes


def test_moves_count_practices_leaving_their_pcn(page):
    moves = next(d.value for d in page.dataframe if "pcn_home_group" in d.value.columns)
    assert len(moves) == int(_metrics(page)["Practices that would move"])
    assert (moves["group"] != moves["pcn_home_group"]).all()


def test_the_grouping_survives_a_visit_to_the_hubs_page(page):
    """Going to Hubs & estates (to pick a group) and back keeps the band, the locks and the grouping."""
    page.sidebar.radio(key="lc_preset").set_value("Locality (50,000–70,000)")
    page.sidebar.multiselect(key="lc_keep").set_value(["U14074"])
    _submit(page)
    before = _metrics(page)
    label = page.session_state["last_grouping"]["label"]
    page.switch_page("pages/hubs.py").run()
    assert not page.exception, page.exception
    page.switch_page("pages/localities.py").run()
    assert not page.exception, page.exception
    assert page.sidebar.radio(key="lc_preset").value == "Locality (50,000–70,000)"
    assert page.sidebar.multiselect(key="lc_keep").value == ["U14074"]
    assert _metrics(page) == before and page.session_state["last_grouping"]["label"] == label
