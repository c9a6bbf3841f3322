"""In Chromium: an ICB's 62 PCN names and its towns never overlap on the map; zooming in shows more of them."""

from __future__ import annotations

import pytest

from locality.outputs import maps
from tests.browser import open_standalone_map
from tests.cases import thames_valley_icb

pytestmark = pytest.mark.browser

SHOWN = """() => [...document.querySelectorAll('.lp-group-label, .lp-lad-label, .lp-town-label')]
  .filter(e => getComputedStyle(e).visibility === 'visible').map(e => {
    const r = e.getBoundingClientRect(); return [e.className, r.left, r.top, r.right, r.bottom]; })"""


def _overlaps(boxes) -> list:
    return [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]


def test_icb_pcn_and_town_names_never_overlap(small_store, browser, artifacts):
    ag, practices, geo = thames_valley_icb(small_store)
    mp, _ = maps.grouping_map(ag, practices, geo["geom_web"], "Thames Valley", "today", 560, 820)
    page = browser.new_page(viewport={"width": 840, "height": 600})
    open_standalone_map(page, mp.get_root().render())
    page.wait_for_timeout(800)
    shown = page.evaluate(SHOWN)
    groups = [b for b in shown if "group" in b[0]]
    assert len(groups) >= 15 and _overlaps(shown) == []
    page.screenshot(path=str(artifacts / "icb_pcn_labels.png"))
    page.evaluate("() => { const k = Object.keys(window).find(k => k.startsWith('map_')); "
                  "window[k].setZoom(window[k].getZoom() + 2, {animate: false}); }")
    page.wait_for_timeout(800)
    closer = page.evaluate(SHOWN)
    assert _overlaps(closer) == []
    assert len([b for b in closer if "group" in b[0]]) > 0
    page.close()


def test_labels_never_overlap_in_the_served_app(small_store, browser, artifacts):
    """streamlit-folium inserts the page's HTML without running its scripts: the declutter must run there too."""
    from tests.browser import map_frame, served_app, wait_idle

    with served_app(small_store) as url:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{url}/localities")
        frame = map_frame(page, timeout_ms=120_000)
        wait_idle(page)
        frame.locator(".lp-group-label").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1200)
        shown = frame.locator("body").evaluate(SHOWN.replace("() => ", "(_body) => ", 1))
        # East Berkshire's 12 groups: Slough's small ones crowd each other at the opening zoom
        assert 10 <= len([b for b in shown if "group" in b[0]]) <= 12
        assert _overlaps(shown) == []
        page.screenshot(path=str(artifacts / "localities_labels.png"))
