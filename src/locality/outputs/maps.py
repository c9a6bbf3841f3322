"""Folium maps drawn from the store's geometry, with no CDN and no tiles unless asked.

Every map loads Leaflet from the app's own static files (see :mod:`locality.assets`)
and draws boundaries on a plain background, so it renders on networks that block
CDNs and tile servers. Street tiles are an opt-in layer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from locality.errors import ExportError
from locality.outputs.assets import jquery_js_url, leaflet_css_url, leaflet_js_url
from locality.outputs.colours import CATEGORY_COLOURS, neighbour_colours
from locality.outputs.safe_text import html_columns, html_text
from locality.vocabulary import WITHIN

if TYPE_CHECKING:
    from locality.sites import SiteAppraisal

#: IMD decile colours: 1 = most deprived (dark red) … 10 = least deprived (dark blue).
IMD_DECILE_COLOURS = ["#a50026", "#d73027", "#f46d43", "#fdae61", "#fee090",
                      "#e0f3f8", "#abd9e9", "#74add1", "#4575b4", "#313695"]
SEQUENTIAL_COLOURS = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
PLAIN_BACKGROUND = "#eef1f4"

#: The LSOA measures that can be drawn as a choropleth: column → label.
LSOA_MEASURES = {"imd_decile": "IMD 2025 decile (1 = most deprived)", "residents": "Residents (Census 2021)",
                 "ahah_gp_minutes": "Drive to the nearest GP, minutes (CDRC AHAH v3)",
                 "connectivity_score": "Transport connectivity score (IoD2025; higher is better connected)"}
#: The unit and decimals each numeric LSOA measure is shown with.
_MEASURE_FORMAT = {"residents": "{:,.0f}", "ahah_gp_minutes": "{:,.1f}", "connectivity_score": "{:,.1f}"}


@dataclass
class Legend:
    """What a map layer's colours mean, for the page to show beside the map."""

    title: str
    items: list[tuple[str, str]] = field(default_factory=list)  # (label, colour)
    labelled: bool = False  # each entry is also written on the map


def category_colours(keys) -> dict[str, str]:
    """Map each distinct key (sorted) to a palette colour."""
    uniq = sorted({str(k) for k in keys if k is not None and not (isinstance(k, float) and math.isnan(k))})
    return {k: CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i, k in enumerate(uniq)}


def base_map(bounds: tuple[float, float, float, float], tiles: bool = False, height: int = 560,
             width_px: int = 760) -> folium.Map:
    """Return an empty map fitted to ``bounds`` = (min_lon, min_lat, max_lon, max_lat).

    Parameters
    ----------
    bounds : tuple of float
        WGS84 bounds to fit.
    tiles : bool
        Add OpenStreetMap tiles (needs internet). Off by default: boundaries are drawn
        on a plain background.
    height, width_px : int
        The map's expected size in pixels, used to choose the zoom that fits ``bounds``.
    """
    min_lon, min_lat, max_lon, max_lat = bounds
    m = folium.Map(location=[(min_lat + max_lat) / 2, (min_lon + max_lon) / 2],
                   zoom_start=fit_zoom(bounds, width_px=width_px, height_px=height), tiles=None,
                   control_scale=True, zoom_snap=0.25, height=height, scrollWheelZoom=False)
    m.default_js = [("leaflet", leaflet_js_url()), ("jquery", jquery_js_url())]
    m.default_css = [("leaflet_css", leaflet_css_url())]
    m.get_root().header.add_child(
        folium.Element(f"<style>.leaflet-container {{ background: {PLAIN_BACKGROUND}; }}</style>")
    )
    if tiles:
        folium.TileLayer("OpenStreetMap", name="Street map (OpenStreetMap)", control=False).add_to(m)
    from locality.outputs.place_labels import untab_shapes  # issue 12: shapes out of the Tab order
    untab_shapes(m)
    m.fit_bounds([[min_lat, min_lon], [max_lat, max_lon]])
    return m


