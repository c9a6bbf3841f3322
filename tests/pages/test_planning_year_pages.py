"""Localities and Hubs & estates at a planning year, through Streamlit's AppTest."""

from __future__ import annotations


def _run(at):
    next(b for b in at.button if b.label == "Run grouping").click().run()
    assert not at.exception, at.exception


def test_localities_at_a_year_flags_groups_leaving_the_band(open_page):
    page = open_page("pages/localities.py")
    assert not any("(projection)" in h.value for h in page.subheader)  # this year: today's lists, no outlook
    page.number_input(key="lc_year").set_value(2040)
    _run(page)
    assert any(h.value == "At 2040 (projection)" for h in page.subheader)
    look = next(d.value for d in page.dataframe if "patients_at_year" in d.value.columns)
    assert look["patients_now"].sum() == 497_911 and look["patients_at_year"].sum() > 497_911
    assert look["leaves_band"].any()
    flagged = next(m.value for m in page.markdown if "groups within the band today are outside it" in m.value)
    assert all(g in flagged for g in look.loc[look["leaves_band"], "group"])
    text = " ".join(c.value for c in page.caption)
    assert "Projection of the observed trend" in text and "1,800 per full-time GP" in text and "HUDU" in text


def test_gp_need_figure_needs_its_source(open_page):
    page = open_page("pages/localities.py")
    page.number_input(key="lc_year").set_value(2035)
    page.number_input(key="lc_ppg").set_value(2000)
    _run(page)
    assert any("needs its source" in e.value for e in page.error)
    page.text_input(key="lc_ppg_src").set_value("Local workforce plan 2025")
    _run(page)
    assert not page.error
    assert "2,000 per full-time GP (Local workforce plan 2025)" in " ".join(c.value for c in page.caption)


def test_hubs_at_a_year_say_when_capacity_runs_out(open_page):
    page = open_page("pages/hubs.py")
    page.sidebar.checkbox(key="hb_bench_on").check().run()
    page.sidebar.number_input(key="hb_bench_value").set_value(0.1)
    page.sidebar.text_input(key="hb_bench_source").set_value("Illustrative benchmark for the test").run()
    page.sidebar.radio(key="hb_basis").set_value("m2").run()
    page.sidebar.number_input(key="hb_rate_m2").set_value(12.0)
    page.sidebar.checkbox(key="hb_respect").uncheck()
    page.number_input(key="hb_year").set_value(2045).run()
    assert not page.exception, page.exception
    look = next(d.value for d in page.dataframe if "capacity" in d.value.columns and "gp_at_year" in d.value.columns)
    assert sorted(look["k"]) == [1, 2, 3]
    assert look["capacity"].str.fullmatch(r"capacity runs out in \d{4}|over capacity today|within capacity for 25 years").all()
    assert (look["gp_at_year"] >= look["gp_now"]).all() and look["gp_now"].iloc[0] == round(32_519 / 1_800, 1)
    assert any("At 2045 (projection)" in m.value for m in page.markdown)
    assert "Projection of the observed trend" in " ".join(c.value for c in page.caption)
