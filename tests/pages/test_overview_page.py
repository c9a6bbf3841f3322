"""The Overview page through Streamlit's AppTest."""

from __future__ import annotations

import pytest


@pytest.fixture()
def app(open_page):
    return open_page()


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_opens_on_east_berkshire_with_no_clicks(app):
    assert "U2G6B" in app.title[0].value
    m = _metrics(app)
    assert m["Practices"] == "41"
    assert m["Registered patients"] == "497,911"
    assert m["PCNs"] == "10"
    assert m["Median list size"] != "0"
    assert m["Aged 65+"].endswith("%")
    table = app.dataframe[0].value
    assert len(table) == 41 and "K81010" in set(table["practice_code"])


def test_provenance_and_attribution_are_shown(app):
    text = " ".join(c.value for c in app.caption)
    assert "Open Government Licence v3.0" in text
    assert "Royal Mail" in text
    prov = app.dataframe[-1].value
    assert "gp-reg-pat-prac-map.csv" in set(prov["File"])


def test_lsoa_layers_render(app):
    for layer, title in (("imd_decile", "IMD 2025 decile"), ("residents", "Residents (Census 2021)")):
        app.sidebar.selectbox(key="ov_layer").set_value(layer).run()
        assert not app.exception
        assert any(title in md.value for md in app.markdown)


def test_pcn_size_check(app):
    text = " ".join(md.value for md in app.markdown)
    assert "within the band" in text


def switch_to_local_authority(app, code: str, name: str) -> int:
    """Choose local authority ``code`` in the sidebar, check the page names it, and return its practices."""
    app.sidebar.selectbox(key="w_mode").set_value("Local authority").run()
    assert not app.exception
    app.sidebar.selectbox(key="w_lad").set_value(code).run()
    assert not app.exception
    assert name in app.title[0].value
    return int(_metrics(app)["Practices"])


def walk_down(app, region: str, icb: str, icb_name: str, sub_icb: str) -> int:
    """Choose a region, then one of its ICBs, then a sub-ICB, and return the sub-ICB's practices."""
    app.sidebar.selectbox(key="w_region").set_value(region).run()
    assert not app.exception
    box = app.sidebar.selectbox(key="w_icb")
    assert icb in box.options or any(icb_name in o for o in box.options)
    box.set_value(icb).run()
    app.sidebar.selectbox(key="w_sub_icb").set_value(sub_icb).run()
    assert not app.exception
    return int(_metrics(app)["Practices"])


def test_switch_to_a_local_authority(app):
    assert switch_to_local_authority(app, "E06000039", "Slough") > 10


def test_walk_down_region_icb_sub_icb(app):
    assert walk_down(app, "Y59", "S0E4D", "Thames Valley", "10Q") == 64  # South East