def fit_zoom(bounds: tuple[float, float, float, float], width_px: int, height_px: int) -> float:
    """Return the Web Mercator zoom (in quarter steps) at which ``bounds`` fill the given pixel box.

    Computed here rather than with Leaflet's ``fitBounds``, which can run while the map's
    frame still has no size and then leaves the map zoomed out.
    """
    min_lon, min_lat, max_lon, max_lat = bounds

    def merc_y(lat: float) -> float:
        s = math.sin(math.radians(max(min(lat, 85.0), -85.0)))
        return 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)

    dx = max((max_lon - min_lon) / 360.0, 1e-9)
    dy = max(abs(merc_y(min_lat) - merc_y(max_lat)), 1e-9)
    z = min(math.log2(width_px * 0.9 / (256 * dx)), math.log2(height_px * 0.9 / (256 * dy)))
    return max(5.0, min(16.0, math.floor(z * 4) / 4))


def asset_links(m: folium.Map) -> list[str]:
    """Return every JS/CSS URL the map (and its children) asks the browser to load."""
    links: list[str] = []

    def walk(el):
        links.extend(u for _, u in getattr(el, "default_js", []))
        links.extend(u for _, u in getattr(el, "default_css", []))
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(m)
    return links


def wkb_bounds(wkb: bytes) -> tuple[float, float, float, float]:
    """Return the (min_lon, min_lat, max_lon, max_lat) bounds of a WKB geometry."""
    return tuple(shapely.bounds(shapely.from_wkb(wkb)).tolist())


def add_outline(m: folium.Map, wkb: bytes, name: str, colour: str = "#222222", weight: float = 2.5) -> None:
    """Draw an area's boundary (no fill)."""
    gdf = gpd.GeoDataFrame({"name": [html_text(name)]}, geometry=[shapely.from_wkb(wkb)], crs="EPSG:4326")
    folium.GeoJson(
        gdf, name=f"Boundary: {html_text(name)}",
        style_function=lambda _f: {"color": colour, "weight": weight, "fill": False},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(m)


def _lsoa_colours(values: pd.Series, measure: str) -> tuple[list[str], Legend]:
    if measure == "imd_decile":
        cols = [IMD_DECILE_COLOURS[int(v) - 1] if pd.notna(v) else "#cccccc" for v in values]
        items = [(f"{d}{' (most deprived)' if d == 1 else ' (least deprived)' if d == 10 else ''}",
                  IMD_DECILE_COLOURS[d - 1]) for d in range(1, 11)]
        return cols, Legend(LSOA_MEASURES[measure], items)
    v = values.astype(float).to_numpy()
    if not np.isfinite(v).any():
        return ["#cccccc"] * len(v), Legend(LSOA_MEASURES[measure], [("no data", "#cccccc")])
    edges = np.unique(np.nanquantile(v, np.linspace(0, 1, len(SEQUENTIAL_COLOURS) + 1)))
    if len(edges) == 1:
        edges = np.array([edges[0], edges[0]])
    idx = np.clip(np.searchsorted(edges, v, side="right") - 1, 0, len(edges) - 2)
    cols = [SEQUENTIAL_COLOURS[min(i, len(SEQUENTIAL_COLOURS) - 1)] if np.isfinite(x) else "#cccccc"
            for i, x in zip(idx, v, strict=True)]
    fmt = _MEASURE_FORMAT.get(measure, "{:,.0f}")
    items = [(f"{fmt.format(edges[i])} – {fmt.format(edges[i + 1])}", SEQUENTIAL_COLOURS[i])
             for i in range(len(edges) - 1)]
    return cols, Legend(LSOA_MEASURES[measure], items)


def add_lsoa_choropleth(m: folium.Map, lsoa: pd.DataFrame, measure: str) -> Legend:
    """Shade LSOAs by ``measure`` (a key of :data:`LSOA_MEASURES`) and return the legend.

    ``lsoa`` needs ``lsoa21_code, lsoa21_name, residents, imd_decile`` and ``geom_web`` (WKB).
    """
    if measure not in LSOA_MEASURES:
        raise ExportError(f"unknown LSOA measure {measure!r}; choose from {list(LSOA_MEASURES)}")
    colours, legend = _lsoa_colours(lsoa[measure], measure)
    gdf = gpd.GeoDataFrame(
        {
            "LSOA": lsoa["lsoa21_code"] + " " + lsoa["lsoa21_name"].fillna(""),
            "Residents": lsoa["residents"].map(lambda x: f"{x:,.0f}" if pd.notna(x) else "n/a"),
            "IMD decile": lsoa["imd_decile"].map(lambda x: f"{x:.0f}" if pd.notna(x) else "n/a"),
            "Value": lsoa[measure].map(lambda x: _MEASURE_FORMAT.get(measure, "{}").format(x) if pd.notna(x)
                                       else "n/a"),
            "fill": colours,
        },
        geometry=shapely.from_wkb(lsoa["geom_web"].to_numpy()),
        crs="EPSG:4326",
    )
    folium.GeoJson(
        html_columns(gdf, ["LSOA"]), name=f"LSOAs: {legend.title}",
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "fillOpacity": 0.65, "color": "#ffffff",
                                  "weight": 0.4},
        tooltip=folium.GeoJsonTooltip(fields=["LSOA", "Residents", "IMD decile", "Value"],
                                      aliases=["LSOA", "Residents", "IMD decile", legend.title]),
    ).add_to(m)
    return legend


