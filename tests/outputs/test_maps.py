"""Maps load only the app's own assets, and draw what the data says."""

from __future__ import annotations

import re

from locality import store
from locality.outputs import maps


def test_maps_use_only_locally_served_assets(con):
    p = store.practices(con, "sub_icb", "U2G6B")
    a = store.area(con, "U2G6B")
    m = maps.base_map(maps.wkb_bounds(a["geom_web"]))
    maps.add_lsoa_choropleth(m, store.lsoas(con, "sub_icb", "U2G6B"), "imd_decile")
    maps.add_outline(m, a["geom_web"], "East Berkshire")
    maps.add_practices(m, p)
    links = maps.asset_links(m)
    assert links and all(u.startswith("/app/static/vendor/") for u in links), links
    html = m.get_root().render()
    assert "cdn.jsdelivr" not in html and "tile.openstreetmap" not in html


def test_tiles_only_when_asked():
    m = maps.base_map((-0.8, 51.3, -0.5, 51.6), tiles=True)
    assert "tile.openstreetmap.org" in m.get_root().render()


def test_practice_markers_and_legend(con):
    p = store.practices(con, "sub_icb", "U2G6B")
    m = maps.base_map((-0.8, 51.3, -0.5, 51.6))
    legend = maps.add_practices(m, p)
    html = m.get_root().render()
    assert len(re.findall(r'"ODS code": "[A-Z]\d{5}"', html)) == 41  # one feature per practice
    assert "new L.CircleMarker(latlng, opts)" in html
    assert len(legend.items) == p["pcn_code"].nunique()
    assert '"ODS code": "K81010"' in html and "Registered patients" in html


def test_marker_area_is_proportional_to_list_size():
    r1, r4 = maps.marker_radius(10_000) - 3, maps.marker_radius(40_000) - 3
    assert abs(r4 / r1 - 2.0) < 1e-9


def test_fit_zoom_is_closer_for_smaller_areas():
    big = maps.fit_zoom((-2.0, 51.0, 0.5, 52.5), 760, 560)
    small = maps.fit_zoom((-0.8, 51.35, -0.5, 51.55), 760, 560)
    assert small > big


def test_imd_legend_has_ten_deciles(con):
    m = maps.base_map((-0.8, 51.3, -0.5, 51.6))
    lg = maps.add_lsoa_choropleth(m, store.lsoas(con, "sub_icb", "U2G6B"), "imd_decile")
    assert len(lg.items) == 10
    lg2 = maps.add_lsoa_choropleth(m, store.lsoas(con, "sub_icb", "U2G6B"), "residents")
    assert 2 <= len(lg2.items) <= 5


def test_group_colours_match_between_app_and_board_pack(con):
    from locality import scenarios, store
    from locality.grouping import GroupingOptions
    from locality.outputs import boardpack, maps
    from locality.outputs.colours import neighbour_colours

    run = scenarios.run_scenario(con, scenarios.new_scenario("c", "U2G6B", "", GroupingOptions(30_000, 50_000)))
    g = run.grouping
    pack = boardpack.board_pack(con, run)
    printed = dict(zip(pack.groups["group"], neighbour_colours(list(pack.groups.geometry)), strict=True))
    area = store.area(con, "U2G6B")
    _mp, (legend,) = maps.grouping_map(g, store.practices(con, "sub_icb", "U2G6B"), area["geom_web"], "EB")
    on_screen = {label.split(" · ")[0]: c for label, c in legend.items}  # "G01 · mostly Ascot"
    assert on_screen == printed and len(set(printed.values())) == len(printed)  # 12 groups, 12 colours
    touching = g.result.outlines["G01"].distance(g.result.outlines["G02"]) < 50
    assert not touching or printed["G01"] != printed["G02"]
