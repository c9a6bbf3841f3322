"""Board packs: a scenario's maps, figures, assumptions and sources as PDF or PPTX, with no map tiles.

Folium cannot export a static image, so the maps here are drawn from the geometry itself
(British National Grid, metres) with matplotlib on a plain background. :class:`BoardPack` holds
everything a pack shows; :func:`locality.scenarios.board_pack` builds one from a scenario run.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PathCollection
from matplotlib.colors import Normalize, to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar
from PIL import Image as PILImage
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from locality.errors import ExportError
from locality.outputs.colours import neighbour_colours


@dataclass
class BoardPack:
    """Everything a board pack shows, ready to render.

    Geometry is in British National Grid (EPSG:27700). Tables are ready to print: their column
    names are the headings a board member reads.

    Attributes
    ----------
    title : str
        The scenario's name.
    subtitle : str
        Area, band and data edition, e.g. "NHS East Berkshire (U2G6B) · 30,000–50,000 · list data 2026-07-01".
    description : str
        The planner's own sentence or two.
    headline : list of (label, value)
        Three to five headline figures, as text ("12", "100%", "1,519 m").
    area_outline : shapely geometry
        The area's boundary.
    groups : GeoDataFrame, optional
        One row per proposed group: ``group, patients, practices, status, geometry``.
    practices : DataFrame, optional
        ``practice_code, practice_name, easting, northing, patients, group``.
    groups_table, moves_table, options_table : DataFrame, optional
        The groups; the practices that move against today; the site options.
    funding_table : DataFrame, optional
        The NHS payments (2022-23) the groups' practices already receive.
    sites : DataFrame, optional
        ``site_id, postcode, easting, northing, kept`` (bool) for the chosen site option.
    demand : GeoDataFrame, optional
        LSOA polygons with ``travel`` to the nearest kept site (metres, or minutes: ``travel_unit``).
    parameters : list of (name, value)
        Assumptions and parameters, as text.
    provenance : DataFrame
        ``Dataset, Publisher, Edition, Licence`` of every source file.
    attributions : list of str
        The OGL and OS attribution statements.
    notes : list of str
        Caveats (estimated figures, exceptions) to print with the assumptions.
    generated : str
        When the pack was made (text).
    """

    title: str
    subtitle: str
    description: str
    headline: list[tuple[str, str]]
    area_outline: object
    parameters: list[tuple[str, str]]
    provenance: pd.DataFrame
    attributions: list[str]
    generated: str
    groups: gpd.GeoDataFrame | None = None
    practices: pd.DataFrame | None = None
    groups_table: pd.DataFrame | None = None
    moves_table: pd.DataFrame | None = None
    funding_table: pd.DataFrame | None = None
    sites: pd.DataFrame | None = None
    demand: gpd.GeoDataFrame | None = None
    travel_unit: str = "m"
    options_table: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    #: A repair's pack leads with its moves: the moves table comes straight after the title, under this heading.
    moves_first: bool = False
    moves_heading: str = "Practices that move"
    #: The "Growth" section's tables (list trends, the trajectory used, groups now and at the year, option
    #: capacity over time and GP need): ``(heading, table, text when empty)``.
    growth_tables: list = field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# Shared: palette, sections, cell text
# --------------------------------------------------------------------------------------------------

PDF = "application/pdf"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
MAP_KINDS = ("area", "groups", "sites")

NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_DARK_GREY = "#425563"
NHS_MID_GREY = "#768692"
NHS_PALE_GREY = "#E8EDEE"
PALE_BLUE = "#E8F1FA"
ZEBRA = "#F0F4F8"
LAND = "#F4F6F7"

_MAP_TITLES = {"area": "Area", "groups": "Proposed groups", "sites": "Site option"}
_NUMBERISH = re.compile(r"^[-−+]?[£$]?\s?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?\s?(%|m|km|min|m²|pp)?$")
_EMPTY_CELLS = {"", "–", "-", "—", "n/a"}


def _has(frame: pd.DataFrame | None) -> bool:
    return frame is not None and len(frame) > 0


def _has_map(pack: BoardPack, which: str) -> bool:
    """Whether ``pack`` holds what the ``which`` map needs."""
    if which == "area":
        return _has(pack.practices)
    if which == "groups":
        return _has(pack.groups) and bool(pack.groups.geometry.notna().any())
    return _has(pack.sites)


def _map_caption(pack: BoardPack, which: str) -> str:
    """One line under a map."""
    if which == "area":
        n, total = len(pack.practices), int(pack.practices["patients"].sum())
        return (f"{n:,} GP practices ({total:,} registered patients); circles sized by registered list. "
                "Area boundary in dark grey.")
    if which == "groups":
        return (f"{len(pack.groups):,} proposed groups; labels give each group and its registered patients. "
                "Dots are practices; the key lists every group.")
    kept = pack.sites["kept"].astype(bool)
    text = f"Sites kept (filled circles): {int(kept.sum())}; closed (crosses): {int((~kept).sum())}."
    if _has(pack.demand):
        unit = "minutes" if pack.travel_unit == "min" else "metres"
        text += f" Small areas (LSOAs) shaded by travel to the nearest kept site, in {unit}."
    return text


def _map_sections(pack: BoardPack) -> list[tuple[str, str, str]]:
    """Return the maps a pack shows: ``(which, heading, caption)`` in order."""
    return [(w, _MAP_TITLES[w], _map_caption(pack, w)) for w in MAP_KINDS if _has_map(pack, w)]


def _lead_sections(pack: BoardPack) -> list[tuple[str, pd.DataFrame, str]]:
    """Return the tables shown before the maps: a repair's moves and their reasons."""
    if pack.moves_first and pack.moves_table is not None:
        return [(pack.moves_heading, pack.moves_table, "No practice needs to move.")]
    return []


def _table_sections(pack: BoardPack) -> list[tuple[str, pd.DataFrame, str]]:
    """Return the tables a pack shows after the maps: ``(heading, table, text when empty)`` in order."""
    out = []
    if pack.groups_table is not None:
        out.append(("Groups", pack.groups_table, "No groups."))
    if pack.moves_table is not None and not pack.moves_first:
        out.append((pack.moves_heading, pack.moves_table, "No practice moves."))
    if pack.funding_table is not None:
        out.append(("NHS payments the groups already receive (2022-23)", pack.funding_table, "No payments data."))
    if pack.options_table is not None:
        out.append(("Site options", pack.options_table, "No site options."))
    out += list(pack.growth_tables)
    return out


def _shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a word, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;·–-") + "…"


def _contents(pack: BoardPack) -> list[str]:
    """Return the pack's sections after the title page, in order."""
    maps = [f"{heading} map" for _, heading, _ in _map_sections(pack)]
    tables = [heading for heading, _, _ in _table_sections(pack)]
    lead = [heading for heading, _, _ in _lead_sections(pack)]
    return [*lead, *maps, *tables, "Assumptions and parameters", "Data sources and attribution"]


