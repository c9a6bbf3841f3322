"""Board packs rendered from real groupings and site options: maps, PDF and PowerPoint."""

from __future__ import annotations

import io
import shutil
import subprocess
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from PIL import Image

from locality import store
from locality.errors import ExportError
from locality.grouping import GroupingOptions
from locality.grouping.area import group_area
from locality.outputs.report import BoardPack, map_png, to_pdf, to_pptx
from locality.settings import attribution_statements
from locality.sites import SiteOptions, appraise_sites
from tests.cases import ASCOT

AREA = "U2G6B"  # NHS East Berkshire: about 12 groups at 30–50k
KEEP = 2


@pytest.fixture()
def poppler():
    """pdftoppm and pdftotext are required (test.sh and .ci/run install poppler-utils): fail, never skip."""
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        pytest.fail("poppler-utils (pdftoppm, pdftotext) is missing: run 'apt-get install poppler-utils'.")


def _grouping_parts(con, code: str) -> dict:
    """Groups, practices and tables of a real grouping of ``code`` at 30–50k."""
    ag = group_area(con, code, GroupingOptions(30_000, 50_000))
    r = ag.result
    groups = r.groups[r.groups["group"].isin(r.outlines)].reset_index(drop=True)
    gdf = gpd.GeoDataFrame(groups[["group", "patients", "practices", "status"]],
                           geometry=[r.outlines[g] for g in groups["group"]], crs="EPSG:27700")
    located = store.practices(con, ag.area_type, code)[["practice_code", "easting", "northing"]]
    practices = r.assignment.merge(located, on="practice_code", how="left")[
        ["practice_code", "practice_name", "easting", "northing", "patients", "group"]]
    table = groups.rename(columns={"group": "Group", "patients": "Patients", "practices": "Practices",
                                   "sites": "Sites", "lsoas": "LSOAs", "residents": "Residents",
                                   "mean_distance_km": "Mean distance to practice (km)", "status": "Against band",
                                   "contiguous": "Contiguous", "main_pcn": "Main PCN today"})
    table = table.drop(columns=["shape_index", "mean_imd_decile"])
    table["Patients"] = table["Patients"].map("{:,}".format)  # ready-printed text, as scenarios will give
    moves = ag.comparison.moves.rename(columns={
        "practice_code": "Practice", "practice_name": "Name", "pcn_name": "PCN today", "patients": "Patients",
        "group": "Proposed group", "pcn_home_group": "Group of most of its PCN"})
    headline = [("Groups", f"{len(groups)}"), ("Within 30,000–50,000", f"{100 * r.within_share:.0f}%"),
                ("Practices that move", f"{len(moves)}"), ("Registered patients", f"{groups['patients'].sum():,}")]
    outline = shapely.coverage_union_all(shapely.from_wkb(ag.lsoas["geom_bng"].map(bytes).to_numpy()))
    return {"groups": gdf, "practices": practices, "groups_table": table, "moves_table": moves,
            "headline": headline, "area_outline": outline, "name": ag.area_name}


def _site_parts(con, codes: list[str], keep: int) -> dict:
    """The chosen site option (keep ``keep`` sites), its catchment's travel and the options table."""
    inst = appraise_sites(con, SiteOptions(practices=tuple(codes)))
    opts = inst.table
    kept = list(inst.option(keep)["kept"])
    sites = inst.sites[["site_id", "postcode", "easting", "northing"]].copy()
    sites["kept"] = sites["site_id"].isin(kept)
    geo = con.execute("SELECT lsoa21_code, geom_bng FROM lsoa WHERE lsoa21_code IN "
                      f"({','.join('?' * len(inst.demand.points))})", list(inst.demand.points["lsoa21_code"])).df()
    geom = dict(zip(geo["lsoa21_code"], shapely.from_wkb(geo["geom_bng"].map(bytes).to_numpy()), strict=True))
    demand = gpd.GeoDataFrame(inst.demand.points[["lsoa21_code", "residents"]].assign(
        travel=inst.nearest_kept(kept)), geometry=[geom[c] for c in inst.demand.points["lsoa21_code"]],
        crs="EPSG:27700")
    table = pd.DataFrame({
        "Sites kept": opts["k"],
        "Kept": opts["kept"].map(", ".join),
        "Closed": opts["closed"].map(lambda c: ", ".join(c) or "none"),
        "Mean travel (m)": opts["mean_travel"].round(0),
        "90th percentile (m)": opts["p90_travel"].round(0),
        "Within 1 km": opts["within_1km"].map("{:.1f}%".format),
        "Within 2 km": opts["within_2km"].map("{:.1f}%".format),
        "Optimality gap": opts["gap"].map("{:.1%}".format),
    })
    return {"sites": sites, "demand": demand, "options_table": table, "kept": kept}