def add_territories(m: folium.Map, gdf: gpd.GeoDataFrame, key: str, title: str, tooltip: dict[str, str],
                    colours: dict[str, str] | None = None, name: str = "Groups",
                    labels: dict[str, str] | None = None) -> Legend:
    """Draw filled territories (groups, or today's PCNs) coloured by ``key``; return the legend.

    Parameters
    ----------
    gdf : GeoDataFrame
        WGS84 polygons with a ``key`` column and the columns named in ``tooltip``.
    tooltip : dict
        Column → label shown on hover.
    colours : dict, optional
        key → colour (default: :func:`category_colours`).
    """
    colours = colours or category_colours(gdf[key])
    data = gdf[[key, *[c for c in tooltip if c != key], "geometry"]].copy()
    for c in tooltip:
        if pd.api.types.is_numeric_dtype(data[c]) and c != key:
            data[c] = data[c].map(lambda v: f"{v:,.0f}" if pd.notna(v) else "n/a")
    data["fill"] = data[key].astype(str).map(colours).fillna("#bbbbbb")
    folium.GeoJson(
        html_columns(data, [c for c in tooltip if not pd.api.types.is_numeric_dtype(data[c])]), name=name,
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "fillOpacity": 0.45, "color": "#333333",
                                  "weight": 1.2},
        highlight_function=lambda _f: {"weight": 3, "fillOpacity": 0.6},
        tooltip=folium.GeoJsonTooltip(fields=list(tooltip), aliases=list(tooltip.values())),
    ).add_to(m)
    labels = labels or {}
    shown = set(gdf[key].astype(str))
    return Legend(title, sorted((labels.get(k, k), colours[k]) for k in colours if k in shown))


def marker_radius(patients) -> float:
    """Circle radius in pixels for a practice's list size (area proportional to patients)."""
    p = 0.0 if patients is None or pd.isna(patients) else float(patients)
    return 3.0 + math.sqrt(max(p, 0.0)) / 12.0


