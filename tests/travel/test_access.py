"""LSOA population centres and AHAH v3 drive times in the store, and the share of residents beyond 10 minutes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from locality import store
from locality.outputs import maps
from locality.travel.access import drive_access


def test_drive_access_counts_residents_beyond_the_threshold():
    lsoas = pd.DataFrame({"residents": [1000, 2000, 3000, 500], "ahah_gp_minutes": [4.0, 10.0, 12.5, np.nan]})
    a = drive_access(lsoas)
    assert (a.residents_beyond, a.residents_known, a.lsoas_missing) == (3000, 6000, 1)
    assert a.share == pytest.approx(0.5) and a.label() == "50.0%"
    assert drive_access(lsoas, 3).share == pytest.approx(1.0)
    assert drive_access(lsoas.iloc[3:]).label() == "n/a"


def test_every_lsoa_has_a_population_centre_inside_it_and_an_ahah_figure(con):
    lsoas = store.lsoas(con, "sub_icb", "U2G6B", with_geometry=False)
    assert lsoas["ahah_gp_minutes"].notna().all() and (lsoas["ahah_gp_minutes"] >= 0).all()
    assert 1 < lsoas["ahah_gp_minutes"].median() < 10  # SOURCES.md: medians of 2.5–4.2 min in these LAs
    centres = store.lsoa_population_centres(con, list(lsoas["lsoa21_code"]))
    assert len(centres) == len(lsoas) and centres["pop_centre_e"].notna().mean() > 0.99
    geo = store.lsoa_web_geometries(con, list(centres["lsoa21_code"]), bng=True)
    both = centres.merge(geo, on="lsoa21_code")
    polys = shapely.from_wkb(both["geom_bng"].to_numpy())
    inside = shapely.contains_xy(shapely.buffer(polys, 50), both["pop_centre_e"], both["pop_centre_n"])
    assert inside.mean() > 0.95  # the mean of an LSOA's postcodes is (almost always) inside it
    moved = np.hypot(both["pop_centre_e"] - lsoas.set_index("lsoa21_code").loc[both["lsoa21_code"], "centroid_e"]
                     .to_numpy(), both["pop_centre_n"] - lsoas.set_index("lsoa21_code")
                     .loc[both["lsoa21_code"], "centroid_n"].to_numpy())
    assert np.median(moved) > 20  # not simply the centroid again


@pytest.mark.parametrize("measure", ["ahah_gp_minutes", "connectivity_score"])
def test_the_access_layers_shade_the_map(con, measure):
    lsoas = store.lsoas(con, "sub_icb", "U2G6B")
    m = maps.base_map((-0.8, 51.3, -0.5, 51.6))
    legend = maps.add_lsoa_choropleth(m, lsoas, measure)
    assert legend.title == maps.LSOA_MEASURES[measure] and len(legend.items) >= 3
    html = m.get_root().render()
    assert legend.title in html


def test_the_overview_shows_the_ten_minute_headline(open_page, con):
    at = open_page("pages/overview.py")
    expected = drive_access(store.lsoas(con, "sub_icb", "U2G6B", with_geometry=False))
    metric = [m for m in at.metric if m.label == "Over 10 min drive"]
    assert metric and metric[0].value == expected.label() and 0 < expected.share < 0.5
    assert any("AHAH" in c.value and "Consumer Data Research Centre" in c.value for c in at.caption)
    at.sidebar.selectbox(key="ov_layer").set_value("ahah_gp_minutes").run()
    assert not at.exception