def _pack(con, grouping: dict | None, sites: dict | None) -> BoardPack:
    """A BoardPack as a scenario would build it: grouping, site option, or both."""
    prov = store.provenance(con).rename(columns={"title": "Dataset", "publisher": "Publisher", "edition": "Edition",
                                                 "licence": "Licence"})[["Dataset", "Publisher", "Edition", "Licence"]]
    extract = store.meta(con).get("extract_date", "")
    headline = list(grouping["headline"]) if grouping else []
    params = [("Area", f"NHS East Berkshire ({AREA})"), ("Seed", "0")]
    if grouping:
        params += [("Population floor", "30,000"), ("Population ceiling", "50,000"), ("Locks", "none")]
    if sites:
        headline.append(("Mean travel, 2 sites kept", "1,519 m"))
        params += [("Practices appraised", ", ".join(ASCOT)), ("Sites kept", str(KEEP)), ("Circuity factor", "1.0"),
                   ("Travel", "straight line × circuity, in metres")]
    outline = grouping["area_outline"] if grouping else shapely.union_all(sites["demand"].geometry.to_numpy())
    return BoardPack(
        title="East Berkshire – neighbourhoods 2026/27",
        subtitle=f"NHS East Berkshire ({AREA}) · 30,000–50,000 · list data {extract}",
        description="Twelve neighbourhoods of 30–50k patients (≥ 30,000 each), and the Ascot hub option that keeps "
                    "two of three sites. Running cost figures are in £ where an estates register is loaded.",
        headline=headline, area_outline=outline, parameters=params, provenance=prov,
        attributions=attribution_statements(), generated="2026-07-01 09:30",
        notes=["Travel is straight-line distance between LSOA centroids and sites, not road distance.",
               "Floor area and running cost are unknown without an estates register."],
        **({k: grouping[k] for k in ("groups", "practices", "groups_table", "moves_table")} if grouping else {}),
        **({k: sites[k] for k in ("sites", "demand", "options_table")} if sites else {}),
    )


@pytest.fixture()
def parts(con):
    return _grouping_parts(con, AREA), _site_parts(con, ASCOT, KEEP)


@pytest.fixture()
def pack(con, parts):
    return _pack(con, *parts)


def _image(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _inked(rgb: np.ndarray) -> float:
    """Share of pixels that are not white (the pale land fill counts as ink)."""
    return float((rgb.min(axis=2) < 250).mean())


def _colours(rgb: np.ndarray, min_pixels: int = 300) -> int:
    """Distinct colours covering at least ``min_pixels`` pixels (antialiasing fringes ignored)."""
    _, counts = np.unique(rgb.reshape(-1, 3), axis=0, return_counts=True)
    return int((counts >= min_pixels).sum())


def _pdf_pages(pdf: bytes, tmp_path, dpi: int = 50) -> list[np.ndarray]:
    """Render a PDF with poppler's pdftoppm; return one RGB array per page."""
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(tmp_path / "page")], check=True)
    return [np.asarray(Image.open(p).convert("RGB")) for p in sorted(tmp_path.glob("page-*.png"))]


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def _slides(data: bytes) -> list:
    from pptx import Presentation

    return list(Presentation(io.BytesIO(data)).slides)


