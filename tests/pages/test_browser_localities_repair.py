"""End to end in headless Chromium: start from today's PCNs, read the moves, see both maps with the movers ringed."""

from __future__ import annotations

import time

import pytest

from tests.browser import map_frames, served_app

pytestmark = pytest.mark.browser


def test_repair_east_berkshire_in_the_browser(browser, small_store, artifacts):
    with served_app(small_store) as url:
        page = browser.new_page(viewport={"width": 1500, "height": 2600})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{url}/localities")
        page.get_by_text("Within 30,000–50,000").first.wait_for(timeout=90_000)
        page.get_by_text("today's PCNs (fewest moves)").click()
        page.get_by_role("button", name="Run grouping").click()
        page.get_by_text("Starting from today's PCNs").first.wait_for(timeout=180_000)
        body = page.locator("body").inner_text()
        assert "proven the fewest practices that can move" in body and "Traceback" not in body
        assert "The moves (" in body
        # today's PCNs and the proposal side by side; each ringed practice is one more path on each map
        frames = map_frames(page, 2, min_paths=10 + 41 + 1, timeout_ms=90_000)
        assert len(frames) >= 2
        rings = [f.locator("path.leaflet-interactive[stroke='#d7301f']").count() for f in frames[:2]]
        assert rings[0] == rings[1] and rings[0] >= 1, rings
        time.sleep(1.5)
        page.screenshot(path=str(artifacts / "localities_repair.png"), full_page=True)
        assert errors == []
