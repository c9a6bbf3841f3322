"""The Hubs & estates page through AppTest, and in headless Chromium."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest

from tests.browser import map_frames, served_app


@pytest.fixture()
def page(open_page):
    return open_page("pages/hubs.py")


def _table(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_ascot_options_ranked(page):
    m = {x.label: x.value for x in page.metric}
    assert m["Practices"] == "4" and m["Sites"] == "3"
    ranked = _table(page, "score")
    assert sorted(ranked["k"]) == [1, 2, 3] and list(ranked["rank"]) == sorted(ranked["rank"])
    assert ranked["first_under_20pc"].sum() == pytest.approx(1.0)
    assert (ranked["gap"] <= 0.005).all()


def test_weights_change_the_ranking(page):
    for c in ("mean_travel_m", "p90_travel_m", "within_2km"):
        page.slider(key=f"hb_w_{c}").set_value(0)
    page.slider(key="hb_w_sites_released").set_value(10).run()
    assert _table(page, "score")["k"].iloc[0] == 1
    page.slider(key="hb_w_sites_released").set_value(0)
    page.slider(key="hb_w_mean_travel_m").set_value(10).run()
    assert _table(page, "score")["k"].iloc[0] == 3


def test_flags_by_hand(page):
    page.multiselect(key="hb_close").set_value(["SITE-SL57GB"]).run()
    assert not page.exception
    ranked = _table(page, "score")
    assert not ranked["kept_list"].str.contains("SITE-SL57GB").any()


@pytest.mark.browser
def test_hubs_in_chromium(browser, national_store, artifacts):
    with served_app(national_store) as url:
        pg = browser.new_page(viewport={"width": 1500, "height": 2300})
        hosts, errors = set(), []
        pg.on("request", lambda r: hosts.add(urlparse(r.url).hostname))
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(f"{url}/hubs")
        pg.get_by_text("The gap is proven by a lower bound").first.wait_for(timeout=60_000)
        (frame,) = map_frames(pg, 1, min_paths=16 + 3)  # catchment LSOAs and the three sites
        time.sleep(1.5)
        pg.screenshot(path=str(artifacts / "hubs_ascot.png"))
        assert "Traceback" not in pg.locator("body").inner_text()
        assert errors == [] and hosts <= {"127.0.0.1", "localhost", None}
