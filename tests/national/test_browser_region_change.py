"""In Chromium, on the national store (issue 12): after a Region change the ICB and sub-ICB boxes show the new
region's areas, not the old one's (they used to keep "NHS Thames Valley" and "U2G6B" on the East of England)."""

from __future__ import annotations

import pytest

from tests.browser import choose, map_frame, served_app, wait_idle

pytestmark = [pytest.mark.national, pytest.mark.browser]


BOXES = """() => Object.fromEntries([...document.querySelectorAll('[data-testid=stSidebar] [data-testid=stSelectbox]')]
  .map(e => [e.querySelector('[data-testid=stWidgetLabel]').innerText.trim(), e.querySelector('input').value]))"""


def _box(pg, label: str) -> str:
    """The choice a sidebar select box shows."""
    return pg.evaluate(BOXES)[label]


def test_a_region_change_clears_the_old_icb_and_sub_icb(browser, national_store, artifacts):
    with served_app(national_store) as url:
        pg = browser.new_page(viewport={"width": 1440, "height": 900})
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(url)
        map_frame(pg, timeout_ms=120_000)
        sb = pg.locator("[data-testid='stSidebar']")
        assert "Thames Valley" in _box(pg, "ICB") and "U2G6B" in _box(pg, "Sub-ICB location")
        choose(pg, "Region", "East of England", scope=sb)
        wait_idle(pg, 120)
        icb, sub = _box(pg, "ICB"), _box(pg, "Sub-ICB location")
        assert "Thames Valley" not in icb and "U2G6B" not in sub, (icb, sub)
        assert icb.strip() and sub.strip()
        title = pg.locator("h1").first.inner_text()
        assert "U2G6B" not in title and "Windsor" not in title, title
        pg.screenshot(path=str(artifacts / "region_change.png"))
        assert errors == [] and "Traceback" not in pg.locator("body").inner_text()
