"""End to end: run a grouping in headless Chromium and compare it with today's PCNs."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest

from tests.browser import map_frames, served_app

pytestmark = pytest.mark.browser


def test_regroup_east_berkshire_beside_todays_pcns(browser, small_store, artifacts):
    with served_app(small_store) as url:
        page = browser.new_page(viewport={"width": 1500, "height": 2300})
        errors, hosts = [], set()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: hosts.add(urlparse(r.url).hostname))
        page.goto(f"{url}/localities")  # a direct link, on a freshly started server
        page.get_by_text("Within 30,000–50,000").first.wait_for(timeout=60_000)
        # 12 group polygons + 41 practices + the area outline
        (frame,) = map_frames(page, 1, min_paths=12 + 41 + 1)
        assert frame.locator(".leaflet-container").count() == 1
        body = page.locator("body").inner_text()
        assert "Practices that would move" in body and "Traceback" not in body
        assert page.get_by_role("link", name="Overview").count() == 1  # app navigation, not the pages/ folder
        page.screenshot(path=str(artifacts / "localities_proposal.png"))

        # run the 50–70k locality band from the sidebar form
        page.get_by_text("Locality (50,000–70,000)").click()
        page.get_by_role("button", name="Run grouping").click()
        page.get_by_text("Within 50,000–70,000").first.wait_for(timeout=60_000)

        # side by side with today's PCNs: two drawn maps
        page.get_by_text("Side by side").click()
        frames = map_frames(page, 2, min_paths=8 + 41 + 1)
        assert len(frames) >= 2
        time.sleep(1.5)
        page.screenshot(path=str(artifacts / "localities_side_by_side.png"))
        assert errors == []
        assert hosts <= {"127.0.0.1", "localhost", None}, hosts  # no CDN, no tiles, no web fonts
