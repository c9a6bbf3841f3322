"""The future: list trends from the published editions, and projections to a planning year.

:mod:`~locality.growth.trend` holds the arithmetic (compound growth between extract dates, projection,
the year a list leaves a band); :mod:`~locality.growth.lists` applies it to practices, groups and areas;
:mod:`~locality.growth.area` reads an area's editions from the store; :mod:`~locality.growth.labels`
words them.
"""

from locality.growth.lists import area_trend, edition_dates, group_trend, group_trends, practice_trends
from locality.growth.trend import Trend, compound_rate, crossing_year, method_text, projection_date, years_between

__all__ = [
    "Trend",
    "area_trend",
    "compound_rate",
    "crossing_year",
    "edition_dates",
    "group_trend",
    "group_trends",
    "method_text",
    "practice_trends",
    "projection_date",
    "years_between",
]