def add_practices(m: folium.Map, practices: pd.DataFrame, colour_by: str = "pcn_code",
                  label_by: str = "pcn_name", colours: dict[str, str] | None = None,
                  title: str = "Practices, coloured by PCN") -> Legend:
    """Draw practices as circles sized by list size and coloured by ``colour_by``.

    One GeoJSON layer carries every practice (a small payload even for a region's
    thousand practices). Practices without a location are skipped (the page lists them).
    Each popup gives the name, ODS code, list size and PCN (and the proposed group, if any).
    """
    if colours is None and {"easting", "northing"} <= set(practices.columns):
        from locality.outputs.group_labels import practice_colours
        colours = practice_colours(practices, colour_by)  # PCNs with practices close together differ
    colours = colours or category_colours(practices[colour_by])
    pts = practices.dropna(subset=["lat", "lon"])
    props = pd.DataFrame({
        "Practice": pts["practice_name"].astype(str),
        "ODS code": pts["practice_code"].astype(str),
        "Registered patients": pts["patients"].map(lambda v: f"{v:,.0f}" if pd.notna(v) else "n/a"),
        "PCN": pts["pcn_name"].astype(str) + " (" + pts["pcn_code"].astype(str) + ")",
        "radius": pts["patients"].map(marker_radius),
        "fill": pts[colour_by].astype(str).map(colours).fillna("#999999"),
    })
    fields = ["Practice", "ODS code", "Registered patients", "PCN"]
    if "group" in pts:
        props["Proposed group"] = pts["group"].astype(str)
        fields.append("Proposed group")
    if "geocoded" in pts and (~pts["geocoded"].astype(bool)).any():
        props["Location"] = np.where(pts["geocoded"].astype(bool), "postcode",
                                     "estimated from postcode sector")
        fields.append("Location")
    gdf = gpd.GeoDataFrame(props, geometry=gpd.points_from_xy(pts["lon"], pts["lat"]), crs="EPSG:4326")
    folium.GeoJson(
        html_columns(gdf.sort_values("radius", ascending=False), fields), name="Practices",
        marker=folium.CircleMarker(radius=6, weight=1, color="#333333", fill=True, fill_opacity=0.85),
        style_function=lambda f: {"radius": f["properties"]["radius"], "fillColor": f["properties"]["fill"],
                                  "color": "#333333", "weight": 1, "fillOpacity": 0.85},
        popup=folium.GeoJsonPopup(fields=fields, max_width=320),
        tooltip=folium.GeoJsonTooltip(fields=["Practice", "ODS code"], labels=False),
    ).add_to(m)
    first = practices.drop_duplicates(colour_by)
    labels = dict(zip(first[colour_by].astype(str), first[label_by].astype(str), strict=True))
    return Legend(title, sorted((f"{labels.get(k, k)}", c) for k, c in colours.items() if k in labels))


#: Distance bands (metres) for travel maps, and their colours (near = light, far = dark).
TRAVEL_COLOURS = ["#edf8e9", "#bae4b3", "#74c476", "#238b45"]


def add_travel_choropleth(m: folium.Map, lsoa: gpd.GeoDataFrame, distance_col: str = "distance_m",
                          unit: str = "m") -> Legend:
    """Shade LSOAs by travel to their nearest kept site (metres, or minutes with ``unit="min"``)."""
    d = lsoa[distance_col].to_numpy(dtype=float)
    band, labels, title = _travel_bands(d, unit)
    data = lsoa[["lsoa21_name", "residents", "geometry"]].copy()
    data["Distance"] = [f"{x / 1000:.1f} km" if unit == "m" else f"{x:.0f} min" for x in d]
    data["Residents"] = lsoa["residents"].map(lambda v: f"{v:,.0f}")
    data["fill"] = [TRAVEL_COLOURS[b] for b in band]
    folium.GeoJson(
        html_columns(data[["lsoa21_name", "Residents", "Distance", "fill", "geometry"]], ["lsoa21_name"]),
        name="Travel to nearest kept site",
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "fillOpacity": 0.75, "color": "#ffffff",
                                  "weight": 0.5},
        tooltip=folium.GeoJsonTooltip(fields=["lsoa21_name", "Residents", "Distance"],
                                      aliases=["LSOA", "Residents", "To nearest kept site"]),
    ).add_to(m)
    return Legend(title, list(zip(labels, TRAVEL_COLOURS, strict=True)))


