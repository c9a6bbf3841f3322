"""The planning-year controls of Localities and Hubs & estates, and how a result read at a year is shown."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from locality.errors import AssumptionError, SitesError
from locality.growth.housing import PEOPLE_PER_HOME, Housing, PeoplePerHome
from locality.growth.labels import capacity_text
from locality.growth.need import PATIENTS_PER_GP, GpNeed
from locality.growth.planning import DEMAND_AT, MAX_YEARS_AHEAD, PlanningYear
from locality.sites.new_build import NewBuild
from locality.ui import data
from locality.ui.keep import kept

#: What the page says about trend and housing (so they are not double-counted silently).
TREND_CONTAINS_BUILDING = ("The observed trend already contains the homes built between the editions: a housing "
                           "trajectory added on top counts only homes beyond that trend.")


def edition_year() -> int:
    """Return the year of today's lists (the earliest planning year)."""
    return pd.Timestamp(data.meta()["extract_date"]).year


def planning_controls(prefix: str) -> tuple[PlanningYear | None, bool]:
    """Draw the planning-year controls (in the sidebar) and return the plan (None for today) and "group for it".

    Parameters
    ----------
    prefix : str
        The page's widget-key prefix (``lc``, ``hb``).
    """
    first = edition_year()
    with st.sidebar.expander("Planning year", expanded=False):
        year = st.number_input("Plan for the year", first, first + MAX_YEARS_AHEAD,
                               help="Results are read at 1 July of this year (a projection). This year: today's lists.",
                               **kept(f"{prefix}_year", value=max(first, dt.date.today().year)))
        growth = st.radio("Demand at that year", list(DEMAND_AT), format_func=lambda k: DEMAND_AT[k].capitalize(),
                          **kept(f"{prefix}_growth", list(DEMAND_AT), index=1))
        for_year = st.checkbox("Group for that year's lists", help="Make the groups on the projected lists (the "
                               "default groups today's lists and reads them at the year).",
                               **kept(f"{prefix}_for_year", value=False)) if prefix == "lc" else False
        housing = housing_input(prefix) if growth in ("housing", "both") else None
        ppg = st.number_input("Patients per full-time GP", 500, 5_000, step=50,
                              **kept(f"{prefix}_ppg", value=int(PATIENTS_PER_GP)))
        source = st.text_input("Its source (needed when you change it)", **kept(f"{prefix}_ppg_src", value=""))
        st.caption(TREND_CONTAINS_BUILDING)
    try:
        need = GpNeed() if ppg == PATIENTS_PER_GP else GpNeed(float(ppg), source)
    except AssumptionError as exc:
        st.sidebar.error(str(exc))
        need = GpNeed()
    if growth in ("housing", "both") and housing is None:
        st.sidebar.warning("Demand with housing growth needs a saved trajectory (upload one on the Growth page): "
                           "reading the year with the trend alone.")
        growth = "trend" if growth == "both" else "today"
    if int(year) <= first and not for_year and housing is None:
        return None, False
    return PlanningYear(int(year), growth, need, housing), bool(for_year)


def housing_input(prefix: str) -> Housing | None:
    """Choose a saved housing trajectory and people per home (with a source when changed)."""
    from locality.store import userdata

    saved = list(userdata.trajectories()["trajectory"])
    if not saved:
        return None
    name = st.selectbox("Housing trajectory", saved, **kept(f"{prefix}_housing", saved, index=0))
    pph = st.number_input("People per home", 1.0, 6.0, step=0.1, format="%.2f",
                          **kept(f"{prefix}_pph", value=PEOPLE_PER_HOME))
    src = st.text_input("Its source (needed when you change it)", **kept(f"{prefix}_pph_src", value=""))
    illustrative = st.checkbox("This trajectory is illustrative (not a real plan)",
                               **kept(f"{prefix}_illustrative", value=False))
    try:
        people = PeoplePerHome() if abs(pph - PEOPLE_PER_HOME) < 1e-9 else PeoplePerHome(float(pph), src)
    except AssumptionError as exc:
        st.error(str(exc))
        people = PeoplePerHome()
    return Housing.from_frame(name, userdata.load_trajectory(name), people, illustrative)


