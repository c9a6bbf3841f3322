"""Rutland's practices appraised in drive and walk minutes on the real Rutland road network (national store)."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from locality import scenarios
from locality.cli import main
from locality.errors import SitesError
from locality.sites import SiteOptions, appraise_sites
from tests.browser import choose, map_frames, served_app, wait_idle

#: Oakham, Empingham, Uppingham, Market Overton & Somerby, and Lakeside Stamford across the border.
RUTLAND = ("C82010", "C82044", "C82077", "C82649", "C83007")


@pytest.fixture(scope="module")
def appraisals(national_store, roads_dir):
    """Straight, drive and walk appraisals of the Rutland practices."""
    import os

    from locality import store

    before = os.environ.get("LOCALITY_ROADS_DIR")
    os.environ["LOCALITY_ROADS_DIR"] = str(roads_dir)
    con = store.connect(national_store)
    try:
        yield {t: appraise_sites(con, SiteOptions(practices=RUTLAND, travel=t)) for t in ("straight", "drive", "walk")}
    finally:
        con.close()
        if before is None:
            os.environ.pop("LOCALITY_ROADS_DIR")
        else:
            os.environ["LOCALITY_ROADS_DIR"] = before


def test_drive_and_walk_minutes_from_population_centres(appraisals):
    s, d, w = appraisals["straight"], appraisals["drive"], appraisals["walk"]
    assert s.unit == "m" and d.unit == "min" and w.unit == "min"
    assert d.travel.cost.shape == s.travel.cost.shape == (len(s.demand.points), 5)
    assert np.isfinite(d.travel.cost).all() and np.isfinite(w.travel.cost).all()
    assert "Valhalla drive minutes" in d.travel.provenance and "population centres" in d.travel.provenance
    assert "rutland" in d.travel.provenance and "ODbL" in d.travel.provenance
    assert (w.travel.cost > 2 * d.travel.cost + 1e-9)[d.travel.cost > 2].all()
    assert "within_10min" in d.table and "within_20min" in d.table
    one, all5 = d.option(1), d.option(5)
    assert 5 < one["mean_travel"] < 25 and all5["mean_travel"] < one["mean_travel"]
    assert w.option(5)["mean_travel"] > 3 * d.option(5)["mean_travel"]
    assert any(f"Travel is {d.travel.provenance}" in n for n in d.notes)


def test_a_scenario_with_road_travel_reimports_identical(national_con, roads_dir, monkeypatch):
    monkeypatch.setenv("LOCALITY_ROADS_DIR", str(roads_dir))
    doc = scenarios.new_scenario("Rutland by car", "E06000017", "drive minutes",
                                 sites={"practices": list(RUTLAND), "travel": "drive", "roads": "rutland",
                                        "chosen_k": 3})
    assert doc["version"] == 3 and doc["sites"]["travel"] == "drive"
    saved = scenarios.run_scenario(national_con, doc).document()
    assert saved["results"]["sites"]["unit"] == "min" and "Valhalla drive" in saved["results"]["sites"]["travel"]
    imp = scenarios.import_scenario(national_con, scenarios.dumps(saved), "rutland.json")
    assert imp.identical, imp.differences
    from locality.outputs import boardpack

    pptx, _ = boardpack.export(national_con, imp.run, "pptx")
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(pptx)) as z:
        text = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.startswith("ppt/slides/"))
    assert "Valhalla drive minutes" in text and "OpenStreetMap contributors" in text and "Circuity factor" not in text
    walked = json.loads(scenarios.dumps(saved))
    walked["sites"]["travel"] = "walk"
    again = scenarios.import_scenario(national_con, json.dumps(walked), "rutland-walk.json")
    assert not again.identical  # the travel source is part of what is reproduced


def test_cli_sites_travel_drive_json(national_store, roads_dir, monkeypatch, capsys):
    monkeypatch.setenv("LOCALITY_ROADS_DIR", str(roads_dir))
    args = ["sites", "--practices", ",".join(RUTLAND), "--store", str(national_store), "--json"]
    assert main([*args, "--travel", "drive", "--keep", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["travel"] == "drive" and out["travel_unit"] == "min" and "Valhalla" in out["travel_source"]
    assert "mean_travel_min" in out and {"within_10min", "within_15min", "within_20min"} <= set(out["options"][0])
    assert main([*args, "--travel", "walk", "--roads", "nowhere"]) == 2
    assert "No road network called 'nowhere'" in capsys.readouterr().err


def test_road_travel_outside_every_network_says_why(national_con, roads_dir, monkeypatch):
    monkeypatch.setenv("LOCALITY_ROADS_DIR", str(roads_dir))
    with pytest.raises(SitesError, match=r"outside every built road network.*rutland"):
        appraise_sites(national_con, SiteOptions(practices=("K81010", "K81028"), travel="drive"))  # Ascot


def test_hubs_page_with_drive_in_chromium(browser, national_store, roads_dir, artifacts, tmp_path, monkeypatch):
    """Rutland on the Hubs page, travel by car: minutes, the 10/15/20 shares and the source under the table."""
    monkeypatch.setenv("LOCALITY_USER_DB", str(tmp_path / "user.duckdb"))
    monkeypatch.setenv("LOCALITY_ROADS_DIR", str(roads_dir))
    with served_app(national_store) as url:
        pg = browser.new_page(viewport={"width": 1500, "height": 2400})
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(f"{url}/hubs")
        pg.get_by_text("The proven optimality gap is how much shorter").first.wait_for(timeout=90_000)
        body = pg.locator("body").inner_text()
        assert "Drive and walk are not offered" in body and "outside every built road network" in body  # Ascot
        choose(pg, "Choose by", "Local authority")
        choose(pg, "Local authority", "Rutland (E06000017)", typed="Rutland")
        pg.get_by_text("Whole area").first.click()
        wait_idle(pg)
        pg.get_by_text("Drive (road network)").first.click()
        pg.get_by_text("Travel is Valhalla drive minutes").first.wait_for(timeout=90_000)
        wait_idle(pg)
        map_frames(pg, 1, min_paths=10)
        time.sleep(1.5)
        pg.screenshot(path=str(artifacts / "hubs_rutland_drive.png"))
        body = pg.locator("body").inner_text()
        assert "Traceback" not in body and errors == []
        # the options table is drawn on a canvas: its headings are checked through the weights and the legend
        assert "People within 15 min (more is better)" in body and "under 10 min" in body and "10–15 min" in body
        assert "OpenStreetMap contributors" in body and "Drive and walk: routed on" in body
