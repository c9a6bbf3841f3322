"""The map of where a practice's patients live (Overview): LSOAs shaded by patients, and its sites."""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from locality.demand.where_they_live import PatientsLiving
from locality.outputs.maps import SEQUENTIAL_COLOURS, Legend, add_practices, base_map


def patients_map(living: PatientsLiving, lsoa_geoms: pd.DataFrame, practices: pd.DataFrame,
                 height: int = 480) -> tuple[folium.Map, list[Legend]]:
    """Return a map of the patients per LSOA (registered, or modelled residents) and the practices' sites.

    Parameters
    ----------
    living : PatientsLiving
        From :func:`locality.demand.where_they_live.where_patients_live`.
    lsoa_geoms : DataFrame
        ``lsoa21_code, lsoa21_name, geom_web`` of ``living.lsoas`` (:func:`locality.store.lsoa_web_geometries`).
    practices : DataFrame
        The chosen practices (``lat, lon``, ``patients``, ``pcn_code``) drawn on top.
    """
    d = living.lsoas.merge(lsoa_geoms, on="lsoa21_code")
    gdf = gpd.GeoDataFrame(d, geometry=shapely.from_wkb(d["geom_web"].to_numpy()), crs="EPSG:4326")
    v = gdf["patients"].to_numpy(dtype=float)
    edges = np.unique(np.nanquantile(v, np.linspace(0, 1, len(SEQUENTIAL_COLOURS) + 1))) if len(v) else np.array([0, 1])
    if len(edges) < 2:
        edges = np.array([edges[0], edges[0] + 1])
    idx = np.clip(np.searchsorted(edges, v, side="right") - 1, 0, len(edges) - 2)
    what = "Registered patients" if living.method == "registered" else "Residents (Census 2021, modelled catchment)"
    data = pd.DataFrame({
        "LSOA": (gdf["lsoa21_code"] + " " + gdf["lsoa21_name"].fillna("")).map(html.escape),
        what: [f"{x:,.0f}" for x in v],
        "Share": [f"{100 * s:.1f}%" for s in gdf["share"]],
        "Distance": [f"{x:.1f} km" for x in gdf["distance_km"]],
        "fill": [SEQUENTIAL_COLOURS[min(i, len(SEQUENTIAL_COLOURS) - 1)] for i in idx],
    })
    shaded = gpd.GeoDataFrame(data, geometry=gdf.geometry.values, crs="EPSG:4326")
    # fit the view to the LSOAs holding 95% of the patients (a few live far away), and the sites
    core = gdf["share"].cumsum().shift(fill_value=0).to_numpy() < 0.95  # living.lsoas is sorted, most first
    bounds = tuple(shaded[core].total_bounds.tolist()) if core.any() else (-1.0, 52.0, 0.0, 53.0)
    m = base_map(bounds, height=height)  # type: ignore[arg-type]
    folium.GeoJson(
        shaded, name=what,
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "fillOpacity": 0.7, "color": "#ffffff",
                                  "weight": 0.4},
        tooltip=folium.GeoJsonTooltip(fields=["LSOA", what, "Share", "Distance"],
                                      aliases=["LSOA", what, "Share of the total", "To the nearest of its sites"]),
    ).add_to(m)
    items = [(f"{edges[i]:,.0f} – {edges[i + 1]:,.0f}", SEQUENTIAL_COLOURS[min(i, len(SEQUENTIAL_COLOURS) - 1)])
             for i in range(len(edges) - 1)]
    title = f"{what} per LSOA"
    return m, [Legend(title, items), add_practices(m, practices)]
