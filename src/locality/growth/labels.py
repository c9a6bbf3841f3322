"""One wording of list trends and projections for the pages, the CLI and the board pack."""

from __future__ import annotations

import pandas as pd

from locality.growth.trend import Trend, method_text


def rate_text(rate: float | None) -> str:
    """Return "+0.9% a year", or "no trend" when the rate could not be measured."""
    return "no trend" if rate is None or rate != rate else f"{rate * 100:+.1f}% a year"


def lists_text(trend: Trend) -> str:
    """Return the list at each edition: "473,647 (Jan 2021), 502,392 (May 2025), 497,911 (Jul 2026)"."""
    return ", ".join(f"{v:,.0f} ({pd.Timestamp(d):%b %Y})" for d, v in sorted(trend.lists.items()))


def trend_caption(area: Trend, england: Trend, editions: list[pd.Timestamp]) -> str:
    """Return the caption under a PCN trend table: the area's and England's growth, and the method."""
    return (f"Registered patients counted in this area: {lists_text(area)}: {rate_text(area.rate)} "
            f"(England {rate_text(england.rate)}). Practices closed since an edition count in the area of their "
            f"last postcode. Observed PCN growth is like for like (members in both the first and latest editions); the "
            f"trend and the year a PCN leaves the band are the projection's. {method_text(editions)}")


def capacity_text(option: dict) -> str:
    """Return "capacity runs out in 2031", "over capacity today" or "within capacity for 25 years"."""
    from locality.growth.trend import HORIZON_YEARS

    if option.get("busiest_site_use_at_year") is None:
        return "no capacity figure"
    if option.get("over_capacity_today"):
        return "over capacity today"
    runs = option.get("capacity_runs_out")
    return f"capacity runs out in {runs}" if runs else f"within capacity for {HORIZON_YEARS} years"
