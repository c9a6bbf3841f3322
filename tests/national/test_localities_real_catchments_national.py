"""Localities on 71E: the territory says it follows real registrations, and the payments table is shown."""

from __future__ import annotations

import pytest

from tests.cases import LINCOLNSHIRE, choose_area

pytestmark = pytest.mark.national


def test_71e_localities_say_real_catchments_and_show_payments(open_national_page):
    app = open_national_page("pages/localities.py")
    choose_area(app, *LINCOLNSHIRE)
    assert not app.exception
    assert any(c.value.startswith("**Territory:** Real catchments") for c in app.caption)
    labels = [e.label for e in app.expander]
    assert any(lbl.startswith("NHS payments the groups already receive (2022-23)") and "81 of 81" in lbl
               for lbl in labels)
