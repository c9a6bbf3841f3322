"""End to end in headless Chromium: save two scenarios, compare them, export board packs, re-import, present."""

from __future__ import annotations

import json
import subprocess
from urllib.parse import quote, urlparse

import pytest

from tests.browser import map_frames, served_app, wait_idle

pytestmark = pytest.mark.browser


def _save_scenario(page, name: str, description: str) -> None:
    if not page.get_by_label("Scenario name").is_visible():
        page.get_by_text("Save as a scenario").click()
    page.get_by_label("Scenario name").fill(name)
    page.locator("textarea[aria-label^='One or two sentences']").fill(description)
    page.get_by_role("button", name="Save scenario").click()
    page.get_by_text(f"Saved scenario {name}").wait_for(timeout=60_000)


def test_save_compare_export_import_present(browser, small_store, artifacts, tmp_path, monkeypatch):
    monkeypatch.setenv("LOCALITY_USER_DB", str(tmp_path / "user.duckdb"))
    with served_app(small_store) as url:
        page = browser.new_page(viewport={"width": 1500, "height": 2200}, accept_downloads=True)
        errors, hosts = [], set()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: hosts.add(urlparse(r.url).hostname))

        # two groupings of East Berkshire, each saved with a sentence
        page.goto(f"{url}/localities")
        page.get_by_text("Within 30,000–50,000").first.wait_for(timeout=90_000)
        _save_scenario(page, "EB PCN-size 30-50k", "Twelve PCN-sized groups, all within the band.")
        page.get_by_text("Locality (50,000–70,000)").click()
        page.get_by_role("button", name="Run grouping").click()
        page.get_by_text("Within 50,000–70,000").first.wait_for(timeout=90_000)
        wait_idle(page)
        _save_scenario(page, "EB localities 50-70k", "Eight place-based localities.")

        # compare them side by side
        page.get_by_role("link", name="Scenarios").click()
        page.get_by_role("radio", name="Compare").click()
        page.get_by_text("Adjusted Rand index between the two groupings").wait_for(timeout=90_000)
        map_frames(page, 2, min_paths=8)
        wait_idle(page)
        body = page.locator("body").inner_text()
        assert "Practices that move" in body and "Traceback" not in body
        page.screenshot(path=str(artifacts / "scenarios_compare.png"), full_page=True)

        # export the scenario file and both board packs
        page.get_by_role("radio", name="Saved scenarios").click()
        with page.expect_download() as dl:
            page.get_by_role("button", name="Download scenario file (JSON)").click()
        scenario_file = tmp_path / "scenario.json"
        dl.value.save_as(scenario_file)
        doc = json.loads(scenario_file.read_text())
        assert doc["format"] == "locality-planner-scenario" and doc["results"]["grouping"]["summary"]["groups"] > 0
        for fmt in ("pdf", "pptx"):
            page.get_by_role("button", name=f"Make board pack ({fmt.upper()})").click()
            button = page.get_by_role("button", name=f"Download board pack ({fmt.upper()})")
            button.wait_for(timeout=90_000)
            with page.expect_download() as dl:
                button.click()
            dl.value.save_as(tmp_path / f"pack.{fmt}")
        assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "3", str(tmp_path / "pack.pdf"),
                        str(artifacts / "scenarios_browser_pack")], check=True)
        from pptx import Presentation

        titles = [s.shapes.title.text if s.shapes.title is not None else "" for s in
                  Presentation(str(tmp_path / "pack.pptx")).slides]
        assert "Proposed groups" in titles
        page.screenshot(path=str(artifacts / "scenarios_saved.png"), full_page=True)

        # import the file back: re-run here, identical results
        page.get_by_role("radio", name="Import a scenario file").click()
        page.locator("input[type='file']").set_input_files(str(scenario_file))
        page.get_by_text("Re-run here:").wait_for(timeout=90_000)
        assert "identical" in page.get_by_text("Re-run here:").inner_text()

        # presentation mode: a full-width map and big figures, no sidebar
        page.goto(f"{url}/present?scenario={quote(doc['name'])}")
        page.get_by_text("Population per group").wait_for(timeout=90_000)
        map_frames(page, 1, min_paths=8)
        wait_idle(page)
        assert page.locator("[data-testid='stSidebar']").is_hidden()
        page.set_viewport_size({"width": 1366, "height": 768})
        page.screenshot(path=str(artifacts / "scenarios_present.png"))
        assert errors == []
        assert hosts <= {"127.0.0.1", "localhost", None}, hosts
