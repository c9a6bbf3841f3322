"""List trends: the compound annual growth of registered lists between published editions, and projections.

The growth rate of a list is compound, from the editions' extract dates::

    rate = (list at the latest edition / list at the earliest edition) ** (1 / years between them) - 1

with years counted in days / 365.25. For a practice, the editions are those it is published in. For a
group of practices (a PCN, a proposed group) the rate is **like for like**: the members published in
both the earliest and the latest edition, so a practice that opened in between does not count as growth
(it is listed instead). For an area the rate is on every practice that counts there at each edition,
closed ones included, because their patients registered elsewhere in the area.

A projection to year N carries today's list forward at that rate to 1 July of year N (the month of the
July extracts). It is a projection of the observed trend, not a forecast, and is labelled so everywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

#: Days in a year, for the years between extract dates.
DAYS_PER_YEAR = 365.25
#: How far ahead "leaves the band in about …" looks.
HORIZON_YEARS = 25


def years_between(start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Return the years from ``start`` to ``end`` (days / 365.25; negative when ``end`` is earlier)."""
    return (pd.Timestamp(end) - pd.Timestamp(start)).days / DAYS_PER_YEAR


def compound_rate(first: float, last: float, years: float) -> float | None:
    """Return the compound annual growth rate from ``first`` to ``last`` over ``years``, or None.

    None when it cannot be measured: fewer than 0.5 years apart, or a list of zero or less at either end.
    """
    if years < 0.5 or not first > 0 or not last > 0:
        return None
    return (last / first) ** (1.0 / years) - 1.0


def projection_date(year: int) -> pd.Timestamp:
    """Return the date a projection to ``year`` is made for: 1 July of that year."""
    return pd.Timestamp(year=int(year), month=7, day=1)


@dataclass(frozen=True)
class Trend:
    """One list's observed trend.

    Attributes
    ----------
    lists : dict
        Extract date → registered patients counted at that edition.
    now : float
        The list at the latest edition (all of it, whatever the rate is measured on).
    now_date : Timestamp
        The latest edition's extract date.
    rate : float or None
        Compound annual growth (0.021 = +2.1% a year); None when not measurable.
    start, end : Timestamp or None
        The editions the rate runs between.
    basis : str
        What the rate is measured on (e.g. "4 of 5 practices, in every edition").
    """

    lists: dict
    now: float
    now_date: pd.Timestamp
    rate: float | None
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    basis: str

    def at(self, year: int) -> float:
        """Return the list projected to 1 July of ``year`` (today's list when there is no rate)."""
        if self.rate is None:
            return float(self.now)
        return float(self.now) * (1.0 + self.rate) ** max(0.0, years_between(self.now_date, projection_date(year)))

    def leaves_band(self, floor: float, ceiling: float) -> int | None:
        """Return the year the projected list crosses out of ``floor``–``ceiling``, or None.

        None when it is outside the band now, has no rate, or stays within it for :data:`HORIZON_YEARS`.
        """
        return crossing_year(self.now, self.rate, self.now_date, floor, ceiling)

    def describe(self, floor: float | None = None, ceiling: float | None = None) -> str:
        """Return e.g. "41,200 now, +2.1% a year: leaves the band in about 2030"."""
        text = f"{self.now:,.0f} now, " + ("no trend (too few editions)" if self.rate is None
                                             else f"{self.rate * 100:+.1f}% a year")
        if floor is None or ceiling is None or self.rate is None:
            return text
        if not floor <= self.now <= ceiling:
            return text
        year = self.leaves_band(floor, ceiling)
        if year is None:
            return f"{text}: stays in the band to {self.now_date.year + HORIZON_YEARS}"
        way = "above" if self.rate > 0 else "below"
        return f"{text}: leaves the band ({way}) in about {year}"


def crossing_year(now: float, rate: float | None, now_date: pd.Timestamp, floor: float, ceiling: float) -> int | None:
    """Return the year a list of ``now`` growing at ``rate`` leaves ``floor``–``ceiling``, or None.

    The year is the first whose 1 July projection (:func:`projection_date`) is outside the band, as the
    planning year reads it.

    None when it is outside the band today, has no rate or a zero one, or stays in for :data:`HORIZON_YEARS`.
    """
    if rate is None or rate == 0 or not floor <= now <= ceiling or now <= 0:
        return None
    bound = ceiling if rate > 0 else floor
    if bound <= 0:
        return None
    years = math.log(bound / now) / math.log(1.0 + rate)
    if years > HORIZON_YEARS:
        return None
    when = pd.Timestamp(now_date) + pd.Timedelta(days=years * DAYS_PER_YEAR)
    return int(when.year) if when <= projection_date(when.year) else int(when.year) + 1


def trend_of(lists: pd.Series, now_date: pd.Timestamp, basis: str, now: float | None = None,
             rate_lists: pd.Series | None = None) -> Trend:
    """Build a :class:`Trend` from a list at each edition.

    Parameters
    ----------
    lists : Series
        Extract date → patients (the editions the unit is published in).
    now_date : Timestamp
        The latest edition's extract date.
    basis : str
        What the rate is measured on.
    now : float, optional
        Today's list, when it differs from ``lists`` at ``now_date`` (default: that value, or 0).
    rate_lists : Series, optional
        The lists the rate is measured on (like for like), default ``lists``.
    """
    lists = lists.sort_index()
    rl = (lists if rate_lists is None else rate_lists.sort_index()).dropna()
    rate, start, end = None, None, None
    if len(rl) >= 2:
        start, end = pd.Timestamp(rl.index[0]), pd.Timestamp(rl.index[-1])
        rate = compound_rate(float(rl.iloc[0]), float(rl.iloc[-1]), years_between(start, end))
        if rate is None:
            start = end = None
    if now is None:
        now = float(lists.get(now_date, 0.0))
    return Trend(lists={pd.Timestamp(k): float(v) for k, v in lists.items()}, now=float(now),
                 now_date=pd.Timestamp(now_date), rate=rate, start=start, end=end, basis=basis)


def method_text(editions: list[pd.Timestamp]) -> str:
    """Return the one line that says how a trend projection is made, naming the editions."""
    if len(editions) < 2:
        return ("Projection: no trend (the store holds one edition of the registered lists); demand at a later "
                "year is today's.")
    first, last = min(editions), max(editions)
    return (f"Projection of the observed trend: each practice's list grows at its local authority's compound annual "
            f"growth of registered lists from {first:%B %Y} to {last:%B %Y} (every practice counted there at each "
            f"edition, closed ones too; NHS England, Patients Registered at a GP Practice, {len(editions)} editions), "
            "to 1 July of the year. Not a forecast: the trend already contains the homes built in those years.")
