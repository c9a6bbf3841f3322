"""Scenario widgets shared by the pages: the save form, and cached runs of saved scenarios."""

from __future__ import annotations

import json
from collections.abc import Callable

import streamlit as st
from streamlit_folium import st_folium

from locality import maps, scenarios, store, userdata
from locality.errors import LocalityError
from locality.scenarios import ScenarioRun
from locality.ui import data
from locality.ui.legend import show_legends


@st.cache_data(show_spinner="Re-running the scenario…", max_entries=16)
def run_document(doc_json: str) -> ScenarioRun:
    """Run a scenario document on the store (cached on the document's text)."""
    return scenarios.run_scenario(data.connection().cursor(), json.loads(doc_json))


def run_saved(name: str) -> ScenarioRun:
    """Re-run a saved scenario (cached while its saved document is unchanged)."""
    doc = userdata.load_scenario(name)
    doc.pop("saved_at", None)
    return run_document(json.dumps(doc, sort_keys=True))


def save_form(key: str, default_name: str, make_document: Callable[[str, str], dict], merge_into: bool = False,
              intro: str = "") -> None:
    """A small form that saves a scenario.

    Parameters
    ----------
    key : str
        Widget-key prefix (one form per page).
    default_name : str
        Suggested name.
    make_document : callable
        ``(name, description) -> document`` with results; called only on submit. With
        ``merge_into``, it is called as ``(name, description)`` where ``name`` may be an existing
        scenario to add to (the callable decides how).
    merge_into : bool
        Offer "add to an existing scenario" as well as "a new scenario".
    """
    saved = list(userdata.scenarios()["name"])
    if st.session_state.get(f"{key}_default") != default_name:  # new results: suggest their name
        st.session_state[f"{key}_default"] = st.session_state[f"{key}_name"] = default_name
    with st.form(f"{key}_save_form"):
        if intro:
            st.caption(intro)
        target = "new"
        if merge_into and saved:
            target = st.radio("Save into", ["new", "existing"], horizontal=True, key=f"{key}_target",
                              format_func={"new": "a new scenario", "existing": "an existing scenario"}.get)
        existing = st.selectbox("Existing scenario (when saving into one)", saved, key=f"{key}_existing") if merge_into and saved else None
        name = st.text_input("Scenario name", key=f"{key}_name", max_chars=120)
        description = st.text_area("One or two sentences for colleagues and the board", key=f"{key}_desc",
                                   height=80)
        replace = st.checkbox("Replace a saved scenario of the same name", key=f"{key}_replace")
        go = st.form_submit_button("Save scenario", type="primary")
    if not go:
        return
    into = existing if target == "existing" else None
    label = into or name.strip()
    if not label:
        st.error("Give the scenario a name.")
        return
    try:
        with st.spinner("Saving…"):
            doc = make_document(label, description)
            userdata.save_scenario(doc, replace=replace or into is not None)
    except LocalityError as exc:
        st.error(str(exc))
        return
    st.success(f"Saved scenario **{label}**. Open it, compare it or export a board pack on the Scenarios page.")


def scenario_map(run: ScenarioRun, view: str, key: str, height: int = 460, legend: str = "expander",
                 width_px: int = 560) -> None:
    """Draw a scenario's groups (``view="proposal"``), today's PCNs (``"today"``) or its site option (``"sites"``).

    ``legend`` is ``"expander"`` (below the map, folded) or ``"none"``.
    """
    if view in ("proposal", "today") and run.grouping is not None:
        g = run.grouping
        geo = data.area(g.area_code)
        mp, legends = maps.grouping_map(g, data.practices(g.area_type, g.area_code), geo["geom_web"], g.area_name,
                                        view, height, width_px)
    elif run.chosen is not None:
        geoms = store.lsoa_web_geometries(data.connection().cursor(), list(run.instance.demand["lsoa21_code"]))
        mp, legends = maps.site_option_map(run.instance, list(run.chosen["kept"]), geoms, height, width_px)
    else:
        st.caption("Nothing to map.")
        return
    st_folium(mp, height=height, use_container_width=True, returned_objects=[], key=key)
    if legend == "expander":
        with st.expander("Legend"):
            show_legends(legends)
