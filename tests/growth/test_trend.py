"""Growth arithmetic: compound rates between extract dates, projections, the year a list leaves a band."""

from __future__ import annotations

import pandas as pd
import pytest

from locality.growth import compound_rate, crossing_year, group_trend, group_trends, practice_trends, years_between
from locality.growth.trend import HORIZON_YEARS, trend_of

JAN21, MAY25, JUL26 = pd.Timestamp("2021-01-01"), pd.Timestamp("2025-05-01"), pd.Timestamp("2026-07-01")
DATES = [JAN21, MAY25, JUL26]


def test_compound_rate_by_hand():
    years = years_between(JAN21, JUL26)
    assert years == pytest.approx(2007 / 365.25)
    # England: 60,606,345 (Jan 2021) to 63,436,508 (Jul 2026)
    r = compound_rate(60_606_345, 63_436_508, years)
    assert r == pytest.approx((63_436_508 / 60_606_345) ** (365.25 / 2007) - 1)
    assert 0.0083 < r < 0.0084
    assert compound_rate(100, 0, 3) is None and compound_rate(100, 110, 0.2) is None


def test_projection_and_crossing():
    t = trend_of(pd.Series({JAN21: 40_000.0, JUL26: 44_000.0}), JUL26, "test")
    assert t.rate == pytest.approx((1.1) ** (1 / years_between(JAN21, JUL26)) - 1)
    assert t.at(2026) == pytest.approx(44_000)
    assert t.at(2031) == pytest.approx(44_000 * (1 + t.rate) ** (1826 / 365.25), rel=1e-9)  # 1 Jul 2026 to 1 Jul 2031
    year = t.leaves_band(30_000, 50_000)
    # 44,000 × (1 + r)^y = 50,000
    import math
    y = math.log(50_000 / 44_000) / math.log(1 + t.rate)
    cross = JUL26 + pd.Timedelta(days=y * 365.25)
    assert year == (cross.year if cross <= pd.Timestamp(year=cross.year, month=7, day=1) else cross.year + 1)
    assert t.at(year) > 50_000 and t.at(year - 1) <= 50_000  # the first 1 July outside the band
    assert "leaves the band (above) in about" in t.describe(30_000, 50_000)
    assert crossing_year(55_000, 0.02, JUL26, 30_000, 50_000) is None  # already outside
    assert crossing_year(40_000, 0.0001, JUL26, 30_000, 50_000) is None  # not within the horizon
    assert crossing_year(31_000, -0.01, JUL26, 30_000, 50_000) == 2030  # below after 3.26 y (Oct 2029)
    assert f"stays in the band to {2026 + HORIZON_YEARS}" in trend_of(
        pd.Series({JAN21: 40_000.0, JUL26: 40_010.0}), JUL26, "x").describe(30_000, 50_000)


def _frames():
    lists = pd.DataFrame([
        (JAN21, "A1", 10_000), (MAY25, "A1", 11_000), (JUL26, "A1", 11_500),
        (JAN21, "A2", 20_000), (MAY25, "A2", 20_500), (JUL26, "A2", 21_000),
        (MAY25, "A3", 3_000), (JUL26, "A3", 4_000),  # opened 2023
        (JAN21, "A4", 5_000),  # closed 2022
    ], columns=["extract_date", "practice_code", "patients"])
    history = pd.DataFrame({
        "practice_code": ["A1", "A2", "A3", "A4"], "practice_name": ["One", "Two", "Three", "Four"],
        "open_date": [pd.NaT, pd.NaT, pd.Timestamp("2023-04-01"), pd.NaT],
        "close_date": [pd.NaT, pd.NaT, pd.NaT, pd.Timestamp("2022-03-31")],
    })
    return lists, history


def test_practices_missing_from_editions_are_listed_with_ods_reasons():
    lists, history = _frames()
    p = practice_trends(lists, history, DATES).set_index("practice_code")
    assert p.loc["A1", "note"] == "in every edition"
    assert p.loc["A3", "note"] == "not in Jan 2021 (opened 01 Apr 2023, ODS)"
    assert p.loc["A4", "note"] == "not in May 2025 (closed 31 Mar 2022, ODS); not in Jul 2026 (closed 31 Mar 2022, ODS)"
    assert p.loc["A3", "rate"] == pytest.approx((4 / 3) ** (1 / years_between(MAY25, JUL26)) - 1)
    assert p["rate"].isna().loc["A4"]  # one edition: no rate, and not filled in
    assert p.loc["A1", "list_2025_05"] == 11_000 and pd.isna(p.loc["A4", "list_2026_07"])


def test_group_growth_is_like_for_like():
    lists, history = _frames()
    t = group_trend(lists, ["A1", "A2", "A3"], DATES)
    assert t.now == 36_500  # every member today
    assert t.lists[JAN21] == 30_000 and t.lists[MAY25] == 34_500
    # the rate leaves out A3, which opened in between: (11,500 + 21,000) / 30,000
    assert t.rate == pytest.approx((32_500 / 30_000) ** (1 / years_between(JAN21, JUL26)) - 1)
    assert t.basis == "2 of 3 practices, in both Jan 2021 and Jul 2026"
    many = group_trends(lists, history, pd.Series({"A1": "G", "A2": "G", "A3": "G", "A4": "H"}), DATES,
                        30_000, 50_000, year=2030).set_index("group")
    assert many.loc["G", "rate"] == pytest.approx(t.rate) and many.loc["G", "now"] == 36_500
    assert many.loc["G", "at_year"] == pytest.approx(t.at(2030))
    assert "A3: not in Jan 2021 (opened 01 Apr 2023, ODS)" in many.loc["G", "not_in_every_edition"]
    assert many.loc["H", "now"] == 0 and pd.isna(many.loc["H", "rate"])
