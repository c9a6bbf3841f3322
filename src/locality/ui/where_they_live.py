"""The Overview's "Where do this practice's patients live?" section (Streamlit layout only)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from locality.demand.where_they_live import WITHIN_KM, where_patients_live
from locality.errors import LocalityError
from locality.outputs.catchment_map import patients_map
from locality.ui import data
from locality.ui.legend import show_legends


@st.cache_data(show_spinner=False, max_entries=32)
def _living(codes: tuple[str, ...]):
    return where_patients_live(data.connection().cursor(), list(codes))


def show_where_patients_live(practices: pd.DataFrame) -> None:
    """Lay out the section for one practice or PCN of ``practices`` (the area's practices)."""
    st.subheader("Where do this practice's patients live?")
    pcns = practices.drop_duplicates("pcn_code").set_index("pcn_code")["pcn_name"].sort_values()
    names = dict(zip(practices["practice_code"], practices["practice_name"], strict=True))
    c1, c2 = st.columns([1, 2])
    by = c1.radio("For", ["a practice", "a PCN"], horizontal=True, key="ov_live_by")
    if by == "a PCN":
        pcn = c2.selectbox("PCN", list(pcns.index), format_func=lambda p: f"{pcns[p]} ({p})", key="ov_live_pcn")
        chosen = practices[practices["pcn_code"] == pcn]
    else:
        code = c2.selectbox("Practice", sorted(names), format_func=lambda c: f"{names[c]} ({c})", key="ov_live_practice")
        chosen = practices[practices["practice_code"] == code]
    try:
        living = _living(tuple(sorted(chosen["practice_code"])))
    except LocalityError as exc:
        st.error(str(exc))
        return
    if living.method == "registered":
        st.caption(f"**Real catchment.** {living.provenance}. {living.unplaced:,} registered patient(s) live where "
                   "no English LSOA holds them (Wales, Scotland, Northern Ireland or no usable postcode).")
    else:
        st.warning("**Modelled catchment**: NHS England's patients-by-LSOA file does not cover these practices, so "
                   "this is the modelled catchment (the LSOAs nearest to their sites, with Census 2021 residents), "
                   "not where their patients really live. Drop in the national file to see the real one.")
    m = st.columns(len(WITHIN_KM) + 1)
    m[0].metric("Registered patients placed" if living.method == "registered" else "Residents (modelled)",
                f"{living.total:,.0f}")
    for i, km in enumerate(WITHIN_KM, start=1):
        m[i].metric(f"Within {km} km of its sites", f"{100 * living.within[km]:.0f}%")
    fm, legends = patients_map(living, data.lsoa_geometries(tuple(living.lsoas["lsoa21_code"])), chosen)
    left, right = st.columns([3, 1])
    with left:
        st_folium(fm, height=480, use_container_width=True, returned_objects=[], key="ov_live_map")
    with right:
        show_legends(legends, note="Straight-line distance from each LSOA's centre to the nearest of the sites.")
    if living.method == "registered":
        st.markdown("**Neighbouring practices with patients in the same LSOAs**")
        st.dataframe(living.neighbours.head(15), hide_index=True, width="stretch", column_config={
            "practice_code": "ODS code", "practice_name": "Practice",
            "patients": st.column_config.NumberColumn("Their patients in these LSOAs", format="localized"),
            "lsoas": "LSOAs shared"})
