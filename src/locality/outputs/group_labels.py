"""Many groups on one map: colours that differ between neighbours, and a label at each group's centre.

Twenty colours cannot tell 47 PCNs or 69 groups apart by themselves. Two things together can:
colours chosen from the map's own neighbours (shapes that touch, or practices that sit close, never
share a colour), and each group's name written on the map at a point inside it. Labels are plain
text (not interactive, not focusable) and escaped.
"""

from __future__ import annotations

import html
import json
import math

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from locality.outputs.colours import neighbour_colours

#: British National Grid, where neighbour distances are measured.
_BNG = "EPSG:27700"

#: Practices of two PCNs closer than this (metres) count as neighbours on a map of points.
PRACTICE_REACH_M = 3000.0

#: Above this many labels, they are drawn smaller.
MANY_LABELS = 24


#: Labels in the order they claim room on the map: groups, then local authorities, then towns.
LABEL_PRIORITY = (".lp-group-label", ".lp-lad-label", ".lp-town-label")

#: Script that, after every zoom or pan, hides any label that would overlap one of higher priority
#: (an ICB's 60 group names and 40 towns cannot all be read at once; zooming in shows more of them).
#: It runs as one of the map's own scripts, so it runs in streamlit-folium's frame too (which
#: inserts the page's HTML, and any <script> in it, without running it).
DECLUTTER_JS = """
(function () {
  var order = __ORDER__;
  function declutter() {
    var kept = [];
    order.forEach(function (sel) {
      document.querySelectorAll(sel).forEach(function (el) {
        el.style.visibility = 'visible';
        var r = el.getBoundingClientRect();
        var hit = kept.some(function (k) {
          return r.left < k.right && k.left < r.right && r.top < k.bottom && k.top < r.bottom; });
        if (hit) { el.style.visibility = 'hidden'; } else { kept.push(r); }
      });
    });
  }
  var map = __MAP__;
  map.on('zoomend moveend resize', declutter);
  map.whenReady(function () { setTimeout(declutter, 0); setTimeout(declutter, 400); });
})();
""".replace("__ORDER__", json.dumps(list(LABEL_PRIORITY)))


