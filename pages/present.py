"""Presentation mode: one saved scenario on a projector — a full-width map, a few large figures, small print."""

from __future__ import annotations

import html

import streamlit as st

from locality import scenarios
from locality.errors import LocalityError
from locality.settings import attribution_statements
from locality.sites.labels import assumption_rows
from locality.store import userdata
from locality.ui.boot import through_app
from locality.ui.scenario import run_saved, scenario_map

through_app()

names = list(userdata.scenarios()["name"])
wanted = st.query_params.get("scenario") or st.session_state.get("present_scenario")
if not names:
    st.info("No scenario saved yet: save one from the Localities or Hubs & estates page first.")
    st.stop()
name = wanted if wanted in names else names[0]
if wanted and wanted not in names:
    st.warning(f"No saved scenario is named {wanted!r}: showing {name!r}.")
st.query_params["scenario"] = name  # the address can be bookmarked and shared

# minimal chrome: no sidebar, no header bar, tight margins
st.markdown("""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
.block-container {padding-top: 0.5rem; padding-bottom: 0.5rem; max-width: 100%;}
.lp-figure {font-size: 2.6rem; font-weight: 700; color: #005eb8; line-height: 1.1;}
.lp-label {font-size: 1.05rem; color: #425563;}
.lp-small {font-size: 0.72rem; color: #768692; line-height: 1.3;}
</style>""", unsafe_allow_html=True)

top = st.columns([5, 1])
top[0].markdown(f"### {html.escape(name)}")
with top[1].popover("Scenario"):
    choice = st.selectbox("Show", names, index=names.index(name), key="present_pick")
    if choice != name:
        st.session_state["present_scenario"] = choice
        st.query_params["scenario"] = choice
        st.rerun()
    st.page_link("pages/scenarios.py", label="Leave presentation mode")
try:
    run = run_saved(name)
except LocalityError as exc:
    st.error(f"This scenario cannot be shown: {exc}")
    st.stop()
if run.doc.get("description"):
    st.markdown(f"<div class='lp-label'>{html.escape(run.doc['description'])}</div>", unsafe_allow_html=True)

if run.plan is not None:  # every projected figure says so
    st.markdown(f"<div class='lp-label'><b>Figures for {run.plan.year}: a projection</b> (how: see the small print "
                "below the map).</div>", unsafe_allow_html=True)
view = "proposal" if run.grouping is not None else "sites"
if run.grouping is not None and run.chosen is not None:
    view = st.radio("Map", ["proposal", "sites"], horizontal=True, key="present_view", label_visibility="collapsed",
                    format_func={"proposal": "Proposed groups", "sites": "Site option"}.get)
figures = dict(scenarios.headline_pairs(run))
if view == "proposal":  # localities, population each, practices each, % within the band
    groups = run.grouping.result.groups
    figures["Population per group"] = f"{groups['patients'].min() / 1000:.0f}k–{groups['patients'].max() / 1000:.0f}k"
    figures["Practices per group"] = f"{groups['practices'].min()}–{groups['practices'].max()}"
    keys = ["Groups", "Population per group", "Practices per group", "Within the band"]
else:
    keys = [k for k in ("Sites kept", "Mean travel", "Estate released") if k in figures]
for c, k in zip(st.columns(len(keys) or 1), keys, strict=False):
    label, number = scenarios.figure_card(k, figures[k])
    c.markdown(f"<div class='lp-figure'>{html.escape(number)}</div><div class='lp-label'>{html.escape(label)}</div>",
               unsafe_allow_html=True)
scenario_map(run, view, f"present_map_{view}", height=470, legend="beside", width_px=1080)
ed = run.edition
assumed = "".join(f"{what}: {text.rstrip('.')}. " for what, text in
                  [*run.method_lines(), *(assumption_rows(run.sites) if view == "sites" and run.sites is not None else [])])
st.markdown("<div class='lp-small'>" + html.escape(
    f"Registered lists of {ed.get('extract_date')} (NHS England). {assumed}" + " ".join(attribution_statements()))
    + "</div>", unsafe_allow_html=True)
