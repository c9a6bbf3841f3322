"""Scenario widgets shared by the pages: the save form, and cached runs of saved scenarios."""

from __future__ import annotations

import json
from collections.abc import Callable

import streamlit as st
from streamlit_folium import st_folium

from locality import scenarios
from locality.errors import LocalityError
from locality.outputs import maps
from locality.outputs.safe_text import markdown_text
from locality.scenarios import ScenarioRun
from locality.scenarios.format import MAX_DESCRIPTION
from locality.store import userdata
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


def save_form(key: str, default_name: str, make_document: Callable[[str, str, dict | None], dict],
              merge_into: bool = False, intro: str = "", replace_help: str = "", stale: str = "") -> None:
    """Show a small form that saves a scenario, new or into an existing one.

    Parameters
    ----------
    key : str
        Widget-key prefix (one form per page).
    default_name : str
        Suggested name (refreshed when the page's results change).
    make_document : callable
        ``(name, description, existing) -> document`` with results, called only on submit.
        ``existing`` is the saved document being added to or replaced (``None`` for a new name):
        the page keeps the parts it does not own (the Localities page keeps a site option, the
        Hubs page keeps a grouping).
    merge_into : bool
        Offer "an existing scenario" (chosen from a list) as well as "a new scenario".
    intro, replace_help : str
        A caption above the fields; the help of the "Replace" box.
    stale : str
        Why the results on screen no longer match the page's settings; given, saving is refused
        (a scenario would not hold what its settings say).
    """
    if stale:
        st.warning(f"Saving is off until the results match the settings: {stale}")
        return
    saved = list(userdata.scenarios()["name"])
    if st.session_state.pop(f"{key}_saved", None) is not None:  # after a save: untick Replace, say so
        st.session_state[f"{key}_replace"] = False
    if f"{key}_saved_message" in st.session_state:
        st.success(st.session_state.pop(f"{key}_saved_message"))
    if st.session_state.get(f"{key}_default") != default_name:  # new results: suggest their name, clear the text
        st.session_state[f"{key}_default"] = st.session_state[f"{key}_name"] = default_name
        st.session_state[f"{key}_desc"] = ""
    with st.form(f"{key}_save_form"):
        if intro:
            st.caption(intro)
        target, existing = "new", None
        if merge_into and saved:
            target = st.radio("Save into", ["new", "existing"], horizontal=True, key=f"{key}_target",
                              format_func={"new": "a new scenario", "existing": "an existing scenario"}.get)
            existing = st.selectbox("Existing scenario (when saving into one)", saved, key=f"{key}_existing")
        name = st.text_input("Scenario name (for a new scenario)" if merge_into else "Scenario name",
                             key=f"{key}_name", max_chars=userdata.MAX_NAME)
        description = st.text_area("One or two sentences for colleagues and the board", key=f"{key}_desc",
                                   height=80, max_chars=MAX_DESCRIPTION,
                                   help="Left empty, an existing scenario keeps its description.")
        replace = st.checkbox("Replace a saved scenario of the same name", key=f"{key}_replace",
                              help=replace_help or None)
        go = st.form_submit_button("Save scenario", type="primary")
    if not go:
        return
    label = existing if target == "existing" else " ".join(name.split())
    if not label:
        st.error("Give the scenario a name.")
        return
    try:
        previous = userdata.load_scenario(label) if label in saved else None
        if previous is not None and target == "new" and not replace:
            into = ", or save into it as an existing scenario" if merge_into else ""
            raise userdata.UserDataError(f"A scenario named {label!r} already exists: choose another name or tick "
                                         f"Replace{into}.")
        with st.spinner("Saving…"):
            doc = make_document(label, description, previous)
            saved_as = userdata.save_scenario(doc, replace=previous is not None)
    except LocalityError as exc:
        st.error(str(exc))
        return
    st.session_state[f"{key}_saved"] = saved_as
    st.session_state[f"{key}_saved_message"] = (f"Saved scenario **{markdown_text(saved_as)}**. Open it, compare it "
                                                "or export a board pack on the Scenarios page.")
    st.rerun()  # draws the form again with "Replace" unticked, so a later save cannot overwrite unawares


def merged_description(description: str, existing: dict | None) -> str:
    """Return the new description, or the existing scenario's when the new one is left empty."""
    return description.strip() or (existing or {}).get("description", "")


def scenario_map(run: ScenarioRun, view: str, key: str, height: int = 460, legend: str = "expander",
                 width_px: int = 560) -> None:
    """Draw a scenario's groups (``view="proposal"``), its site option (``"sites"``), or today (``"today"``).

    Today is today's PCNs, or every site open for a scenario with site options only.

    ``legend`` is ``"expander"`` (below the map, folded), ``"beside"`` (a column to the map's right,
    every entry, as tall as the map) or ``"none"``.
    """
    if view in ("proposal", "today") and run.grouping is not None:
        g = run.grouping
        geo = data.area(g.area_code)
        mp, legends = maps.grouping_map(g, data.practices(g.area_type, g.area_code), geo["geom_web"], g.area_name,
                                        view, height, width_px)
    elif (view == "sites" and run.chosen is not None) or (view == "today" and run.sites is not None):
        kept = list(run.chosen["kept"]) if view == "sites" else list(run.sites.sites["site_id"])
        geoms = data.lsoa_geometries(tuple(run.sites.demand.points["lsoa21_code"])) \
            if run.sites.demand.kind == "residents" else None
        mp, legends = maps.site_option_map(run.sites, kept, geoms, height, width_px)
    else:
        st.caption("Nothing to map.")
        return
    if legend == "beside":
        left, right = st.columns([5, 1])
        with left:
            st_folium(mp, height=height, use_container_width=True, returned_objects=[], key=key)
        with right:
            show_legends(legends, max_height_px=height - 40)
        return
    st_folium(mp, height=height, use_container_width=True, returned_objects=[], key=key)
    if legend == "expander":
        with st.expander("Legend"):
            show_legends(legends)