def add_sites(m: folium.Map, sites: pd.DataFrame, kept: set[str], names: dict[str, str] | None = None) -> Legend:
    """Draw sites (``site_id, lat, lon, practice_names, patients``): kept in blue, closed in grey.

    Given ``names`` (site_id → name), each site is also named beside its circle.
    """
    for r in sites.itertuples(index=False):
        is_kept = r.site_id in kept
        folium.CircleMarker(
            location=[r.lat, r.lon], radius=marker_radius(r.patients), weight=2,
            color="#08306b" if is_kept else "#555555", fill=True,
            fill_color="#2171b5" if is_kept else "#d9d9d9", fill_opacity=0.9,
            tooltip=f"{'KEPT' if is_kept else 'CLOSED'} · {html_text(r.site_id)} · {html_text(r.practice_names)}",
        ).add_to(m)
    if names is not None:
        from locality.outputs.group_labels import add_site_labels
        add_site_labels(m, sites, names, kept)
    return Legend("Sites", [("kept", "#2171b5"), ("closed", "#d9d9d9")])


def grouping_map(grouping, practices: pd.DataFrame, area_wkb: bytes, area_label: str, view: str = "proposal",
                 height: int = 560, width_px: int = 820) -> tuple[folium.Map, list[Legend]]:
    """Map a grouping's proposed groups (``view="proposal"``) or today's PCNs (``view="today"``), with practices.

    Parameters
    ----------
    grouping : locality.grouping.area.AreaGrouping
    practices : DataFrame
        The area's practices with ``practice_code, lat, lon, geocoded``.
    area_wkb : bytes
        The area's WGS84 outline (WKB), drawn on top.

    Returns
    -------
    (folium.Map, list of Legend)
    """
    r = grouping.result
    plotted = r.assignment.merge(practices[["practice_code", "lat", "lon", "geocoded"]], on="practice_code")
    mp = base_map(wkb_bounds(area_wkb), height=height, width_px=width_px)
    from locality.outputs.group_labels import add_group_labels, short_pcn_name, territory_colours
    if view == "proposal":
        gdf = grouping.geodataframe()
        # the board pack colours the same outlines the same way
        colours = dict(zip(gdf["group"], neighbour_colours([r.outlines[g] for g in gdf["group"]]), strict=True))
        mostly = dict(zip(gdf["group"], gdf["main_pcn"].fillna("").map(short_pcn_name), strict=True))
        legend = add_territories(mp, gdf, "group", "Proposed groups",
                                 {"group": "Group", "patients": "Patients", "practices": "Practices",
                                  "status": "Against the band", "main_pcn": "Mostly from"}, colours,
                                 labels={g: f"{g} · mostly {p}" if p else g for g, p in mostly.items()})
        texts = {g: g for g in gdf["group"]}
        add_outline(mp, area_wkb, area_label)
        add_practices(mp, plotted, colour_by="group", label_by="group", colours=colours,
                      title="Practices, coloured by proposed group")
    else:
        gdf = grouping.pcn_territories()
        colours = territory_colours(gdf, "pcn_code")  # touching PCNs differ, however many there are
        legend = add_territories(mp, gdf, "pcn_code", "Today's PCNs (catchments by site)",
                                 {"pcn_name": "PCN", "patients": "Patients (whole PCN)", "status": "Against the band"},
                                 colours, name="Today's PCNs",
                                 labels=dict(zip(gdf["pcn_code"], gdf["pcn_name"], strict=True)))
        texts = dict(zip(gdf["pcn_code"], gdf["pcn_name"].fillna(gdf["pcn_code"]).map(short_pcn_name), strict=True))
        add_outline(mp, area_wkb, area_label)
        add_practices(mp, plotted, colours=colours)
    from locality.outputs.place_labels import add_place_labels
    add_place_labels(mp, practices)
    legend.labelled = add_group_labels(mp, gdf, "group" if view == "proposal" else "pcn_code", texts, colours) > 0
    return mp, [legend]