class _Declutter(MacroElement):
    """The map's declutter script (:data:`DECLUTTER_JS`), rendered with the map's own variable name."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.js }}{% endmacro %}")

    def __init__(self, map_name: str) -> None:
        super().__init__()
        self._name = "Declutter"
        self.js = DECLUTTER_JS.replace("__MAP__", map_name)


def declutter_labels(m: folium.Map) -> None:
    """Hide, at every zoom, the labels that would overlap a label of higher priority (added once per map)."""
    if not any(isinstance(c, _Declutter) for c in m._children.values()):
        m.add_child(_Declutter(m.get_name()))


def territory_colours(gdf: gpd.GeoDataFrame, key: str) -> dict[str, str]:
    """Colour each territory (a group or today's PCN) so that touching territories differ.

    Parameters
    ----------
    gdf : GeoDataFrame
        One row per territory, with ``key`` and polygons in any CRS (measured in British National Grid).
    key : str
        The column naming each territory.

    Returns
    -------
    dict
        key (as text) → hex colour; the same territories always get the same colours.
    """
    if not len(gdf):
        return {}
    ordered = gdf.sort_values(key)
    geoms = ordered.to_crs(_BNG).geometry if ordered.crs is not None else ordered.geometry
    return dict(zip(ordered[key].astype(str), neighbour_colours(list(geoms)), strict=True))


def practice_colours(practices: pd.DataFrame, key: str = "pcn_code", reach_m: float = PRACTICE_REACH_M) -> dict[str, str]:
    """Colour groups of practices (e.g. by PCN) so that groups with practices close together differ.

    Parameters
    ----------
    practices : DataFrame
        ``key`` and each practice's ``easting, northing`` (British National Grid); practices
        without a location still get their group a colour.
    key : str
    reach_m : float
        Two groups with practices nearer than this (metres) are neighbours.

    Returns
    -------
    dict
        key (as text) → hex colour.
    """
    keys = sorted({str(k) for k in practices[key].dropna()})
    placed = practices.dropna(subset=["easting", "northing"])
    points = {str(k): shapely.multipoints(g[["easting", "northing"]].to_numpy())
              for k, g in placed.groupby(placed[key].astype(str))}
    empty = shapely.Point(0, -1e9)  # far from everything: a group with no location neighbours none
    return dict(zip(keys, neighbour_colours([points.get(k, empty) for k in keys], touch_m=reach_m), strict=True))


def short_pcn_name(name: str) -> str:
    """Return a PCN's name as a map label: without the trailing "PCN", in title case if it was all capitals.

    >>> short_pcn_name("BANBURY CROSS PCN")
    'Banbury Cross'
    """
    text = " ".join(str(name).split())
    if text.upper().endswith(" PCN"):
        text = text[:-4]
    if text.isupper():
        text = " ".join(w if len(w) <= 3 and not w.isalpha() else w.capitalize() for w in text.split())
    return text or str(name)


def label_style(colour: str, many: bool) -> str:
    """Return the CSS of one group label: a white tag edged in the group's colour, centred on its point."""
    size = 10 if many else 12
    return (f"font: 700 {size}px/1.15 system-ui, sans-serif; color: #1d2a33; white-space: nowrap; "
            f"background: rgba(255,255,255,.86); border: 2px solid {colour}; border-radius: 3px; padding: 0 3px; "
            "pointer-events: none; display: inline-block; transform: translate(-50%, -50%);")


def add_group_labels(m: folium.Map, gdf: gpd.GeoDataFrame, key: str, texts: dict[str, str],
                     colours: dict[str, str]) -> int:
    """Write each territory's name on the map, at a point inside it.

    Parameters
    ----------
    m : folium.Map
    gdf : GeoDataFrame
        WGS84 polygons with ``key``.
    texts : dict
        key → the label's text (the key itself when missing).
    colours : dict
        key → the territory's colour (the label's edge).

    Returns
    -------
    int
        The number of labels drawn.
    """
    many = len(gdf) > MANY_LABELS
    declutter_labels(m)
    n = 0
    for k, geom in zip(gdf[key].astype(str), gdf.geometry, strict=True):
        if geom is None or geom.is_empty:
            continue
        at = shapely.point_on_surface(geom)
        style = label_style(colours.get(k, "#555555"), many)
        folium.Marker([at.y, at.x], icon=folium.DivIcon(
            html=f'<div class="lp-group-label" style="{style}">{html.escape(texts.get(k, k))}</div>',
            icon_size=(0, 0)), interactive=False, keyboard=False).add_to(m)
        n += 1
    return n


def _pixels(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Return the Web Mercator pixel position of a point at ``zoom`` (256-px tiles)."""
    scale = 256 * 2 ** zoom
    s = math.sin(math.radians(max(min(lat, 85.0), -85.0)))
    return (lon + 180) / 360 * scale, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale


#: Where a site's name may go, tried in turn: right, left, above and below its circle (CSS transforms).
_PLACES = ("translate({r}px, -50%)", "translate(calc(-100% - {r}px), -50%)", "translate(-50%, calc(-100% - {r}px))",
           "translate(-50%, {r}px)")


def _box(x: float, y: float, w: float, h: float, r: float, place: int) -> tuple[float, float, float, float]:
    """Return the pixel box a ``w`` × ``h`` label takes at one of :data:`_PLACES` around a circle at (x, y)."""
    if place == 0:
        return x + r, y - h / 2, x + r + w, y + h / 2
    if place == 1:
        return x - r - w, y - h / 2, x - r, y + h / 2
    if place == 2:
        return x - w / 2, y - r - h, x + w / 2, y - r
    return x - w / 2, y + r, x + w / 2, y + r + h


def add_site_labels(m: folium.Map, sites: pd.DataFrame, names: dict[str, str], kept: set[str]) -> int:
    """Write each site's name beside its circle (kept sites in dark blue, closed ones in grey), never overlapping.

    Labels are placed at the map's opening zoom, kept sites and then the largest first, each on the
    first side of its circle (right, left, above, below) where it overlaps no circle and no label
    already placed; a site with no free side is left unlabelled (its tooltip still names it), and
    zooming in only spreads the labels apart.

    Parameters
    ----------
    sites : DataFrame
        ``site_id, lat, lon, patients``.
    names : dict
        site_id → the name to show (the id itself when missing).
    kept : set of str

    Returns
    -------
    int
        The number of labels drawn.
    """
    from locality.outputs.maps import marker_radius

    zoom = float(m.options.get("zoom") or 12)
    placed = sites.dropna(subset=["lat", "lon"]).assign(kept=lambda d: d["site_id"].isin(kept))
    placed = placed.sort_values(["kept", "patients"], ascending=False)
    circles = [(*_pixels(r.lat, r.lon, zoom), marker_radius(r.patients)) for r in placed.itertuples(index=False)]
    taken = [(x - r, y - r, x + r, y + r) for x, y, r in circles]
    n = 0
    for row, (x, y, r) in zip(placed.itertuples(index=False), circles, strict=True):
        text = names.get(row.site_id, row.site_id)
        w, h = 6.3 * len(text) + 4, 14.0
        free = [p for p in range(len(_PLACES))
                if not any(_overlap(_box(x, y, w, h, r + 3, p), b) for b in taken if b != (x - r, y - r, x + r, y + r))]
        if not free:
            continue
        taken.append(_box(x, y, w, h, r + 3, free[0]))
        colour, weight = ("#08306b", 700) if row.kept else ("#555555", 500)
        style = (f"font: {weight} 11px/1.1 system-ui, sans-serif; color: {colour}; white-space: nowrap; "
                 "text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; pointer-events: none; display: inline-block; "
                 f"transform: {_PLACES[free[0]].format(r=round(r + 3))};")
        folium.Marker([row.lat, row.lon], icon=folium.DivIcon(
            html=f'<div class="lp-site-label" style="{style}">{html.escape(text)}</div>',
            icon_size=(0, 0)), interactive=False, keyboard=False).add_to(m)
        n += 1
    return n


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
