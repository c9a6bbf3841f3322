"""The Overview page on areas outside the small store's ICB (London, Barking & Dagenham): the national store."""

from __future__ import annotations

import pytest

from tests.pages.test_overview_page import switch_to_local_authority, walk_down

pytestmark = pytest.mark.national


@pytest.fixture()
def app(open_national_page):
    return open_national_page()


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_switch_to_a_local_authority(app):
    assert switch_to_local_authority(app, "E09000002", "Barking and Dagenham") > 20


def test_walk_down_region_icb_sub_icb(app):
    assert walk_down(app, "Y56", "Z9B2Z", "West and North London", "W2U3Z") == 337  # London


def test_search_finds_councils_and_places(app):
    app.sidebar.selectbox(key="w_mode").set_value("Search by place").run()
    box = app.sidebar.selectbox(key="w_search_")  # no query typed: every area, by name
    labels = [o for o in box.options if "Hackney" in o]
    assert any("local authority" in o for o in labels) and any(o.startswith("A3A8R") for o in labels)
    box.set_value("E09000002").run()
    assert not app.exception and "Barking and Dagenham" in app.title[0].value


def test_changing_region_lands_on_a_sub_icb(app):
    app.sidebar.selectbox(key="w_region").set_value("Y56").run()
    assert not app.exception
    assert app.sidebar.selectbox(key="w_icb").value != "__all__"
    assert app.sidebar.selectbox(key="w_sub_icb").value != "__all__"
    assert "Sub-ICB location" in app.caption[0].value
