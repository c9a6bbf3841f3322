"""Names that carry script run nowhere: not in a standalone map, not in the served app (Presentation mode).

A register's site ids and a scenario's name and description carry ``<script>``, ``<img onerror>``,
template-literal (``${…}``) and backtick payloads. Every tooltip and popup is opened; no payload may
run (no dialog, no title change, no flag set on the window, no injected element) and each name must
show as the text it is.
"""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import pytest

from locality import scenarios, store
from locality.outputs import maps
from locality.sources.estates import read_register
from locality.store import userdata
from tests.browser import map_frames, open_standalone_map, served_app, wait_idle
from tests.cases import ASCOT, REGISTER

pytestmark = pytest.mark.browser

#: Site ids (at most 64 characters) that would run if they reached the page as markup or as script.
PAYLOADS = [
    '<img src=x onerror="top.__xss=1;alert(1)">',
    "<script>top.__xss=2;alert(2)</script>",
    "${top.__xss=3,alert(3),top.document.title='pwned'}",
    "`;top.__xss=4;alert(4);`\\",
]
NAME = "<script>top.__xss=5</script> EB ${alert(6)}"
DESCRIPTION = '<img src=x onerror="top.__xss=7;alert(7)"> ${top.__xss=8} [a link](http://example.com)'

OPEN_ALL = """() => {
    const texts = [];
    const shown = () => [...document.querySelectorAll('.leaflet-tooltip, .leaflet-popup-content')]
        .map(e => e.innerText).join('\\n');
    for (const p of document.querySelectorAll('path.leaflet-interactive')) {
        p.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
        texts.push(shown());
        p.dispatchEvent(new MouseEvent('click', {bubbles: true}));
        texts.push(shown());
        p.dispatchEvent(new MouseEvent('mouseout', {bubbles: true}));
    }
    return texts.join('\\n');
}"""
INJECTED = "() => document.querySelectorAll('img[src=\"x\"], .leaflet-pane script, .leaflet-tooltip script').length"


def hostile_register() -> str:
    lines = REGISTER.splitlines()
    for i, p in enumerate(PAYLOADS, start=1):
        lines[i] = lines[i].replace(f"S{i},", f'"{p.replace(chr(34), chr(34) * 2)}",', 1)
    return "\n".join(lines) + "\n"


@pytest.fixture()
def hostile(small_store, tmp_path, monkeypatch):
    """Save the hostile register and a scenario (name, description and embedded register hostile) in a user DB."""
    monkeypatch.setenv("LOCALITY_USER_DB", str(tmp_path / "user.duckdb"))
    con = store.connect(small_store)
    reg = read_register(hostile_register().encode(), "hostile.csv", con)
    assert sorted(reg["site_id"]) == sorted(PAYLOADS)  # read as text, unchanged
    userdata.save_register("hostile <b>register</b>", reg, "hostile.csv", hostile_register().encode())
    doc = scenarios.new_scenario(NAME, "U2G6B", DESCRIPTION, None,
                                 {"practices": ASCOT, "register": userdata.load_register("hostile <b>register</b>"),
                                  "register_name": "hostile", "chosen_k": 2})
    text = scenarios.dumps(scenarios.run_scenario(con, doc).document())
    imp = scenarios.import_scenario(con, text, "hostile.json")  # through the import path: re-checked
    userdata.save_scenario(imp.run.document())
    yield con, imp.run
    con.close()


def _assert_inert(page, frame, dialogs, title: str) -> str:
    shown = frame.evaluate(OPEN_ALL)
    page.wait_for_timeout(500)
    assert dialogs == [], dialogs
    assert page.title() == title and "pwned" not in page.title()
    assert page.evaluate("() => window.__xss") is None and frame.evaluate("() => top.__xss") is None
    assert frame.evaluate(INJECTED) == 0 and page.evaluate(INJECTED) == 0
    for p in PAYLOADS:
        assert p in shown, f"{p!r} is not shown as text in:\n{shown}"
    return shown


def test_a_standalone_map_shows_hostile_names_as_text(hostile, browser, artifacts):
    con, run = hostile
    kept = list(run.chosen["kept"])
    geoms = store.lsoa_web_geometries(con, list(run.sites.demand.points["lsoa21_code"]))
    mp, _ = maps.site_option_map(run.sites, kept, geoms)
    # practices with hostile names, for the popups (GeoJSON properties through innerHTML)
    pts = pd.DataFrame({"practice_code": ["K81010", "K81028", "K81076", "K81655"], "practice_name": PAYLOADS,
                        "pcn_code": PAYLOADS, "pcn_name": PAYLOADS, "patients": [9000, 8000, 7000, 6000],
                        "lat": [51.41, 51.40, 51.42, 51.43], "lon": [-0.67, -0.66, -0.68, -0.65]})
    maps.add_practices(mp, pts)
    html = mp.get_root().render()
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    open_standalone_map(page, html)
    title = page.title()
    shown = _assert_inert(page, page.main_frame, dialogs, title)
    assert "<img src=x" in shown and "${top.__xss=3" in shown
    page.screenshot(path=str(artifacts / "hostile_standalone_map.png"))
    page.close()


def test_the_served_app_shows_hostile_names_as_text(hostile, browser, small_store, artifacts):
    with served_app(small_store) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        dialogs: list[str] = []
        errors: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{url}/present?scenario={quote(userdata.scenarios()['name'].iloc[0])}")
        map_frames(page, 1, min_paths=4, timeout_ms=120_000)
        wait_idle(page)
        title = page.title()
        iframe = page.locator("iframe[title='streamlit_folium.st_folium']").first
        sandbox = iframe.get_attribute("sandbox") or ""
        body = page.locator("body").inner_text()
        assert "<script>top.__xss=5</script> EB ${alert(6)}" in body  # the name, as text
        assert '<img src=x onerror="top.__xss=7;alert(7)">' in body  # the description, as text
        frame_handle = iframe.element_handle().content_frame()
        _assert_inert(page, frame_handle, dialogs, title)
        assert "Traceback" not in body and errors == [], errors
        page.screenshot(path=str(artifacts / "hostile_present.png"))
        # what the map frame may do: Streamlit's fixed component sandbox (recorded, so a change is seen)
        assert set(sandbox.split()) >= {"allow-scripts", "allow-same-origin"}, sandbox
        page.close()
