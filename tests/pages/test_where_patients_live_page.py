"""Overview on the small store (no patients-by-LSOA file): the catchment is modelled, and says so."""

from __future__ import annotations


def test_modelled_catchment_is_labelled_modelled(open_page):
    app = open_page()
    assert not app.exception
    box = app.selectbox(key="ov_live_practice")
    box.set_value("K81010").run()
    assert not app.exception
    assert any("Modelled catchment" in w.value for w in app.warning)
    assert not any("Real catchment" in c.value for c in app.caption)
    assert {m.label for m in app.metric} >= {"Residents (modelled)", "Within 5 km of its sites"}
    shares = [m.value for m in app.metric if m.label.startswith("Within")]
    assert all(v.endswith("%") for v in shares) and int(shares[-1][:-1]) >= int(shares[0][:-1])
