"""An area's list trends read from the store: the area, England, and today's PCNs (whole, as in the Overview)."""

from __future__ import annotations

import duckdb
import pandas as pd

from locality import store
from locality.growth.housing import new_residents
from locality.growth.lists import area_trend, edition_dates, group_trends
from locality.growth.planning import PlanningYear, ProjectedLists, group_outlook, project_lists
from locality.growth.trend import Trend, compound_rate, years_between
from locality.vocabulary import PCN_BAND, PLACEHOLDER_PCN


def editions(con: duckdb.DuckDBPyConnection) -> list[pd.Timestamp]:
    """Return the extract dates of the list editions in the store, oldest first."""
    return edition_dates(pd.DataFrame(), store.list_editions(con))


def area_growth(con: duckdb.DuckDBPyConnection, area_type: str | None = None, code: str | None = None) -> Trend:
    """Return the list trend of an area (every practice counted there at each edition); England with no area."""
    lists, _ = store.area_list_history(con, area_type, code)
    return area_trend(lists, editions(con))


def pcn_trends(con: duckdb.DuckDBPyConnection, pcn_codes: list[str], floor: float = PCN_BAND[0],
               ceiling: float = PCN_BAND[1], year: int | None = None) -> pd.DataFrame:
    """Return the trend of each of today's PCNs, whole (every member practice, wherever it is).

    The placeholder "Unallocated" is left out: it is not a network. ``observed_rate`` is the PCN's own
    like-for-like growth between the editions (with ``basis`` and ``not_in_every_edition``); ``rate`` and
    ``trend`` are the projection's: its members at their local authorities' trends (weighted by list), and
    the year the PCN's projected total leaves the band (``leaves_band_year``). With ``year``, also
    ``at_year`` and ``status_at_year``.
    """
    wanted = [c for c in pcn_codes if c != PLACEHOLDER_PCN]
    every = store.all_practices(con)
    mine = every[every["pcn_code"].isin(wanted)]
    membership = pd.Series(mine["pcn_code"].to_numpy(), index=mine["practice_code"].to_numpy())
    lists, hist = store.practice_list_history(con, membership.index)
    eds = editions(con)
    out = group_trends(lists, hist, membership, eds, floor, ceiling, year)
    out = out.rename(columns={"group": "pcn_code", "rate": "observed_rate", "leaves_band_year": "observed_leaves",
                              "trend": "observed_trend"})
    plan = PlanningYear(year if year is not None else max(eds).year)
    proj = projected_lists(con, mine, plan)
    look = group_outlook(mine.rename(columns={"pcn_code": "group"}), proj, floor, ceiling).set_index("group")
    t = proj.table.assign(group=proj.table["practice_code"].map(membership))
    w = t["patients"].clip(lower=0)
    rate = (t["rate"] * w).groupby(t["group"]).sum() / w.groupby(t["group"]).sum()
    out["rate"] = out["pcn_code"].map(rate)
    out["leaves_band_year"] = out["pcn_code"].map(look["year_leaves_band"]).astype("Int64")
    out["trend"] = [trend_sentence(n, r, y, floor <= n <= ceiling, max(eds).year)
                    for n, r, y in zip(out["now"], out["rate"], out["leaves_band_year"], strict=True)]
    if year is not None:
        out["at_year"] = out["pcn_code"].map(look["patients_at_year"])
        out["status_at_year"] = out["pcn_code"].map(look["status_at_year"])
    return out


def trend_sentence(now: float, rate: float | None, leaves: int | None, within: bool, first_year: int) -> str:
    """Return "41,200 now, +2.1% a year: leaves the band (above) in about 2030" (the projection's wording)."""
    from locality.growth.trend import HORIZON_YEARS

    if rate is None or rate != rate:
        return f"{now:,.0f} now, no trend"
    text = f"{now:,.0f} now, {rate * 100:+.1f}% a year"
    if not within:
        return text
    if leaves is None or leaves is pd.NA:
        return f"{text}: stays in the band to {first_year + HORIZON_YEARS}"
    return f"{text}: leaves the band ({'above' if rate > 0 else 'below'}) in about {leaves}"


def local_rates(con: duckdb.DuckDBPyConnection) -> tuple[pd.Series, float | None]:
    """Return each local authority's list growth (code → compound annual rate) and England's."""
    eds = editions(con)
    tot = store.area_list_totals(con, "lad")
    wide = tot.pivot(index="code", columns="extract_date", values="patients").reindex(columns=eds)
    if len(eds) < 2:
        return pd.Series(dtype=float), None
    span = years_between(eds[0], eds[-1])
    rates = {c: compound_rate(float(r.iloc[0]), float(r.iloc[-1]), span) for c, r in wide.iterrows()}
    series = pd.Series({c: v for c, v in rates.items() if v is not None}, dtype=float)
    return series, area_growth(con).rate


def projected_lists(con: duckdb.DuckDBPyConnection, practices: pd.DataFrame, plan: PlanningYear) -> ProjectedLists:
    """Project some practices' lists (the store's practice columns) to a planning year, from the store."""
    rates, england = local_rates(con)
    eds = editions(con)
    sites = None
    if plan.with_housing and plan.housing is not None:
        sites = locate_sites(con, new_residents(plan.housing, max(eds).year, plan.year))
    return project_lists(practices, rates, england, eds, plan, sites)


def locate_sites(con: duckdb.DuckDBPyConnection, sites: pd.DataFrame) -> pd.DataFrame:
    """Return housing sites (``easting, northing``) with ``lsoa21_code``: the LSOA 2021 holding each."""
    import shapely

    out = sites.copy()
    codes: list[str | None] = []
    for r in out.itertuples():
        near = store.lsoas_within(con, r.easting - 5_000, r.northing - 5_000, r.easting + 5_000, r.northing + 5_000)
        geoms = store.lsoa_web_geometries(con, list(near["lsoa21_code"]), bng=True)
        pt = shapely.Point(r.easting, r.northing)
        hit = [c for c, g in zip(geoms["lsoa21_code"], geoms["geom_bng"], strict=True)
               if shapely.from_wkb(g).covers(pt)]
        codes.append(hit[0] if hit else None)
    out["lsoa21_code"] = codes
    return out