def _title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def test_maps_are_drawn(pack, artifacts):
    for which in ("area", "groups", "sites"):
        png = map_png(pack, which)
        assert png[:8] == b"\x89PNG\r\n\x1a\n", which
        rgb = _image(png)
        assert rgb.shape[:2] == (930, 1500), which  # 10 × 6.2 in at 150 dpi
        assert _inked(rgb) > 0.10, f"{which} map is almost blank"
        (artifacts / f"report_map_{which}.png").write_bytes(png)
    groups = _image(map_png(pack, "groups", width_in=8, height_in=5, dpi=100))
    assert groups.shape[:2] == (500, 800)
    assert _colours(groups, min_pixels=150) >= len(pack.groups), "the groups should be filled in distinct colours"


def test_sites_map_is_framed_on_the_catchment(pack):
    """The sites map shows the catchment's travel shading at a readable scale, not the whole area."""
    rgb = _image(map_png(pack, "sites"))
    r, g, b = (rgb[..., i].astype(int) for i in range(3))
    warm = (r >= g) & (r - b > 40)  # YlOrRd: pale yellow to dark red fills
    assert warm.mean() > 0.15, "the demand LSOAs should fill much of the sites map"
    r, g, b = (_image(map_png(pack, "area"))[..., i].astype(int) for i in range(3))
    assert ((r >= g) & (r - b > 40)).mean() < 0.01  # no travel shading on the area map


def test_map_needs_its_data(con, parts):
    grouping_only = _pack(con, parts[0], None)
    with pytest.raises(ExportError, match="site option"):
        map_png(grouping_only, "sites")
    with pytest.raises(ExportError, match="Unknown map"):
        map_png(grouping_only, "roads")
    sites_only = _pack(con, None, parts[1])
    with pytest.raises(ExportError, match="proposed groups"):
        map_png(sites_only, "groups")


@pytest.mark.usefixtures("poppler")
def test_pdf_pages_text_and_maps(pack, tmp_path, artifacts):
    started = time.perf_counter()
    pdf = to_pdf(pack)
    print(f"\nPDF for {AREA}: {time.perf_counter() - started:.2f} s, {len(pdf) / 1e6:.1f} MB")
    assert pdf.startswith(b"%PDF")
    pages = _pdf_pages(pdf, tmp_path)
    # title, 3 maps, groups, moves, site options, assumptions, sources
    assert 9 <= len(pages) <= 14
    for k, rgb in enumerate(pages[:4], start=1):
        Image.fromarray(rgb).save(artifacts / f"report_pdf_page{k}.png")
    for k in (2, 3, 4):  # the map pages are drawn, not blank
        assert _inked(pages[k - 1]) > 0.08, f"page {k} looks blank"
    (tmp_path / "hi").mkdir()
    readable = _pdf_pages(pdf, tmp_path / "hi", dpi=80)
    for k in (5, 6, len(readable)):  # groups, practices that move, sources: tables within the page
        Image.fromarray(readable[k - 1]).save(artifacts / f"report_pdf_page{k}.png")
        assert _inked(readable[k - 1][:, -40:]) < 0.02, f"page {k} spills over its right margin"
    text = _pdf_text(pdf, tmp_path)
    for heading in ("Area", "Proposed groups", "Site option", "Groups", "Practices that move", "Site options",
                    "Assumptions and parameters", "Data sources and attribution"):
        assert heading in text, heading
    assert "Contains OS data" in text
    flat = " ".join(text.split())
    for statement in attribution_statements():
        assert " ".join(statement.split())[:60] in flat
    assert "≥ 30,000" in text and "£" in text and "30,000–50,000" in text  # the Unicode font is embedded
    for group in pack.groups["group"]:
        assert group in text
    assert f"Page {len(pages)}" in text


