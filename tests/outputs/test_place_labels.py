"""Maps say where they are: town and local-authority names, and shapes out of the Tab order."""

from __future__ import annotations

import pandas as pd

from locality import store
from locality.outputs import maps
from locality.outputs.place_labels import add_place_labels


def test_towns_and_authorities_are_labelled_and_escaped(small_store):
    con = store.connect(small_store)
    try:
        practices = store.practices(con, "sub_icb", "U2G6B")
        lads = store.areas(con, "lad")
    finally:
        con.close()
    m = maps.base_map((-0.9, 51.3, -0.4, 51.6))
    n = add_place_labels(m, practices, dict(zip(lads["code"], lads["name"], strict=True)))
    page = m.get_root().render()
    assert n >= 7 + 3
    for town in ("Slough", "Maidenhead", "Bracknell", "Ascot", "Windsor"):
        assert f"\\u003e{town}\\u003c/div" in page  # the label's text, inside its JSON-escaped <div>
    assert "\\u003eBracknell Forest\\u003c/div" in page
    assert "setAttribute('tabindex', '-1')" in page  # every map: shapes out of the Tab order
    hostile = pd.DataFrame({"practice_code": ["A"], "address_1": ["X"], "address_2": ["<img src=x onerror=alert(1)>"],
                            "lat": [51.4], "lon": [-0.6]})
    m2 = maps.base_map((-0.9, 51.3, -0.4, 51.6))
    add_place_labels(m2, hostile)
    html = m2.get_root().render()
    assert "<img" not in html.lower() and "\\u003cimg" not in html.lower() and "lt;img Src=x Onerror" in html


def test_every_labelled_map_carries_the_declutter_once(small_store):
    from locality.outputs.group_labels import add_group_labels

    con = store.connect(small_store)
    try:
        practices = store.practices(con, "sub_icb", "U2G6B")
    finally:
        con.close()
    m = maps.base_map((-0.9, 51.3, -0.4, 51.6))
    add_place_labels(m, practices)
    import geopandas as gpd
    import shapely
    add_group_labels(m, gpd.GeoDataFrame({"k": ["G01"]}, geometry=[shapely.box(-0.7, 51.4, -0.6, 51.5)],
                                         crs="EPSG:4326"), "k", {}, {})
    page = m.get_root().render()
    assert page.count("function declutter()") == 1 and ".lp-town-label" in page