def site_option_map(appraisal: SiteAppraisal, kept: list[str], lsoa_geoms: pd.DataFrame | None, height: int = 520,
                    width_px: int = 820) -> tuple[folium.Map, list[Legend]]:
    """Map a site option: demand shaded by travel to the nearest kept site, and the kept and closed sites.

    Demand is drawn as the catchment's LSOAs or, with registered-list demand, as the practices
    (circles sized by list, coloured by how far their nearest kept site is).

    Parameters
    ----------
    appraisal : locality.sites.SiteAppraisal
    kept : list of str
        The kept ``site_id``s.
    lsoa_geoms : DataFrame, optional
        ``lsoa21_code, lsoa21_name, geom_web`` of the demand LSOAs (:func:`locality.store.lsoa_web_geometries`);
        not needed for registered-list demand.
    """
    from locality.geography import bng_to_wgs84
    from locality.sites.labels import site_labels
    names = site_labels(appraisal)
    demand = appraisal.demand.points.assign(distance_m=appraisal.nearest_kept(kept))
    if appraisal.demand.kind == "registered":
        demand["lat"], demand["lon"] = bng_to_wgs84(demand["centroid_e"], demand["centroid_n"])
        lats = pd.concat([demand["lat"], appraisal.sites["lat"]])
        lons = pd.concat([demand["lon"], appraisal.sites["lon"]])
        pad = 0.01
        mp = base_map((lons.min() - pad, lats.min() - pad, lons.max() + pad, lats.max() + pad), height=height,
                      width_px=width_px)
        travel = add_travel_points(mp, demand, unit=appraisal.unit)  # halos under the sites
        return mp, [add_sites(mp, appraisal.sites, set(kept), names), travel]
    demand = demand.merge(lsoa_geoms, on="lsoa21_code")
    gdf = gpd.GeoDataFrame(demand, geometry=shapely.from_wkb(demand["geom_web"].to_numpy()), crs="EPSG:4326")
    mp = base_map(tuple(gdf.total_bounds.tolist()), height=height, width_px=width_px)
    legends = [add_travel_choropleth(mp, gdf, unit=appraisal.unit), add_sites(mp, appraisal.sites, set(kept), names)]
    return mp, legends


def _travel_bands(d: np.ndarray, unit: str) -> tuple[np.ndarray, list[str], str]:
    """Band index of each travel value, the band labels and the legend title."""
    edges = list(WITHIN[unit])  # the "% within" thresholds: 1, 2, 5 km or 10, 15, 20 min
    shown = [f"{e / 1000:g}" if unit == "m" else f"{e:g}" for e in edges]
    word = "km" if unit == "m" else "min"
    labels = [f"under {shown[0]} {word}", *(f"{a}–{b} {word}" for a, b in pairwise(shown)),
              f"{shown[-1]} {word} and more"]
    title = "Distance to the nearest kept site" if unit == "m" else "Travel time to the nearest kept site"
    return np.searchsorted(edges, d, side="right"), labels, title


def add_travel_points(m: folium.Map, points: pd.DataFrame, unit: str = "m") -> Legend:
    """Practices (registered-list demand) as halos sized by list, coloured by travel to the nearest kept site.

    Drawn before the sites, each halo is a few pixels wider than a site circle of the same list,
    so a practice's travel colour shows around the site it sits at.
    """
    band, labels, title = _travel_bands(points["distance_m"].to_numpy(dtype=float), unit)
    for r, b in zip(points.itertuples(index=False), band, strict=True):
        far = f"{r.distance_m / 1000:.1f} km" if unit == "m" else f"{r.distance_m:.0f} min"
        folium.CircleMarker(
            location=[r.lat, r.lon], radius=marker_radius(r.weight) + 7, weight=1, color="#333333", fill=True,
            fill_color=TRAVEL_COLOURS[b], fill_opacity=0.9,
            tooltip=f"{html_text(r.practice_name)} ({html_text(r.practice_code)}) · {r.weight:,.0f} patients · "
                    f"{far} to the nearest kept site",
        ).add_to(m)
    return Legend(f"Practices: {title.lower()}", list(zip(labels, TRAVEL_COLOURS, strict=True)))