def test_pptx_slides_in_order(pack):
    started = time.perf_counter()
    data = to_pptx(pack)
    print(f"\nPPTX for {AREA}: {time.perf_counter() - started:.2f} s, {len(data) / 1e6:.1f} MB")
    slides = _slides(data)
    titles = [_title(s) for s in slides]
    expected = [pack.title, "Headline figures", "Area", "Proposed groups", "Site option", "Groups",
                "Practices that move", "Site options", "Assumptions and parameters", "Data sources and attribution"]
    order = []
    for want in expected:
        hits = [i for i, t in enumerate(titles) if t == want or t.startswith(want + " (")]
        assert hits, f"no slide titled {want!r} in {titles}"
        order.append(hits[0])
    assert order == sorted(order), titles
    by_title = dict(zip(titles, slides, strict=False))
    for name in ("Headline figures", "Area", "Proposed groups", "Site option"):
        assert any(sh.shape_type == 13 for sh in by_title[name].shapes), f"{name} has no picture"
    cells = [c.text for s, t in zip(slides, titles, strict=True) if t.startswith("Groups")
             for sh in s.shapes if sh.has_table for row in sh.table.rows for c in row.cells]
    assert set(pack.groups["group"]) <= set(cells)
    width, height = 13.333 * 914400, 7.5 * 914400
    assert abs(width - 12192000) < 1000
    for s, t in zip(slides, titles, strict=True):
        for sh in s.shapes:
            assert sh.left >= 0 and sh.top >= 0, (t, sh.name)
            assert sh.left + sh.width <= width + 1000 and sh.top + sh.height <= height + 1000, (t, sh.name)


def test_pptx_splits_long_tables(con, parts):
    grouping, sites = parts
    long = dict(grouping, moves_table=pd.concat([grouping["moves_table"]] * 4, ignore_index=True))
    titles = [_title(s) for s in _slides(to_pptx(_pack(con, long, sites)))]
    moves = [t for t in titles if t.startswith("Practices that move")]
    assert len(moves) >= 3 and moves[0] == f"Practices that move (1 of {len(moves)})", moves


@pytest.mark.usefixtures("poppler")
def test_grouping_only_and_sites_only(con, parts, tmp_path):
    grouping, sites = parts
    only_groups = _pack(con, grouping, None)
    titles = [_title(s) for s in _slides(to_pptx(only_groups))]
    assert "Proposed groups" in titles and "Site option" not in titles and "Site options" not in titles
    text = _pdf_text(to_pdf(only_groups), tmp_path)
    assert "Proposed groups" in text and "Site options" not in text

    only_sites = _pack(con, None, sites)
    titles = [_title(s) for s in _slides(to_pptx(only_sites))]
    assert "Site option" in titles and "Site options" in titles
    assert not any(t.startswith(("Groups", "Proposed groups", "Area", "Practices that move")) for t in titles)
    pdf = to_pdf(only_sites)
    text = _pdf_text(pdf, tmp_path)
    assert "Site option" in text and "Proposed groups" not in text and "Practices that move" not in text
    assert 4 <= len(_pdf_pages(pdf, tmp_path)) <= 6  # title, site map, options, assumptions, sources


@pytest.mark.usefixtures("poppler")
def test_no_practice_moves(con, parts, tmp_path):
    grouping, sites = parts
    still = dict(grouping, moves_table=grouping["moves_table"].iloc[0:0])
    pack = _pack(con, still, sites)
    assert "No practice moves." in _pdf_text(to_pdf(pack), tmp_path)
    slides = _slides(to_pptx(pack))
    moves = [s for s in slides if _title(s) == "Practices that move"]
    assert len(moves) == 1
    assert any("No practice moves." in sh.text_frame.text for sh in moves[0].shapes if sh.has_text_frame)


def test_site_labels_keep_clear_of_each_other():
    """Three sites a few metres apart get three labels that do not overlap."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from locality.outputs.report import _annotate_clear

    fig = Figure(figsize=(6, 4), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_xlim(0, 10_000)
    ax.set_ylim(0, 10_000)
    fig.canvas.draw()
    boxes: list = []
    placed = [_annotate_clear(ax, text, (5_000 + 40 * i, 5_000), boxes, fontsize=7.5)
              for i, text in enumerate(["S1\nSL5 0AE", "S4\nSL5 9NU", "S2\nSL5 0QJ"])]
    drawn = [t.get_window_extent(fig.canvas.get_renderer()) for t in placed]
    assert len(ax.texts) == 3 and len(boxes) == 3  # the spots tried and dropped leave nothing behind
    assert not any(a.overlaps(b) for i, a in enumerate(drawn) for b in drawn[i + 1:])
    # with every spot taken, a label goes where it overlaps least, and is still drawn
    crowd = [_annotate_clear(ax, f"S{i}", (5_000, 5_000), boxes, fontsize=7.5) for i in range(10)]
    assert len(ax.texts) == 13 and all(t.get_text() for t in crowd)