def _cell_text(value) -> str:
    """Format a table value as printed text (thousands separators, yes/no, lists joined)."""
    if isinstance(value, list | tuple | set | np.ndarray):
        return ", ".join(_cell_text(v) for v in value)
    if value is None or (isinstance(value, float | np.floating) and np.isnan(value)) or value is pd.NA:
        return "–"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        v = float(value)
        if v.is_integer():
            return f"{v:,.0f}"
        return f"{v:,.1f}" if abs(v) >= 10 else f"{v:,.2f}"
    return str(value)


def _numeric_columns(frame: pd.DataFrame, cells: list[list[str]]) -> list[bool]:
    """Columns to right-align: numeric dtypes, or text that is all numbers (``41,234``, ``85%``)."""
    out = []
    for j, col in enumerate(frame.columns):
        dtype = frame[col].dtype
        if pd.api.types.is_bool_dtype(dtype):
            out.append(False)
        elif pd.api.types.is_numeric_dtype(dtype):
            out.append(True)
        else:
            texts = [row[j].strip() for row in cells if row[j].strip() not in _EMPTY_CELLS]
            out.append(bool(texts) and all(_NUMBERISH.match(t) for t in texts))
    return out


def _table_cells(frame: pd.DataFrame) -> tuple[list[str], list[list[str]], list[bool]]:
    """Header, body text and right-alignment flags of a table."""
    header = [str(c) for c in frame.columns]
    cells = [[_cell_text(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    return header, cells, _numeric_columns(frame, cells)


def _fit_widths(natural: list[float], minimum: list[float], total: float) -> list[float]:
    """Column widths that fill ``total``: natural widths if they fit, else the widest columns wrap.

    Narrow columns keep their natural width; the others share what is left (never below their
    longest word unless even those cannot fit, when everything shrinks in proportion).
    """
    natural = [max(n, m) for n, m in zip(natural, minimum, strict=True)]
    if sum(natural) <= total:
        scale = total / sum(natural) if sum(natural) else 1.0
        return [n * scale for n in natural]
    if sum(minimum) >= total:
        return [m * total / sum(minimum) for m in minimum]
    lo, hi = 0.0, max(natural)
    for _ in range(50):  # largest cap c with sum(clip(natural, minimum, c)) <= total
        cap = (lo + hi) / 2
        used = sum(min(n, max(m, cap)) for n, m in zip(natural, minimum, strict=True))
        lo, hi = (cap, hi) if used <= total else (lo, cap)
    widths = [min(n, max(m, lo)) for n, m in zip(natural, minimum, strict=True)]
    spare = total - sum(widths)
    wrapped = [i for i, (w, n) in enumerate(zip(widths, natural, strict=True)) if w < n]
    for i in wrapped:
        widths[i] += spare / len(wrapped)
    return widths


@cache
def _fonts() -> tuple[str, str]:
    """Register matplotlib's DejaVu Sans with reportlab once; return (regular, bold) font names."""
    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(ttf / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(ttf / "DejaVuSans-Bold.ttf")))
    registerFontFamily("DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold", italic="DejaVuSans",
                       boldItalic="DejaVuSans-Bold")
    return "DejaVuSans", "DejaVuSans-Bold"


def _text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` in points (DejaVu Sans metrics: a little wider than Calibri or Arial)."""
    regular, heavy = _fonts()
    return pdfmetrics.stringWidth(text, heavy if bold else regular, size)


def _fit_line(text: str, width: float, largest: float, bold: bool = False, smallest: float = 10.0) -> float:
    """Return the largest font size up to ``largest`` at which ``text`` fits ``width`` points on one line."""
    natural = _text_width(text, largest, bold)
    return largest if natural <= width else max(smallest, largest * width / natural)


def _column_widths(header: list[str], cells: list[list[str]], total: float, size: float, pad: float) -> list[float]:
    """Widths (points) for a table's columns, from the text they hold."""
    natural, minimum = [], []
    for j, head in enumerate(header):
        column = [row[j] for row in cells]
        words = [w for t in column for w in t.split()] + [w for w in head.split()]
        longest_word = max((_text_width(w, size) for w in words), default=0.0)
        head_word = max((_text_width(w, size, bold=True) for w in head.split()), default=0.0)
        widest = max((_text_width(t, size) for t in column), default=0.0)
        natural.append(max(widest, min(_text_width(head, size, bold=True), 2.5 * max(widest, head_word))) + pad)
        minimum.append(max(head_word, min(longest_word, 0.12 * total)) + pad)  # hashes and URLs may break
    return _fit_widths(natural, minimum, total)


# --------------------------------------------------------------------------------------------------
# Maps
# --------------------------------------------------------------------------------------------------

def _polygons(geom) -> list:
    """Return the polygons in a geometry (multi-part and collections flattened; lines and points dropped)."""
    if geom is None or shapely.is_empty(geom):
        return []
    kind = shapely.get_type_id(geom)
    if kind == 3:
        return [geom]
    if kind in (6, 7):
        return [p for part in shapely.get_parts(geom) for p in _polygons(part)]
    return []


def _geom_path(geom) -> MplPath | None:
    """One compound matplotlib path for a (multi)polygon, holes wound the other way."""
    verts, codes = [], []
    for poly in _polygons(shapely.orient_polygons(geom)):
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 4:
                continue
            verts.append(xy)
            codes.append(np.r_[MplPath.MOVETO, np.full(len(xy) - 2, MplPath.LINETO), MplPath.CLOSEPOLY])
    if not verts:
        return None
    return MplPath(np.concatenate(verts), np.concatenate(codes).astype(MplPath.code_type))


def _add_polygons(ax, geoms, facecolors="none", edgecolor="white", linewidth=0.5, zorder=1, alpha=None):
    """Draw polygons as one PathCollection (fast for a thousand LSOAs). Returns the collection."""
    facecolors = [facecolors] * len(geoms) if isinstance(facecolors, str) else list(facecolors)
    keep = [(p, f) for p, f in zip((_geom_path(g) for g in geoms), facecolors, strict=True) if p is not None]
    coll = PathCollection([p for p, _ in keep], facecolors=[f for _, f in keep] or "none", edgecolors=edgecolor,
                          linewidths=linewidth, zorder=zorder, alpha=alpha)
    ax.add_collection(coll, autolim=False)
    return coll


def _draw_outline(ax, outline, fill: str | None = None, zorder: int = 4) -> None:
    """Draw the area's boundary as a dark line (optionally with a pale land fill underneath)."""
    if outline is None or shapely.is_empty(outline):
        return
    if fill:
        _add_polygons(ax, [outline], facecolors=fill, edgecolor="none", linewidth=0, zorder=0)
    _add_polygons(ax, [outline], facecolors="none", edgecolor=NHS_DARK_GREY, linewidth=1.1, zorder=zorder)


_PAD = {"area": 0.04, "groups": 0.02, "sites": 0.08}  # margin around the mapped extent, as a share of it
_MIN_SPAN_M = {"area": 4000.0, "groups": 4000.0, "sites": 3000.0}


def _extent(pack: BoardPack, which: str) -> tuple[float, float, float, float]:
    """Return what a map shows (x0, y0, x1, y1 in metres, margin included): the area, or the site option's catchment."""
    if which == "area":
        p = pack.practices
        box = _union_bounds(_geom_bounds(pack.area_outline), _point_bounds(p["easting"], p["northing"]))
    elif which == "groups":
        geoms = pack.groups.geometry.dropna().to_numpy()
        box = _union_bounds(_geom_bounds(pack.area_outline), tuple(shapely.total_bounds(geoms)))
    else:
        s = pack.sites
        demand = tuple(shapely.total_bounds(pack.demand.geometry.dropna().to_numpy())) if _has(pack.demand) else None
        box = _union_bounds(_point_bounds(s["easting"], s["northing"]), demand)
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    pad, least = _PAD[which], _MIN_SPAN_M[which]
    w, h = max(x1 - x0, least) * (1 + 2 * pad), max(y1 - y0, least) * (1 + 2 * pad)
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _side_room_in(pack: BoardPack, which: str) -> float:
    """Inches beside the map taken by its legend or colour bar."""
    if which == "groups":
        return 1.7 if len(pack.groups) <= 24 else 3.2
    return 1.1 if which == "sites" and _has(pack.demand) else 0.0


def _fitted_size(pack: BoardPack, which: str, max_w: float, max_h: float) -> tuple[float, float]:
    """Return the largest figure size (inches) within ``max_w`` × ``max_h`` that the map fills without wide margins."""
    x0, y0, x1, y1 = _extent(pack, which)
    aspect = (x1 - x0) / (y1 - y0)
    side = _side_room_in(pack, which) + 0.3
    width = max(min(max_w, max_h * aspect + side), 0.55 * max_w)
    height = min(max_h, max((width - side) / aspect, 0.55 * max_h))
    return width, height


def _frame(ax, box: tuple[float, float, float, float]) -> None:
    """Show ``box`` (x0, y0, x1, y1) at equal aspect; the view widens (never crops) to fill the axes."""
    ax.dataLim.set_points(np.array([[box[0], box[1]], [box[2], box[3]]]))
    ax.margins(0)
    ax.set_aspect("equal", adjustable="datalim")
    ax.autoscale_view()


def _union_bounds(*boxes) -> tuple[float, float, float, float]:
    boxes = [b for b in boxes if b is not None and np.all(np.isfinite(b))]
    arr = np.asarray(boxes, dtype=float)
    return arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max()


def _point_bounds(e, n) -> tuple[float, float, float, float] | None:
    e, n = np.asarray(e, dtype=float), np.asarray(n, dtype=float)
    ok = np.isfinite(e) & np.isfinite(n)
    return (e[ok].min(), n[ok].min(), e[ok].max(), n[ok].max()) if ok.any() else None


def _geom_bounds(geom) -> tuple[float, float, float, float] | None:
    return None if geom is None or shapely.is_empty(geom) else tuple(shapely.bounds(geom))


def _decorate(ax, span_m: float) -> None:
    """Draw a scale bar (a round 1–2–5 km) and a north arrow."""
    target = span_m / 5
    length = max((s for s in (500, 1000, 2000, 5000, 10000, 20000, 50000, 100000) if s <= target), default=500)
    label = f"{length / 1000:g} km"
    bar = AnchoredSizeBar(ax.transData, length, label, loc="lower left", pad=0.5, borderpad=0.8, sep=3,
                          frameon=True, size_vertical=span_m / 300, color=NHS_DARK_GREY,
                          fontproperties={"size": 8})
    bar.patch.set(facecolor="white", alpha=0.85, edgecolor="none")
    ax.add_artist(bar)
    ax.annotate("N", xy=(0.975, 0.97), xytext=(0.975, 0.875), xycoords="axes fraction", ha="center", va="center",
                fontsize=10, fontweight="bold", color=NHS_DARK_GREY,
                arrowprops={"facecolor": NHS_DARK_GREY, "edgecolor": "none", "width": 2.5, "headwidth": 9,
                            "headlength": 8})


_HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]


def _draw_area(fig: Figure, ax, pack: BoardPack) -> None:
    """Area outline and practices sized by list."""
    p = pack.practices.dropna(subset=["easting", "northing"]).sort_values("patients", ascending=False)
    _draw_outline(ax, pack.area_outline, fill=LAND)
    patients = p["patients"].fillna(0).to_numpy(dtype=float)
    biggest = max(patients.max(initial=0.0), 1.0)
    area_per_patient = 320.0 / biggest  # points² per patient: the largest list gets a 320 pt² circle
    ax.scatter(p["easting"], p["northing"], s=np.maximum(patients * area_per_patient, 4), color=NHS_BLUE, alpha=0.55,
               edgecolors="white", linewidths=0.7, zorder=5)
    handles = [Line2D([], [], linestyle="", marker="o", markersize=math.sqrt(v * area_per_patient), color=NHS_BLUE,
                      alpha=0.55, markeredgecolor="white") for v in _size_steps(biggest)]
    ax.legend(handles, [f"{v:,}" for v in _size_steps(biggest)], title="Registered patients", loc="lower right",
              fontsize=8, title_fontsize=8, frameon=True, framealpha=0.9, edgecolor="none", labelspacing=1.2,
              borderpad=0.8)


def _size_steps(biggest: float) -> list[int]:
    """Two or three round list sizes for the bubble legend."""
    steps = [v for v in (2_000, 5_000, 10_000, 20_000, 40_000, 80_000) if v <= biggest]
    return steps[-3:] or [round(biggest)]


def _label_spot(geom) -> tuple[float, float, float]:
    """Where to write a polygon's label: the centre and radius (m) of its largest part's widest inner circle."""
    parts = _polygons(geom)
    if not parts:
        c = geom.representative_point()
        return c.x, c.y, 0.0
    largest = max(parts, key=lambda g: g.area)
    radius_line = shapely.maximum_inscribed_circle(largest, tolerance=max(25.0, largest.length / 500))
    (x, y), radius = radius_line.coords[0], radius_line.length
    return x, y, radius


def _group_label(name: str, patients, radius_m: float, size: float, m_per_pt: float,
                 crowded: bool = False) -> tuple[str, float]:
    """Return the label text and size for a group.

    The name and patients if they fit inside it (and the map is not crowded: the legend lists the
    patients too), else the name alone, smaller if need be.
    """
    def fits(lines: list[str], pt: float) -> bool:
        w = max(len(t) for t in lines) * pt * 0.62 * m_per_pt
        h = len(lines) * pt * 1.25 * m_per_pt
        return max(w, h) / 2 <= 1.25 * radius_m

    full = [name, _cell_text(patients)]
    if fits(full, size) and not crowded:
        return "\n".join(full), size
    return name, (size if fits([name], size) else size - 1.0)


def _draw_groups(fig: Figure, ax, pack: BoardPack) -> None:
    """Group polygons, labels, practices and a legend."""
    g = pack.groups[pack.groups.geometry.notna()].reset_index(drop=True)
    geoms = list(g.geometry)
    colours = neighbour_colours(geoms)
    _draw_outline(ax, pack.area_outline, fill=LAND)
    _add_polygons(ax, geoms, facecolors=colours, edgecolor="white", linewidth=0.9, zorder=1, alpha=0.9)
    if _has(pack.practices):
        p = pack.practices
        ax.scatter(p["easting"], p["northing"], s=5, color="#212B32", linewidths=0, zorder=5)
    size = 7.5 if len(g) <= 20 else 6.5
    x0, y0, x1, y1 = _extent(pack, "groups")
    map_w_pt = (fig.get_figwidth() - _side_room_in(pack, "groups")) * 72
    m_per_pt = max((x1 - x0) / map_w_pt, (y1 - y0) / (fig.get_figheight() * 72))
    for row, geom in zip(g.itertuples(index=False), geoms, strict=True):
        x, y, radius = _label_spot(geom)
        text, pt = _group_label(str(row.group), row.patients, radius, size, m_per_pt, crowded=len(g) > 30)
        ax.text(x, y, text, ha="center", va="center", fontsize=pt, fontweight="bold", color="#212B32", zorder=7,
                path_effects=_HALO, linespacing=1.1)
    handles = [Patch(facecolor=c, edgecolor="white", alpha=0.9) for c in colours]
    labels = [_legend_label(row) for row in g.itertuples(index=False)]
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False,
              ncols=1 if len(g) <= 24 else 2, handlelength=1.2, handleheight=1.0, borderaxespad=0.0,
              title="Group · patients", title_fontsize=7.5, alignment="left")


def _legend_label(row) -> str:
    text = f"{row.group} · {_cell_text(row.patients)}"
    status = getattr(row, "status", "within")
    return text if status in (None, "within") or pd.isna(status) else f"{text} ({status})"


def _site_label(site_id: str, postcode) -> str:
    """Return a site's postcode, with its id when the id says more than the postcode."""
    if postcode is None or pd.isna(postcode) or not str(postcode).strip():
        return str(site_id)
    compact = str(postcode).replace(" ", "").upper()
    return str(postcode) if compact in str(site_id).replace(" ", "").upper() else f"{site_id}\n{postcode}"


def _simplified(geoms: np.ndarray, tolerance: float = 20.0) -> np.ndarray:
    """LSOA polygons simplified for drawing when there are many vertices (shared edges kept)."""
    if shapely.get_num_coordinates(geoms).sum() < 150_000:
        return geoms
    try:
        return shapely.coverage_simplify(geoms, tolerance)
    except shapely.errors.GEOSException:  # pragma: no cover - invalid coverage
        return shapely.simplify(geoms, tolerance, preserve_topology=True)


_LABEL_ALL_SITES = 30


def _draw_sites(fig: Figure, ax, pack: BoardPack) -> list[tuple[str, tuple[float, float], dict]]:
    """Demand LSOAs by travel, kept and closed sites; returns the site labels for map_png to place."""
    s = pack.sites.dropna(subset=["easting", "northing"])
    kept = s["kept"].astype(bool).to_numpy()
    _draw_outline(ax, pack.area_outline, fill=LAND)
    if _has(pack.demand):
        d = pack.demand[pack.demand.geometry.notna()]
        travel = pd.to_numeric(d["travel"], errors="coerce").to_numpy(dtype=float)
        norm = Normalize(vmin=0.0, vmax=max(np.nanmax(travel, initial=0.0), 1.0))
        cmap = matplotlib.colormaps["YlOrRd"]
        colours = [to_hex(c) if np.isfinite(t) else NHS_PALE_GREY for c, t in zip(cmap(norm(travel)), travel,
                                                                                   strict=True)]
        _add_polygons(ax, _simplified(d.geometry.to_numpy()), facecolors=colours, edgecolor="white",
                      linewidth=0.35, zorder=1)
        unit = "min" if pack.travel_unit == "min" else "m"
        bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, pad=0.01, aspect=25)
        bar.set_label(f"Travel to nearest kept site ({unit})", fontsize=8)
        bar.ax.tick_params(labelsize=7)
        bar.outline.set_visible(False)
    few = len(s) <= _LABEL_ALL_SITES  # with many sites, markers shrink and only the kept ones are named
    if (~kept).any():
        ax.scatter(s.loc[~kept, "easting"], s.loc[~kept, "northing"], s=80 if few else 30, marker="X",
                   facecolors="white", edgecolors=NHS_MID_GREY, linewidths=1.3 if few else 0.9, zorder=6,
                   label=f"Closed site ({int((~kept).sum())})")
    if kept.any():
        ax.scatter(s.loc[kept, "easting"], s.loc[kept, "northing"], s=150 if kept.sum() <= _LABEL_ALL_SITES else 70,
                   marker="o", color=NHS_BLUE, edgecolors="white", linewidths=1.6, zorder=7,
                   label=f"Kept site ({int(kept.sum())})")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="upper left", fontsize=8, frameon=True, framealpha=0.9,
              edgecolor="none", borderpad=0.7)
    # named once the map is framed (see map_png), so that labels can keep clear of each other; kept sites first
    named = [(row, is_kept) for row, is_kept in zip(s.itertuples(index=False), kept, strict=True) if is_kept or few]
    return [(_site_label(row.site_id, getattr(row, "postcode", None)), (row.easting, row.northing),
             {"fontsize": 7.5, "zorder": 8, "path_effects": _HALO, "color": "#212B32" if is_kept else NHS_DARK_GREY,
              "fontweight": "bold" if is_kept else "normal"})
            for row, is_kept in sorted(named, key=lambda n: not n[1])]


#: Where a point's label may go, in points from the point (first choice first), and its alignment.
_LABEL_SPOTS = [((7, 6), "left", "bottom"), ((7, -6), "left", "top"), ((-7, 6), "right", "bottom"),
                ((-7, -6), "right", "top"), ((0, 12), "center", "bottom"), ((0, -12), "center", "top")]


def _overlap(a, b) -> float:
    """Area (display pixels²) shared by two boxes."""
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0)) * max(0.0, min(a.y1, b.y1) - max(a.y0, b.y0))


def _annotate_clear(ax, text: str, xy, boxes: list, **style):
    """Label a point at the first of :data:`_LABEL_SPOTS` clear of ``boxes``, else where it overlaps least.

    ``boxes`` holds the display boxes to keep clear of (labels already placed, markers); the new
    label's box is added to it. Call once the axes are framed and laid out, since the test is in
    display coordinates. Returns the annotation.
    """
    renderer = ax.figure.canvas.get_renderer()
    best = None
    for offset, ha, va in _LABEL_SPOTS:
        label = ax.annotate(text, xy, xytext=offset, textcoords="offset points", ha=ha, va=va, **style)
        label.set_in_layout(False)
        box = label.get_window_extent(renderer)
        clash = sum(_overlap(box, b) for b in boxes)
        if best is None or clash < best[0]:
            if best is not None:
                best[1].remove()
            best = (clash, label, box)
        else:
            label.remove()
        if clash == 0:
            break
    boxes.append(best[2])
    return best[1]


_DRAW = {"area": _draw_area, "groups": _draw_groups, "sites": _draw_sites}
_NEEDS = {
    "area": "the practices (pack.practices with easting, northing and patients)",
    "groups": "the proposed groups (pack.groups with their outlines)",
    "sites": "the site option (pack.sites with easting, northing and kept)",
}


def map_png(pack: BoardPack, which: str, width_in: float = 10, height_in: float = 6.2, dpi: int = 150) -> bytes:
    """Draw one of the pack's maps as a PNG, from the geometry alone (no map tiles).

    Parameters
    ----------
    pack : BoardPack
    which : {"area", "groups", "sites"}
        ``"area"``: the boundary and practices sized by list; ``"groups"``: the proposed groups
        shaded, labelled and listed; ``"sites"``: the site option, with the catchment's LSOAs
        shaded by travel to the nearest kept site, framed on the catchment.
    width_in, height_in : float
        Size of the image in inches (text is drawn at print size for this size).
    dpi : int
        Resolution.

    Returns
    -------
    bytes
        The PNG file.

    Raises
    ------
    ExportError
        An unknown ``which``, or a pack without the data that map needs.
    """
    if which not in _DRAW:
        raise ExportError(f"Unknown map {which!r}: use one of {', '.join(MAP_KINDS)}.")
    if not _has_map(pack, which):
        raise ExportError(f"The {which!r} map needs {_NEEDS[which]}, and this pack has none.")
    fig = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor="white", layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_axis_off()
    labels = _DRAW[which](fig, ax, pack) or []
    box = _extent(pack, which)
    _frame(ax, box)
    _decorate(ax, box[2] - box[0])
    if labels:
        fig.canvas.draw()  # lay the figure out, so label positions are final
        r = 5 * dpi / 72  # keep labels off the markers too (5 pt around each labelled point)
        boxes = [Bbox.from_extents(x - r, y - r, x + r, y + r)
                 for x, y in ax.transData.transform([xy for _, xy, _ in labels])]
        for text, xy, style in labels:
            _annotate_clear(ax, text, xy, boxes, **style)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


class _Maps:
    """Map PNGs drawn at most once per render, each sized to fit ``width_in`` × ``height_in``."""

    def __init__(self, pack: BoardPack, width_in: float, height_in: float, dpi: int = 150):
        self.pack, self.room, self.dpi = pack, (width_in, height_in), dpi
        self._png: dict[str, bytes] = {}

    def __call__(self, which: str) -> bytes:
        if which not in self._png:
            size = _fitted_size(self.pack, which, *self.room)
            self._png[which] = map_png(self.pack, which, *size, dpi=self.dpi)
        return self._png[which]


# --------------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------------

_PDF_TABLE_PT = 7.5
_PDF_CELL_PAD = 4.0


def _pdf_styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    dark, grey = HexColor("#212B32"), HexColor(NHS_DARK_GREY)

    def style(name, **kw) -> ParagraphStyle:
        base = {"fontName": regular, "fontSize": 10, "leading": 13, "textColor": dark}
        return ParagraphStyle(name, **{**base, **kw})

    return {
        "title": style("title", fontName=bold, fontSize=30, leading=36, textColor=HexColor(NHS_BLUE), spaceAfter=10),
        "subtitle": style("subtitle", fontSize=14, leading=19, textColor=grey, spaceAfter=14),
        "body": style("body", fontSize=11, leading=15, spaceAfter=8),
        "small": style("small", fontSize=9, leading=12, textColor=grey),
        "h1": style("h1", fontName=bold, fontSize=18, leading=22, textColor=HexColor(NHS_BLUE), spaceAfter=8,
                    keepWithNext=1),
        "h2": style("h2", fontName=bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=6, keepWithNext=1),
        "caption": style("caption", fontSize=9, leading=12, textColor=grey, spaceBefore=4),
        "bullet": style("bullet", fontSize=9.5, leading=13, leftIndent=12, bulletIndent=2, spaceAfter=3),
        "attribution": style("attribution", fontSize=9, leading=12, spaceAfter=6),
        "card_value": style("card_value", fontName=bold, fontSize=24, leading=28, textColor=HexColor(NHS_BLUE)),
        "card_label": style("card_label", fontSize=9.5, leading=12, textColor=grey),
        "th": style("th", fontName=bold, fontSize=_PDF_TABLE_PT, leading=_PDF_TABLE_PT + 2,
                    textColor=HexColor("#FFFFFF")),
        "th_r": style("th_r", fontName=bold, fontSize=_PDF_TABLE_PT, leading=_PDF_TABLE_PT + 2,
                      textColor=HexColor("#FFFFFF"), alignment=TA_RIGHT),
        "td": style("td", fontSize=_PDF_TABLE_PT, leading=_PDF_TABLE_PT + 2),
        "td_r": style("td_r", fontSize=_PDF_TABLE_PT, leading=_PDF_TABLE_PT + 2, alignment=TA_RIGHT),
    }


def _para(text: str, st: ParagraphStyle, **kw) -> Paragraph:
    """Return a Paragraph of plain text (escaped, line breaks kept)."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), st, **kw)


def _pdf_table(frame: pd.DataFrame, width: float, st: dict[str, ParagraphStyle]) -> Table:
    """Build a zebra-striped table that fits ``width``, wraps long text and repeats its header on each page."""
    header, cells, numeric = _table_cells(frame)
    widths = _column_widths(header, cells, width, _PDF_TABLE_PT, 2 * _PDF_CELL_PAD + 1)
    room = [w - 2 * _PDF_CELL_PAD - 0.5 for w in widths]

    def cell(text: str, j: int):  # plain text is much faster to lay out than a Paragraph, when it fits
        if "\n" not in text and _text_width(text, _PDF_TABLE_PT) <= room[j]:
            return text
        return _para(text, st["td_r" if numeric[j] else "td"])

    data = [[_para(h, st["th_r" if n else "th"]) for h, n in zip(header, numeric, strict=True)]]
    data += [[cell(t, j) for j, t in enumerate(row)] for row in cells]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    regular, _ = _fonts()
    right = [("ALIGN", (j, 1), (j, -1), "RIGHT") for j, n in enumerate(numeric) if n]
    table.setStyle(TableStyle([
        ("FONT", (0, 1), (-1, -1), regular, _PDF_TABLE_PT, _PDF_TABLE_PT + 2),
        ("TEXTCOLOR", (0, 1), (-1, -1), HexColor("#212B32")),
        *right,
        ("BACKGROUND", (0, 0), (-1, 0), HexColor(NHS_BLUE)),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [HexColor("#FFFFFF"), HexColor(ZEBRA)]),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, HexColor("#D8DDE0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PDF_CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PDF_CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return table


def _pdf_cards(headline: list[tuple[str, str]], width: float, st: dict[str, ParagraphStyle]) -> list:
    """Lay out the headline figures as a row (or rows) of number cards."""
    out, gap = [], 10.0
    per_row = 3 if len(headline) in (6, 9) else 4 if len(headline) in (4, 7, 8) else 5  # balanced rows
    for start in range(0, len(headline), per_row):
        chunk = headline[start:start + per_row]
        card_w = (width - gap * (per_row - 1)) / per_row
        row, widths, style = [], [], [("VALIGN", (0, 0), (-1, -1), "TOP")]
        for i, (label, value) in enumerate(chunk):
            if i:
                row.append("")
                widths.append(gap)
            col = len(row)
            pt = _fit_line(value, card_w - 20, st["card_value"].fontSize, bold=True)
            big = ParagraphStyle(f"card_value_{pt}", parent=st["card_value"], fontSize=pt, leading=pt * 1.18)
            row.append([_para(value, big), Spacer(1, 4), _para(label, st["card_label"])])
            widths.append(card_w)
            style += [("BACKGROUND", (col, 0), (col, 0), HexColor(PALE_BLUE)),
                      ("LINEABOVE", (col, 0), (col, 0), 3, HexColor(NHS_BLUE)),
                      ("LEFTPADDING", (col, 0), (col, 0), 10), ("RIGHTPADDING", (col, 0), (col, 0), 10),
                      ("TOPPADDING", (col, 0), (col, 0), 10), ("BOTTOMPADDING", (col, 0), (col, 0), 12)]
        table = Table([row], colWidths=widths, hAlign="LEFT")
        table.setStyle(TableStyle(style))
        out += [table, Spacer(1, gap)]
    return out


def _pdf_footer(title: str):
    """Page decoration: a blue rule at the top, and the title and page number at the foot."""
    regular, _ = _fonts()

    def draw(canvas, doc) -> None:
        page_w, page_h = doc.pagesize
        canvas.saveState()
        canvas.setFillColor(HexColor(NHS_BLUE))
        canvas.rect(0, page_h - 6, page_w, 6, stroke=0, fill=1)
        canvas.setStrokeColor(HexColor("#D8DDE0"))
        canvas.setLineWidth(0.5)
        canvas.line(doc.leftMargin, 9 * mm + 10, page_w - doc.rightMargin, 9 * mm + 10)
        canvas.setFont(regular, 8)
        canvas.setFillColor(HexColor(NHS_DARK_GREY))
        canvas.drawString(doc.leftMargin, 9 * mm, _shorten(title, 110))
        canvas.drawRightString(page_w - doc.rightMargin, 9 * mm, f"Page {doc.page}")
        canvas.restoreState()

    return draw


def _pdf_title_page(pack: BoardPack, width: float, st: dict[str, ParagraphStyle]) -> list:
    story = [Spacer(1, 36), _para(pack.title, st["title"]), _para(pack.subtitle, st["subtitle"])]
    if pack.description:
        story.append(_para(pack.description, ParagraphStyle("desc", parent=st["body"], rightIndent=width * 0.25)))
    story += [_para(f"Generated {pack.generated} by Locality Planner", st["small"]), Spacer(1, 30)]
    story += _pdf_cards(pack.headline, width, st)
    story += [Spacer(1, 14), Paragraph("In this pack", st["h2"]), _para(" · ".join(_contents(pack)), st["small"])]
    return story


def _pdf_map_page(png: bytes, heading: str, caption: str, width: float, height: float,
                  st: dict[str, ParagraphStyle]) -> list:
    img = Image(io.BytesIO(png))
    scale = min(width / img.imageWidth, height / img.imageHeight)
    img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
    return [Paragraph(escape(heading), st["h1"]), img, _para(caption, st["caption"])]


def to_pdf(pack: BoardPack) -> bytes:
    """Render the board pack as a landscape A4 PDF.

    Pages: a title page with the headline figures; the area, proposed groups and site option
    maps (each when the pack has the data); the groups, practices that move and site options
    tables (split over pages, header repeated); assumptions and parameters with the notes; data
    sources and attribution. Every page carries the title and its number.

    Parameters
    ----------
    pack : BoardPack

    Returns
    -------
    bytes
        The PDF file.
    """
    st = _pdf_styles()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=13 * mm, bottomMargin=17 * mm, title=pack.title, subject=pack.subtitle,
                            author="Locality Planner", creator="Locality Planner")
    width, height = doc.width - 12, doc.height - 12  # the frame pads 6 pt on every side
    map_h = height - 22 - 8 - 18 - 4  # heading, its space after, the caption and a margin
    maps = _Maps(pack, width / 72, map_h / 72, dpi=150)
    story = _pdf_title_page(pack, width, st)

    def tables(sections):
        for heading, frame, empty in sections:
            story.extend([PageBreak(), Paragraph(escape(heading), st["h1"])])
            story.append(_pdf_table(frame, width, st) if len(frame) else _para(empty, st["body"]))

    tables(_lead_sections(pack))
    for which, heading, caption in _map_sections(pack):
        story += [PageBreak(), *_pdf_map_page(maps(which), heading, caption, width, map_h, st)]
    tables(_table_sections(pack))
    story += [PageBreak(), Paragraph("Assumptions and parameters", st["h1"])]
    if pack.parameters:
        params = pd.DataFrame(pack.parameters, columns=["Parameter", "Value"])
        story.append(_pdf_table(params, width * 0.75, st))
    if pack.notes:
        story.append(Paragraph("Notes", st["h2"]))
        story += [_para(n, st["bullet"], bulletText="•") for n in pack.notes]
    story += [PageBreak(), Paragraph("Data sources and attribution", st["h1"])]
    if _has(pack.provenance):
        story += [_pdf_table(pack.provenance, width, st), Spacer(1, 12)]
    story += [_para(a, st["attribution"]) for a in pack.attributions]
    footer = _pdf_footer(pack.title)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------------
# PowerPoint
# --------------------------------------------------------------------------------------------------

_SLIDE_W, _SLIDE_H = 13.333, 7.5
_MARGIN = 0.5
_BODY_TOP, _BODY_BOTTOM = 1.3, 6.85
_PPT_TABLE_PT = 10.5
_PPT_MAX_ROWS = 14
_NO_TABLE_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # PowerPoint's "No Style, No Grid"


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def _style_runs(paragraph, size: float, colour: str | None = "#212B32", bold: bool | None = False) -> None:
    """Set the size, colour and weight of a paragraph's runs (``None``: leave to the theme)."""
    for run in paragraph.runs:
        run.font.size = Pt(size)
        if bold is not None:
            run.font.bold = bold
        if colour is not None:
            run.font.color.rgb = _rgb(colour)


@dataclass(frozen=True)
class _Box:
    """Where a shape goes on a slide: its top-left corner and size, in inches."""

    left: float
    top: float
    width: float
    height: float


def _text_box(slide, where: _Box, paragraphs, size: float = 12, colour: str = "#212B32",
              bold: bool = False, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP):
    """Add a word-wrapped text box holding one paragraph per item of ``paragraphs``.

    Items are text, or ``(text, size, colour, bold)`` tuples.
    """
    box = slide.shapes.add_textbox(Inches(where.left), Inches(where.top), Inches(where.width), Inches(where.height))
    tf = box.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Inches(0.05)
    for i, item in enumerate(paragraphs):
        text, psize, pcolour, pbold = item if isinstance(item, tuple) else (item, size, colour, bold)
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.text = text
        p.alignment = align
        p.space_after = Pt(psize * 0.35)
        _style_runs(p, psize, pcolour, pbold)
    return box


def _rect(slide, left, top, width, height, fill: str, shape=MSO_SHAPE.RECTANGLE):
    r = slide.shapes.add_shape(shape, Inches(left), Inches(top), Inches(width), Inches(height))
    r.fill.solid()
    r.fill.fore_color.rgb = _rgb(fill)
    r.line.fill.background()
    r.shadow.inherit = False
    return r


def _set_title(slide, text: str, left, top, width, height, size: float, colour: str) -> None:
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(left), Inches(top), Inches(width), Inches(height)
    tf = title.text_frame
    tf.text = text
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.MIDDLE
    for p in tf.paragraphs:
        p.alignment = PP_ALIGN.LEFT
        _style_runs(p, size, colour, bold=True)


def _content_slide(prs, pack: BoardPack, title: str):
    """Add a title-only slide with the house style: blue rule, left-aligned title, footer."""
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _rect(slide, 0, 0, _SLIDE_W, 0.12, NHS_BLUE)
    _set_title(slide, title, _MARGIN, 0.3, _SLIDE_W - 2 * _MARGIN, 0.8, 26 if len(title) < 60 else 20, NHS_DARK_BLUE)
    _rect(slide, _MARGIN, 1.12, 1.2, 0.05, NHS_BLUE)
    n = len(prs.slides)
    _text_box(slide, _Box(_MARGIN, 7.05, _SLIDE_W - 2 * _MARGIN, 0.3), [f"{_shorten(pack.title, 110)} · {n}"], size=9,
              colour=NHS_MID_GREY)
    return slide


def _add_picture(slide, png: bytes, left, top, width, height):
    """Add a picture fitted (aspect kept) and centred in the box."""
    with PILImage.open(io.BytesIO(png)) as im:
        w_px, h_px = im.size
    scale = min(width / w_px, height / h_px)
    w, h = w_px * scale, h_px * scale
    return slide.shapes.add_picture(io.BytesIO(png), Inches(left + (width - w) / 2), Inches(top + (height - h) / 2),
                                    Inches(w), Inches(h))


def _pptx_title_slide(prs, pack: BoardPack) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    band = _rect(slide, 0, 0, _SLIDE_W, _SLIDE_H, NHS_BLUE)
    tree = slide.shapes._spTree
    tree.remove(band._element)
    tree.insert(2, band._element)  # behind the placeholders
    _set_title(slide, pack.title, 0.8, 1.6, _SLIDE_W - 1.6, 1.6, 40 if len(pack.title) < 50 else 30, "#FFFFFF")
    sub = slide.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = Inches(0.8), Inches(3.4), Inches(_SLIDE_W - 1.6), Inches(2.9)
    tf = sub.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.TOP
    tf.text = pack.subtitle
    desc_pt = 16 if len(pack.description) < 300 else 12
    if pack.description:
        tf.add_paragraph().text = pack.description
    for i, p in enumerate(tf.paragraphs):
        p.alignment = PP_ALIGN.LEFT
        p.space_after = Pt(10)
        _style_runs(p, 20 if i == 0 else desc_pt, "#FFFFFF", bold=False)
    _text_box(slide, _Box(0.8, 6.6, _SLIDE_W - 1.6, 0.4), [f"Generated {pack.generated} by Locality Planner"], size=11,
              colour="#D9E6F5")


def _number_box(slide, left, top, width, height, label: str, value: str) -> None:
    """Add a headline figure: the value large, its label under it, on a pale card with a blue edge."""
    _rect(slide, left, top, width, height, PALE_BLUE)
    _rect(slide, left, top, 0.08, height, NHS_BLUE)
    room_pt = height * 72 - 12 - 12 * 1.55  # margins and the label line
    value_pt = max(14.0, min(_fit_line(value, (width - 0.4) * 72, 30.0, bold=True), room_pt / 1.55))
    _text_box(slide, _Box(left + 0.2, top + 0.05, width - 0.3, height - 0.1),
              [(value, value_pt, NHS_BLUE, True), (label, 12, NHS_DARK_GREY, False)], anchor=MSO_ANCHOR.MIDDLE)


def _pptx_headline_slide(prs, pack: BoardPack, maps: _Maps) -> None:
    slide = _content_slide(prs, pack, "Headline figures")
    figures = pack.headline
    picture = next((w for w in ("groups", "area") if _has_map(pack, w)), None)
    body_h = _BODY_BOTTOM - _BODY_TOP
    if picture and figures:
        col_w, gap = 4.1, 0.15
        box_h = min(1.25, (body_h - gap * (len(figures) - 1)) / len(figures))
        for i, (label, value) in enumerate(figures):
            _number_box(slide, _MARGIN, _BODY_TOP + i * (box_h + gap), col_w, box_h, label, value)
        left = _MARGIN + col_w + 0.3
        _add_picture(slide, maps(picture), left, _BODY_TOP, _SLIDE_W - _MARGIN - left, body_h)
    elif picture:
        _add_picture(slide, maps(picture), _MARGIN, _BODY_TOP, _SLIDE_W - 2 * _MARGIN, body_h)
    else:
        per_row, gap = min(max(len(figures), 1), 5), 0.25
        box_w = (_SLIDE_W - 2 * _MARGIN - gap * (per_row - 1)) / per_row
        for i, (label, value) in enumerate(figures):
            row, col = divmod(i, per_row)
            _number_box(slide, _MARGIN + col * (box_w + gap), 2.2 + row * 2.0, box_w, 1.7, label, value)


def _pptx_map_slide(prs, pack: BoardPack, png: bytes, heading: str, caption: str) -> None:
    slide = _content_slide(prs, pack, heading)
    _add_picture(slide, png, _MARGIN, _BODY_TOP, _SLIDE_W - 2 * _MARGIN, _BODY_BOTTOM - _BODY_TOP - 0.3)
    _text_box(slide, _Box(_MARGIN, _BODY_BOTTOM - 0.28, _SLIDE_W - 2 * _MARGIN, 0.35), [caption], size=11,
              colour=NHS_DARK_GREY)


def _row_heights(cells: list[list[str]], widths_pt: list[float], size: float, pad_pt: float) -> list[float]:
    """Estimated row heights (inches) once text wraps in columns of ``widths_pt``."""
    line = size * 1.2 / 72
    out = []
    for row in cells:
        lines = max(math.ceil(max(_text_width(t, size), 1.0) / max(w - pad_pt, 1.0)) for t, w in
                    zip(row, widths_pt, strict=True))
        out.append(lines * line + 0.1)
    return out


def _greedy_runs(heights: list[float], room: float, max_rows: int) -> list[tuple[int, int]]:
    out, start, used = [], 0, 0.0
    for i, h in enumerate(heights):
        if i > start and (used + h > room or i - start >= max_rows):
            out.append((start, i))
            start, used = i, 0.0
        used += h
    out.append((start, len(heights)))
    return out


def _chunks(heights: list[float], room: float, max_rows: int) -> list[tuple[int, int]]:
    """Split rows into as few runs as fit ``room`` inches and ``max_rows`` rows, of even length."""
    greedy = _greedy_runs(heights, room, max_rows)
    n = len(greedy)
    if n == 1:
        return greedy
    even = _greedy_runs(heights, min(room, 1.05 * sum(heights) / n), math.ceil(len(heights) / n))
    return even if len(even) == n else greedy


def _pptx_table(slide, header, cells, numeric, widths_pt, heights, top: float, size: float) -> None:
    """Add a python-pptx table with a blue header and zebra rows."""
    header_h = _row_heights([header], widths_pt, size, 10)[0]
    shape = slide.shapes.add_table(len(cells) + 1, len(header), Inches(_MARGIN), Inches(top),
                                   Inches(sum(widths_pt) / 72), Inches(header_h + sum(heights)))
    table = shape.table
    table.first_row, table.horz_banding = True, False
    table._tbl.tblPr.find(qn("a:tableStyleId")).text = _NO_TABLE_STYLE  # only the fills set here
    for j, w in enumerate(widths_pt):
        table.columns[j].width = Inches(w / 72)
    for i, h in enumerate([header_h, *heights]):
        table.rows[i].height = Inches(h)
    blue, zebra = _rgb(NHS_BLUE), _rgb(ZEBRA)
    for i, row in enumerate([header, *cells]):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            if i == 0 or i % 2 == 0:  # odd body rows stay unfilled (white)
                cell.fill.solid()
                cell.fill.fore_color.rgb = blue if i == 0 else zebra
            cell.margin_left = cell.margin_right = Inches(0.06)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            p = cell.text_frame.paragraphs[0]
            p.text = text
            if numeric[j]:
                p.alignment = PP_ALIGN.RIGHT
            _style_runs(p, size, "#FFFFFF" if i == 0 else None, bold=True if i == 0 else None)


def _pptx_table_slides(prs, pack: BoardPack, heading: str, frame: pd.DataFrame, empty: str,
                       size: float = _PPT_TABLE_PT, room: float | None = None, max_rows: int = _PPT_MAX_ROWS) -> list:
    """One or more slides holding ``frame``; titled "Heading (i of n)" when split. Returns the slides."""
    if not len(frame):
        slide = _content_slide(prs, pack, heading)
        _text_box(slide, _Box(_MARGIN, _BODY_TOP + 0.1, 8, 0.6), [empty], size=16, colour=NHS_DARK_GREY)
        return [slide]
    header, cells, numeric = _table_cells(frame)
    total_pt = (_SLIDE_W - 2 * _MARGIN) * 72
    widths = _column_widths(header, cells, total_pt, size, 10)
    heights = _row_heights(cells, widths, size, 10)
    header_h = _row_heights([header], widths, size, 10)[0]
    room = (room or (_BODY_BOTTOM - _BODY_TOP)) - header_h
    runs = _chunks(heights, room, max_rows)
    slides = []
    for k, (a, b) in enumerate(runs, start=1):
        title = heading if len(runs) == 1 else f"{heading} ({k} of {len(runs)})"
        slide = _content_slide(prs, pack, title)
        _pptx_table(slide, header, cells[a:b], numeric, widths, heights[a:b], _BODY_TOP, size)
        slides.append(slide)
    return slides


def _text_height(paragraphs: list[str], width_in: float, size: float) -> float:
    """Estimated height (inches) of wrapped paragraphs in a box ``width_in`` wide."""
    room = (width_in - 0.1) * 72
    lines = sum(max(1, math.ceil(_text_width(p, size) / room)) for p in paragraphs)
    return lines * size * 1.2 / 72 + len(paragraphs) * size * 0.35 / 72 + 0.1


def _fit_size(paragraphs: list[str], width_in: float, height_in: float, largest: float = 14,
              smallest: float = 8) -> float:
    """Return the largest font size (points, in half steps) at which the paragraphs fit the box."""
    size = largest
    while size > smallest and _text_height(paragraphs, width_in, size) > height_in:
        size -= 0.5
    return size


def _pptx_assumptions_slide(prs, pack: BoardPack) -> None:
    slide = _content_slide(prs, pack, "Assumptions and parameters")
    body_h = _BODY_BOTTOM - _BODY_TOP
    params = [f"{name}: {value}" for name, value in pack.parameters] or ["No parameters recorded."]
    notes = [f"• {n}" for n in pack.notes]
    left_w = (_SLIDE_W - 2 * _MARGIN) if not notes else 6.0
    size = _fit_size(params, left_w, body_h - 0.45)
    _text_box(slide, _Box(_MARGIN, _BODY_TOP, left_w, body_h),
              [("Parameters", 14, NHS_BLUE, True), *[(p, size, "#212B32", False) for p in params]])
    if notes:
        right = _MARGIN + left_w + 0.35
        width = _SLIDE_W - _MARGIN - right
        size = _fit_size(notes, width, body_h - 0.45)
        _text_box(slide, _Box(right, _BODY_TOP, width, body_h),
                  [("Notes", 14, NHS_BLUE, True), *[(n, size, "#212B32", False) for n in notes]])


def _pptx_sources_slides(prs, pack: BoardPack) -> None:
    width = _SLIDE_W - 2 * _MARGIN
    attrib_size = _fit_size(pack.attributions, width, 1.6, largest=10, smallest=7)
    attrib_h = _text_height(pack.attributions, width, attrib_size) if pack.attributions else 0.0
    body_h = _BODY_BOTTOM - _BODY_TOP
    if _has(pack.provenance):
        slides = _pptx_table_slides(prs, pack, "Data sources and attribution", pack.provenance, "",
                                    size=8.5, room=body_h - attrib_h - 0.15, max_rows=30)
        slide = slides[-1]
        table_bottom = max(s.top + s.height for s in slide.shapes if s.has_table) / 914400
        top = table_bottom + 0.15
    else:
        slide, top = _content_slide(prs, pack, "Data sources and attribution"), _BODY_TOP
    if pack.attributions:
        _text_box(slide, _Box(_MARGIN, top, width, max(attrib_h, 0.3)), list(pack.attributions), size=attrib_size,
                  colour=NHS_DARK_GREY)


def to_pptx(pack: BoardPack) -> bytes:
    """Render the board pack as a 16:9 PowerPoint deck.

    Slides: the title; headline figures (number boxes beside the groups or area map); the area,
    proposed groups and site option maps (each when the pack has the data); the groups,
    practices that move and site options tables (split over slides titled "Groups (1 of 2)" and
    so on when long); assumptions and parameters; data sources and attribution.

    Parameters
    ----------
    pack : BoardPack

    Returns
    -------
    bytes
        The .pptx file.
    """
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(_SLIDE_W), Inches(_SLIDE_H)
    maps = _Maps(pack, _SLIDE_W - 2 * _MARGIN, _BODY_BOTTOM - _BODY_TOP - 0.3, dpi=150)
    _pptx_title_slide(prs, pack)
    _pptx_headline_slide(prs, pack, maps)
    for heading, frame, empty in _lead_sections(pack):
        _pptx_table_slides(prs, pack, heading, frame, empty)
    for which, heading, caption in _map_sections(pack):
        _pptx_map_slide(prs, pack, maps(which), heading, caption)
    for heading, frame, empty in _table_sections(pack):
        _pptx_table_slides(prs, pack, heading, frame, empty)
    _pptx_assumptions_slide(prs, pack)
    _pptx_sources_slides(prs, pack)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
