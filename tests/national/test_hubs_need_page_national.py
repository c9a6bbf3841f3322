"""Hubs & estates on the national store: the cited default age weights, the need index, real demand in 71E."""

from __future__ import annotations

import pytest

from tests.cases import LINCOLNSHIRE, choose_area

pytestmark = pytest.mark.national

def test_default_age_weights_are_cited(open_national_page):
    app = open_national_page("pages/hubs.py")
    assert not app.exception
    app.sidebar.checkbox(key="hb_age_on").check().run()
    assert not app.exception
    assert app.sidebar.radio(key="hb_age_from").value == "default"
    assert any("NHS Payments to General Practice 2022-23" in c.value for c in app.sidebar.caption)
    assert any("weighted by age" in c.value and "2022-23" in c.value for c in app.caption)

def test_71e_hub_demand_is_real_and_can_be_need_weighted(open_national_page):
    app = open_national_page("pages/hubs.py")
    choose_area(app, *LINCOLNSHIRE)
    assert not app.exception
    # the planner started in East Berkshire (no LSOA file: residents); here the truth is known, and said
    assert app.sidebar.radio(key="hb_demand").value == "residents"
    assert any("patients-by-LSOA file covers" in i.value for i in app.sidebar.info)
    app.sidebar.radio(key="hb_demand").set_value("registered").run()
    assert not app.exception
    assert any("Real catchments" in c.value for c in app.caption)
    before = {m.label: m for m in app.metric}["Registered patients"]
    assert not before.delta
    app.sidebar.checkbox(key="hb_need").check().run()
    assert not app.exception
    after = {m.label: m for m in app.metric}["Registered patients"]
    # the list is what it was; the need-weighted demand is given beside it
    assert after.value == before.value and "weighted by need" in after.delta
    assert after.delta.split()[0] != before.value and any("need index" in c.value for c in app.caption)