def show_group_outlook(outlook: pd.DataFrame, method: str, need_label: str, year: int, for_year: bool) -> None:
    """Lay out a grouping read at a planning year: the groups that leave the band, and each group now and then."""
    leaving = outlook[outlook["leaves_band"]]
    st.subheader(f"At {year} (projection)")
    st.markdown(f"**{len(leaving)}** of {len(outlook)} groups within the band today are outside it by 1 July {year}"
                + (f": {', '.join(leaving['group'])}." if len(leaving) else "."))
    st.dataframe(outlook, hide_index=True, width="stretch", column_config={
        "group": "Group",
        "patients_now": st.column_config.NumberColumn("Patients today", format="localized"),
        "status_now": "Today",
        "patients_at_year": st.column_config.NumberColumn(f"Patients {year} (projection)", format="%.0f"),
        "status_at_year": f"{year} (projection)", "leaves_band": "Leaves the band",
        "change": st.column_config.NumberColumn("Change", format="%+.0f"),
        "housing_residents": st.column_config.NumberColumn("From housing (projection)", format="%.0f"),
        "gp_from_housing": st.column_config.NumberColumn("Extra GPs from housing alone (FTE)", format="%.1f"),
        "gp_now": st.column_config.NumberColumn("GP need today (FTE)", format="%.1f"),
        "gp_at_year": st.column_config.NumberColumn(f"GP need {year} (FTE)", format="%.1f"),
        "year_leaves_band": st.column_config.NumberColumn("Leaves the band in", format="%d"),
    })
    st.caption(("Grouped on the year's projected lists. " if for_year else "Grouped on today's lists, read at the "
                "year. ") + f"{method} {need_label}.")


def show_options_outlook(rows: list[dict], method: str, need_label: str, year: int) -> None:
    """Lay out each site option's capacity over time and GP need at a planning year."""
    table = pd.DataFrame([{**r, "capacity": capacity_text(r)} for r in rows])
    st.markdown(f"**At {year} (projection)**: when each option's capacity runs out, and GP need.")
    st.dataframe(table[["k", "busiest_site_use_at_year", "capacity", "gp_now", "gp_at_year"]], hide_index=True,
                 width="stretch", column_config={
                     "k": "Sites kept",
                     "busiest_site_use_at_year": st.column_config.NumberColumn(f"Busiest site's use {year} (%)",
                                                                               format="%.0f"),
                     "capacity": "Capacity", "gp_now": st.column_config.NumberColumn("GP need today (FTE)", format="%.1f"),
                     "gp_at_year": st.column_config.NumberColumn(f"GP need {year} (FTE)", format="%.1f")})
    st.caption(f"{method} {need_label}. Loads grow as the practices' total list does.")


def new_build_input(prefix: str) -> tuple[NewBuild, ...]:
    """Draw the new-build candidate inputs (a Section 106 hub that does not exist yet) and return the candidate."""
    with st.sidebar.expander("New-build candidate (Section 106)", expanded=False):
        on = st.checkbox("Add a new-build candidate", **kept(f"{prefix}_nb_on", value=False),
                         help="A site that does not exist yet competes with today's premises in every option.")
        if not on:
            return ()
        name = st.text_input("Name", **kept(f"{prefix}_nb_name", value="New-build hub"))
        postcode = st.text_input("Postcode", **kept(f"{prefix}_nb_postcode", value=""))
        gia = st.number_input("Floor area (m², estimate)", 1.0, 30_000.0, **kept(f"{prefix}_nb_gia", value=1_000.0))
        rooms = st.number_input("Clinical rooms", 1, 300, **kept(f"{prefix}_nb_rooms", value=12))
        cost = st.number_input("Capital cost (£, estimate)", 0.0, 200_000_000.0, step=100_000.0,
                               **kept(f"{prefix}_nb_cost", value=5_000_000.0))
        source = st.text_input("Source of the area, rooms and cost", **kept(f"{prefix}_nb_source", value=""))
    try:
        from locality.sources.os_codepoint import normalise_postcode

        pc = normalise_postcode(pd.Series([postcode])).iloc[0] if postcode.strip() else None
        return (NewBuild(name, postcode=pc, gia_m2=float(gia), clinical_rooms=int(rooms), cost_gbp=float(cost),
                         source=source),)
    except SitesError as exc:
        st.sidebar.error(str(exc))
        return ()
