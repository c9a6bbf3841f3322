"""Hubs & estates on a 1366×768 laptop (issue 12): the figures show in full, and the map names its sites."""

from __future__ import annotations

import pytest

from tests.browser import map_frame, served_app, wait_idle

CLIPPED = """() => [...document.querySelectorAll('[data-testid=stMetricLabel] .stMarkdownEllipsis')]
  .filter(e => e.scrollWidth > e.clientWidth + 0.5).map(e => e.innerText)"""


def test_options_table_puts_the_figures_before_the_site_names(open_page):
    at = open_page("pages/hubs.py")
    table = next(d.value for d in at.dataframe if "score" in d.value.columns)
    cols = list(table.columns)
    assert cols.index("mean_travel") < cols.index("kept_list") and cols.index("p90_travel") < cols.index("kept_list")
    assert cols.index("kept_list") < cols.index("closed_list")


@pytest.mark.browser
def test_hubs_figures_and_site_names_at_1366(browser, small_store, artifacts):
    with served_app(small_store) as url:
        pg = browser.new_page(viewport={"width": 1366, "height": 768})
        pg.goto(f"{url}/hubs")
        pg.get_by_text("Show the option keeping").first.wait_for(timeout=90_000)
        frame = map_frame(pg)
        wait_idle(pg)
        labels = [m.inner_text() for m in pg.locator("[data-testid=stMetricLabel]").all()]
        assert "Neighbourhoods (LSOAs)" in labels and "Registered patients" in labels
        assert pg.evaluate(CLIPPED) == []  # no label cut to "Neighbourhoods (LSO…"
        names = frame.locator(".lp-site-label")
        names.first.wait_for(timeout=30_000)
        assert names.count() == 3  # Ascot's three postcode sites, each named beside its circle
        assert any("Ascot" in t for t in names.all_inner_texts())
        pg.screenshot(path=str(artifacts / "hubs_1366.png"))
