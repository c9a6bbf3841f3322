"""The Localities page on an area too large to group on arrival (the South East region): the national store."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.national


@pytest.fixture()
def page(open_national_page):
    return open_national_page("pages/localities.py")


def test_large_area_waits_for_run(page):
    page.sidebar.selectbox(key="w_icb").set_value("__all__").run()  # the whole South East region
    assert not page.exception
    assert any("press **Run grouping**" in i.value for i in page.info)
    assert not page.metric
