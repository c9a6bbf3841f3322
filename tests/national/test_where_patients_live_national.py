"""Overview: "Where do this practice's patients live?", real in Lincolnshire (71E), modelled elsewhere."""

from __future__ import annotations

import pytest

from locality import store
from locality.demand.where_they_live import where_patients_live
from tests.pages.test_overview_page import walk_down

pytestmark = pytest.mark.national


def test_real_catchment_of_a_lincoln_practice(national_con):
    if store.info(national_con)["registered_by_lsoa_practices"] == 0:
        pytest.skip("the store was built without the registered-by-LSOA file")
    living = where_patients_live(national_con, ["C83001"])
    reg = store.registrations(national_con, ["C83001"])
    assert living.method == "registered" and living.total == pytest.approx(reg["patients"].sum())
    assert living.lsoas["share"].sum() == pytest.approx(1.0)
    w = living.within
    assert 0 < w[1] <= w[2] <= w[5] <= 1
    # the shares are of patients by distance: recompute one
    assert w[2] == pytest.approx(living.lsoas.loc[living.lsoas["distance_km"] <= 2, "share"].sum())
    nb = living.neighbours
    assert "C83001" not in set(nb["practice_code"]) and len(nb) > 5
    assert nb["patients"].is_monotonic_decreasing


def test_modelled_catchment_where_no_file(national_con):
    living = where_patients_live(national_con, ["K81010"])  # East Berkshire: no LSOA file
    assert living.method == "modelled" and "Modelled" in living.provenance
    assert living.neighbours.empty and living.total > 0


def test_overview_section_says_which(open_national_page):
    app = open_national_page()
    walk_down(app, "Y60", "QJM", "Lincolnshire", "71E")
    app.selectbox(key="ov_live_practice").set_value("C83001").run()
    assert not app.exception
    labels = {m.label for m in app.metric}
    assert {"Within 1 km of its sites", "Within 2 km of its sites", "Within 5 km of its sites"} <= labels
    assert any("Real catchment" in c.value for c in app.caption)
    assert any("Neighbouring practices" in m.value for m in app.markdown)
    app.radio(key="ov_live_by").set_value("a PCN").run()
    assert not app.exception and any("Real catchment" in c.value for c in app.caption)
