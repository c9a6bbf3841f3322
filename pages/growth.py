"""Growth: an area's list trends, and housing trajectories uploaded, previewed and saved (or refused by row)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from locality.errors import TrajectoryError
from locality.growth.labels import lists_text, rate_text
from locality.outputs.safe_text import markdown_text
from locality.sources import housing
from locality.store import userdata
from locality.ui import data
from locality.ui.area import select_area
from locality.ui.boot import through_app
from locality.ui.planning import TREND_CONTAINS_BUILDING
from locality.ui.provenance import show_provenance

through_app()
area = select_area()
st.title(f"Growth · {area.label}")
area_t, england_t, eds = data.area_growth(area.area_type, area.code)
c = st.columns(3)
c[0].metric("Registered patients today", f"{area_t.now:,.0f}")
c[1].metric("Observed growth a year (this area)", rate_text(area_t.rate))
c[2].metric("Observed growth a year (England)", rate_text(england_t.rate))
st.caption(f"This area at each edition: {lists_text(area_t)}. England: {lists_text(england_t)}. "
           f"Counted: {area_t.basis}. {TREND_CONTAINS_BUILDING}")

st.subheader("Housing trajectories")
st.markdown("Homes to be built, site by site: used on Localities and Hubs & estates when demand at the planning year "
            "includes housing growth.")
st.download_button("Download the trajectory template (CSV)", housing.template_csv(), "housing_trajectory_template.csv",
                   "text/csv")
st.dataframe(housing.template_help(), hide_index=True, width="stretch")
if "gr_saved" in st.session_state:
    st.success(st.session_state.pop("gr_saved"))
up = st.file_uploader("Trajectory (.csv or .xlsx)", type=["csv", "xlsx"], key="gr_upload")
if up is not None:
    raw = up.getvalue()
    try:
        checked = housing.read_trajectory(raw, up.name, data.connection().cursor())
    except TrajectoryError as exc:
        st.error(f"{exc.file} was not saved: {len(exc.problems)} problem(s). Nothing was stored.")
        st.dataframe(pd.DataFrame([vars(p) for p in exc.problems]).dropna(axis=1, how="all"), hide_index=True,
                     width="stretch")
    else:
        per_site = checked.groupby(["site_ref", "site_name", "status", "postcode"], dropna=False).agg(
            dwellings=("dwellings", "sum"), first_year=("year", "min"), last_year=("year", "max")).reset_index()
        st.success(f"{len(per_site)} site(s), {checked['dwellings'].sum():,.0f} homes checked. Preview:")
        for note in checked.attrs.get("notes", []):
            st.caption(note)
        st.dataframe(per_site, hide_index=True, width="stretch")
        with st.expander("Homes by year"):
            st.dataframe(checked.pivot_table(index="site_ref", columns="year", values="dwellings", aggfunc="sum"),
                         width="stretch")
        name = st.text_input("Save as", value=up.name.rsplit(".", 1)[0], key="gr_name")
        if st.button("Save trajectory (replaces one of the same name)", type="primary", key="gr_save"):
            userdata.save_trajectory(name, checked, up.name, raw)
            st.session_state["gr_saved"] = (f"Saved trajectory **{markdown_text(name)}** ({len(per_site)} sites, "
                                            f"{checked['dwellings'].sum():,.0f} homes).")
            st.rerun()
saved = userdata.trajectories()
if len(saved):
    st.markdown("**Saved trajectories**")
    st.dataframe(saved, hide_index=True, width="stretch")
show_provenance()
