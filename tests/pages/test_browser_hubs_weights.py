"""In Chromium: Hubs & estates keeps the planner's weights however the page is reached.

The browser, not AppTest, showed the defect: after "By hand" (or a capacity with no feasible
option) the page stopped before drawing the weight sliders, and when they came back the
browser showed 0 for every weight while AppTest still held 5, 2, 5, 5.
"""

from __future__ import annotations

import time

import pytest

from tests.browser import choose, served_app, wait_idle

pytestmark = pytest.mark.browser

THUMBS = "() => [...document.querySelectorAll('[data-testid=stSliderThumbValue]')].map(e => e.innerText)"


def _sliders(pg) -> list[str]:
    """The weights and the "Show the option keeping" slider (which starts on the best-ranked option)."""
    pg.get_by_text("Show the option keeping").first.wait_for(timeout=60_000)
    wait_idle(pg)
    time.sleep(0.5)
    return pg.evaluate(THUMBS)


def _rate(pg, value: str) -> None:
    box = pg.locator("[data-testid='stSidebar']").get_by_label("Patients per m²")
    box.fill(value)
    box.press("Enter")
    wait_idle(pg)


def test_weights_and_ranking_survive_every_way_back(browser, small_store, artifacts, tmp_path, monkeypatch):
    from locality import store
    from locality.sources import estates
    from locality.store import userdata
    from tests.cases import REGISTER

    monkeypatch.setenv("LOCALITY_USER_DB", str(tmp_path / "user.duckdb"))
    con = store.connect(small_store)
    userdata.save_register("ascot", estates.read_register(REGISTER.encode(), "ascot.csv", con), "ascot.csv",
                           REGISTER.encode())
    con.close()
    with served_app(small_store) as url:
        pg = browser.new_page(viewport={"width": 1440, "height": 900})
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(f"{url}/hubs")
        sb = pg.locator("[data-testid='stSidebar']")
        _sliders(pg)
        choose(pg, "Sites and their figures from", "ascot", scope=sb)
        sb.get_by_text("per m²").click()  # 10 per m², within capacity: 29,500 places for 32,519 patients
        pg.get_by_text("No option fits within capacity").first.wait_for(timeout=60_000)
        assert "11.1 patients per m²" in pg.locator("body").inner_text()
        pg.screenshot(path=str(artifacts / "hubs_capacity_short.png"))
        _rate(pg, "12")
        start = _sliders(pg)
        weights = start[:-1]
        assert weights[:2] == ["5", "2"] and len(weights) >= 4 and all(w != "0" for w in weights[:2])
        # the planner's own weight: mean travel 5 → 8
        pg.locator("[data-testid=stSlider] input[type=range]").first.focus()
        for _ in range(3):
            pg.keyboard.press("ArrowRight")
        mine = _sliders(pg)
        assert mine[0] == "8"

        _rate(pg, "10")  # every option over capacity: the page stops before the sliders
        pg.get_by_text("No option fits within capacity").first.wait_for(timeout=60_000)
        _rate(pg, "12")
        assert _sliders(pg) == mine

        sb.get_by_text("By hand").click()  # no practice chosen: the page stops early
        pg.get_by_text("Choose a PCN or some practices").first.wait_for(timeout=60_000)
        sb.get_by_text("A PCN").click()
        assert _sliders(pg) == mine

        pg.locator("[data-testid=stSidebarNav]").get_by_text("Overview").click()
        wait_idle(pg)
        pg.locator("[data-testid=stSidebarNav]").get_by_text("Hubs & estates").click()
        assert _sliders(pg) == mine
        pg.screenshot(path=str(artifacts / "hubs_weights_kept.png"), full_page=True)
        body = pg.locator("body").inner_text()
        assert "Traceback" not in body and errors == []
