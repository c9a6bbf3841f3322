"""Many groups on one map (issue 12): neighbours never share a colour, every group is named on the map and
in the legend. The ICB of the small store (S0E4D) has 62 of today's PCNs and 62 proposed groups at 30–50k."""

from __future__ import annotations

import html
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely

from locality.outputs import maps
from locality.outputs.group_labels import add_group_labels, practice_colours, short_pcn_name
from tests.cases import thames_valley_icb

_LABEL = re.compile(r'class="lp-group-label"[^>]*>([^<]*)</div>')


@pytest.fixture(scope="module")
def icb(small_store):
    return thames_valley_icb(small_store)


def _touching(gdf) -> list[tuple[int, int]]:
    geoms = np.asarray(list(gdf.to_crs("EPSG:27700").geometry), dtype=object)
    a, b = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=50.0)
    return [(int(i), int(j)) for i, j in zip(a, b, strict=True) if i < j]


def _labels(mp) -> list[str]:
    page = mp.get_root().render()
    for code, char in (("\\u003c", "<"), ("\\u003e", ">"), ("\\u0026", "&"), ('\\"', '"')):
        page = page.replace(code, char)
    return [html.unescape(x) for x in _LABEL.findall(page)]


def test_touching_pcns_of_an_icb_never_share_a_colour(icb):
    ag, practices, geo = icb
    _, (legend,) = maps.grouping_map(ag, practices, geo["geom_web"], "Thames Valley", "today")
    pcns = ag.pcn_territories()
    assert len(pcns) >= 47
    colour = dict(legend.items)
    names = list(pcns["pcn_name"])
    pairs = _touching(pcns)
    assert len(pairs) > 50
    same = [(names[i], names[j]) for i, j in pairs if colour[names[i]] == colour[names[j]]]
    assert same == []
    assert len(legend.items) == len(pcns)  # every PCN is listed, none cut off


def test_every_group_and_pcn_is_named_on_the_map_and_in_the_legend(icb):
    ag, practices, geo = icb
    mp, (legend,) = maps.grouping_map(ag, practices, geo["geom_web"], "Thames Valley", "proposal")
    groups = list(ag.result.groups["group"])
    assert len(groups) >= 47
    assert sorted(_labels(mp)) == sorted(groups)
    assert len(legend.items) == len(groups) and legend.labelled
    assert all(" · mostly " in label for label, _ in legend.items)
    colour = {label.split(" · ")[0]: c for label, c in legend.items}
    gdf = ag.geodataframe()
    assert all(colour[gdf["group"].iloc[i]] != colour[gdf["group"].iloc[j]] for i, j in _touching(gdf))

    mp, (legend,) = maps.grouping_map(ag, practices, geo["geom_web"], "Thames Valley", "today")
    pcns = ag.pcn_territories()
    assert sorted(_labels(mp)) == sorted(short_pcn_name(n) for n in pcns["pcn_name"])
    assert "Banbury Cross" in _labels(mp)


def test_overview_pcns_with_practices_close_together_differ(icb):
    _, practices, _ = icb
    colours = practice_colours(practices, "pcn_code")
    placed = practices.dropna(subset=["easting", "northing"])
    keys = sorted(placed["pcn_code"].unique())
    pts = np.asarray([shapely.multipoints(placed.loc[placed["pcn_code"] == k, ["easting", "northing"]].to_numpy())
                      for k in keys], dtype=object)
    a, b = shapely.STRtree(pts).query(pts, predicate="dwithin", distance=3000.0)
    close = [(keys[i], keys[j]) for i, j in zip(a, b, strict=True) if i < j]
    assert len(close) > 30
    assert [p for p in close if colours[p[0]] == colours[p[1]]] == []
    legend = maps.add_practices(maps.base_map((-1.5, 51.3, -0.5, 52.2)), practices)
    assert len(legend.items) == practices["pcn_code"].nunique()
    assert [label for label, _ in legend.items] == sorted(label for label, _ in legend.items)


def test_pcn_labels_are_short_and_escaped():
    assert short_pcn_name("BANBURY CROSS PCN") == "Banbury Cross"
    assert short_pcn_name("Slough Central PCN") == "Slough Central"
    gdf = gpd.GeoDataFrame({"k": ["A"]}, geometry=[shapely.box(-0.7, 51.4, -0.6, 51.5)], crs="EPSG:4326")
    mp = maps.base_map((-0.8, 51.3, -0.5, 51.6))
    assert add_group_labels(mp, gdf, "k", {"A": "<img src=x onerror=alert(1)>"}, {"A": "#123456"}) == 1
    page = mp.get_root().render()
    assert "<img" not in page and "\\u003cimg" not in page and "lt;img src=x" in page


def test_site_names_never_overlap_and_crowded_ones_are_left_to_the_tooltip():
    import pandas as pd

    from locality.outputs import group_labels

    sites = pd.DataFrame({"site_id": [f"S{i}" for i in range(6)], "lat": [51.41] * 6, "lon": [-0.67] * 6,
                          "patients": [9000, 8000, 7000, 6000, 5000, 4000]})
    mp = maps.base_map((-0.8, 51.3, -0.5, 51.6))
    names = {s: f"Surgery number {s}" for s in sites["site_id"]}
    drawn = group_labels.add_site_labels(mp, sites, names, {"S5"})
    page = mp.get_root().render()
    assert drawn == 4  # four sides of one spot; the other two are named by their tooltips
    assert "Surgery number S5" in page  # the kept site is named first, small as it is
    apart = pd.DataFrame({"site_id": ["A", "B"], "lat": [51.35, 51.55], "lon": [-0.75, -0.55], "patients": [5000, 5000]})
    mp2 = maps.base_map((-0.8, 51.3, -0.5, 51.6))
    assert group_labels.add_site_labels(mp2, apart, {"A": "<b>x</b>"}, set()) == 2
    assert "<b>x" not in mp2.get_root().render()
