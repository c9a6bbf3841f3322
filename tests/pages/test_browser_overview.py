"""End to end: the Overview in headless Chromium, with no internet and no CDN."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest

from tests.browser import choose, map_frame, served_app

pytestmark = pytest.mark.browser


def test_overview_draws_east_berkshire_offline(browser, small_store, artifacts):
    with served_app(small_store) as url:
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        hosts = set()
        page.on("request", lambda r: hosts.add(urlparse(r.url).hostname))
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        frame = map_frame(page)
        page.get_by_text("497,911").first.wait_for(timeout=30_000)
        time.sleep(1.5)  # let the last layers paint before the screenshot
        assert frame.locator(".leaflet-container").count() == 1
        # 41 practice circles plus the area boundary, as SVG paths Leaflet drew
        assert frame.locator("path.leaflet-interactive").count() >= 42
        box = frame.locator(".leaflet-container").bounding_box()
        assert box and box["height"] > 400 and box["width"] > 400
        body = page.locator("body").inner_text()
        assert "U2G6B" in body and "Traceback" not in body
        assert errors == []
        assert hosts <= {"127.0.0.1", "localhost", None}, hosts
        page.screenshot(path=str(artifacts / "overview_east_berkshire.png"), full_page=True)

        # switch on the IMD layer: LSOA polygons are drawn too
        choose(page, "LSOA shading", "IMD 2025 decile (1 = most deprived)")
        deadline = time.time() + 30
        n = 0
        while time.time() < deadline:
            frame = map_frame(page)
            n = frame.locator("path.leaflet-interactive").count()
            if n > 300:
                break
            time.sleep(0.5)
        assert n > 300, n
        time.sleep(1.5)
        page.screenshot(path=str(artifacts / "overview_imd_layer.png"), full_page=True)
