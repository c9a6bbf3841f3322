"""A repair saved as a scenario: the file carries the mode, re-imports as identical, and its board pack leads
with the moves and their reasons."""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import pytest

from locality import scenarios
from locality.grouping import GroupingOptions
from locality.outputs.boardpack import board_pack, export


@pytest.fixture(scope="module")
def repair_run(small_store):
    from locality import store

    con = store.connect(small_store)
    doc = scenarios.new_scenario("East Berkshire least change", "U2G6B", "Today's PCNs into 30–50k.",
                                 GroupingOptions(30_000, 50_000, mode="repair"))
    run = scenarios.run_scenario(con, doc)
    yield con, run
    con.close()


def test_the_file_carries_the_mode_and_reimports_as_identical(repair_run):
    con, run = repair_run
    doc = run.document()
    assert doc["grouping"]["mode"] == "repair" and doc["grouping"]["minimise"] == "practices"
    s = doc["results"]["grouping"]["summary"]
    assert s["mode"] == "repair" and s["moves_proven_minimal"] is True
    assert s["practices_moved"] == s["moves_lower_bound"] == s["practices_moving"]
    imported = scenarios.import_scenario(con, scenarios.dumps(doc), "least_change.scenario.json")
    assert imported.identical, imported.differences
    assert imported.run.grouping.result.repair is not None
    # the same file as a fresh grouping is a different result
    fresh = json.loads(scenarios.dumps(doc))
    fresh["grouping"]["mode"] = "fresh"
    other = scenarios.import_scenario(con, json.dumps(fresh), "fresh.scenario.json")
    assert not other.identical and "grouping.assignment differs." in other.differences


def test_an_unknown_mode_is_refused_naming_the_field(repair_run):
    _con, run = repair_run
    doc = json.loads(scenarios.dumps(run.document()))
    doc["grouping"]["mode"] = "paint"
    with pytest.raises(scenarios.ScenarioError, match=r"grouping\.mode"):
        scenarios.loads(json.dumps(doc), "bad.json")


def test_board_pack_leads_with_the_moves_and_their_reasons(repair_run, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.fail("poppler-utils (pdftotext) is missing: run 'apt-get install poppler-utils'.")
    con, run = repair_run
    pack = board_pack(con, run)
    assert pack.moves_first and pack.moves_heading.startswith("The moves and their reasons")
    rep = run.grouping.result.repair
    assert list(pack.moves_table["Why"]) == list(rep.moves["reason"])
    pdf, _secs = export(con, run, "pdf")
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                           text=True).stdout.split("\f")
    # page 1: the title with its headline figures; page 2: the moves, before any map
    assert "proven fewest" in pages[0]
    assert "The moves and their reasons" in pages[1]
    first = rep.moved.iloc[0]
    assert first["practice_code"] in pages[1] and "moves" in pages[1]
    assert "Start from" in "".join(pages) and "today's PCNs" in "".join(pages)
    from pptx import Presentation

    data, _ = export(con, run, "pptx")
    titles = [s.shapes.title.text_frame.text if s.shapes.title is not None else ""
              for s in Presentation(io.BytesIO(data)).slides]
    lead = next(i for i, t in enumerate(titles) if t.startswith("The moves"))
    maps = [i for i, t in enumerate(titles) if "map" in t.lower()]
    assert not maps or lead < min(maps), titles
