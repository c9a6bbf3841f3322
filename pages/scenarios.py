"""Scenarios: open, rename, delete, compare, export (JSON, PDF, PPTX) and import saved scenarios."""

from __future__ import annotations

import hashlib
import json
import re

import pandas as pd
import streamlit as st

from locality import scenarios
from locality.errors import LocalityError
from locality.outputs import boardpack
from locality.outputs.safe_text import markdown_text
from locality.scenarios import ScenarioRun
from locality.scenarios.checks import check_document
from locality.sites.labels import assumption_rows
from locality.store import userdata
from locality.ui import data
from locality.ui.boot import through_app
from locality.ui.provenance import show_provenance
from locality.ui.scenario import run_document, run_saved, scenario_map

through_app()

TODAY = "Today's PCNs"


def slug(name: str) -> str:
    """A file-name-safe form of a scenario name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "scenario"


def show_run(run: ScenarioRun, key: str) -> None:
    """A saved scenario's figures, maps and tables."""
    pairs = scenarios.headline_pairs(run)
    for c, (label, value) in zip(st.columns(len(pairs)), pairs, strict=True):
        c.metric(*scenarios.figure_card(label, value, "{label} ({qualifier})"))
    for note in run.notes:
        st.warning(note)
    for what, text in assumption_rows(run.sites) if run.sites is not None else []:
        st.caption(f"**{what}:** {markdown_text(text)}")
    for what, how in run.method_lines():
        st.caption(f"**{what}:** {how}.")
    views = [v for v, ok in (("proposal", run.grouping is not None), ("sites", run.chosen is not None)) if ok]
    if views:
        labels = {"proposal": "Proposed groups", "sites": "Site option"}
        view = st.radio("Map", views, format_func=labels.get, horizontal=True, key=f"{key}_view")
        scenario_map(run, view, f"{key}_map_{view}", 480)
    if run.grouping is not None:
        with st.expander("Groups"):
            st.dataframe(boardpack.groups_table(run), hide_index=True, width="stretch")
    if run.sites is not None:
        with st.expander("Site options"):
            st.dataframe(boardpack.options_table(run), hide_index=True, width="stretch")


def pack_buttons(run: ScenarioRun, doc: dict) -> None:
    """Board packs, made on request (a few seconds) and offered until the scenario changes."""
    version = hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()
    name = doc["name"]
    for col, fmt in zip(st.columns(2), ("pdf", "pptx"), strict=True):
        made = st.session_state.get(f"sc_pack_{fmt}")
        if made and made[0] == version:
            col.download_button(f"Download board pack ({fmt.upper()})", made[1], f"{slug(name)}.{fmt}",
                                boardpack.FORMATS[fmt][0], key=f"sc_dl_{fmt}", type="primary")
            col.caption(f"Made in {made[2]:.1f} s.")
        elif col.button(f"Make board pack ({fmt.upper()})", key=f"sc_make_{fmt}"):
            try:
                with st.spinner(f"Drawing the maps and writing the {fmt.upper()}…"):
                    pack, seconds = boardpack.export(data.connection().cursor(), run, fmt)
            except LocalityError as exc:
                col.error(f"The board pack could not be made: {exc}")
                continue
            st.session_state[f"sc_pack_{fmt}"] = (version, pack, seconds)
            st.rerun()


def manage(name: str, doc: dict) -> None:
    """Scenario file download, rename and delete (drawn even when the scenario cannot be re-run)."""
    st.download_button("Download scenario file (JSON)", scenarios.dumps(doc), f"{slug(name)}.scenario.json",
                       "application/json", key="sc_json")
    with st.expander("Rename or delete"):
        new = st.text_input("New name", value=name, key=f"sc_new_name_{name}", max_chars=userdata.MAX_NAME)
        r1, r2 = st.columns(2)
        if r1.button("Rename", key=f"sc_rename_{name}"):
            try:
                st.session_state["sc_pending_open"] = userdata.rename_scenario(name, new)
                st.rerun()
            except LocalityError as exc:
                st.error(str(exc))
        sure = r2.checkbox(f"Yes, delete '{name}'", key=f"sc_sure_{name}")
        if r2.button("Delete", key=f"sc_delete_{name}", disabled=not sure):
            userdata.delete_scenario(name)
            st.rerun()


st.title("Scenarios")
st.caption("Saved groupings and site options: open one, compare it with another or with today's PCNs, export it "
           "as a board pack (PDF or PowerPoint), or share its file with a colleague, who can import it and get "
           "the same results.")
saved = userdata.scenarios()
names = list(saved["name"])
# one section at a time (not tabs): a map drawn in a hidden tab would open at the wrong size
SECTIONS = ["Saved scenarios", "Compare", "Import a scenario file"]
section = st.segmented_control("Section", SECTIONS, default=SECTIONS[0], key="sc_section",
                               label_visibility="collapsed") or SECTIONS[0]

if section == SECTIONS[0]:
    if not names:
        st.info("No scenario saved yet. Run a grouping on the **Localities** page or site options on the **Hubs & "
                "estates** page and use **Save as a scenario**, or import a scenario file.")
    else:
        st.dataframe(saved.rename(columns={"name": "Scenario", "description": "Description", "area": "Area",
                                           "extract_date": "Registered lists of", "saved_at": "Saved (UTC)"}),
                     hide_index=True, width="stretch")
        if "sc_pending_open" in st.session_state:  # set by a rename, before the widget exists
            st.session_state["sc_open"] = st.session_state.pop("sc_pending_open")
        if st.session_state.get("sc_open") not in names:  # first visit, or the open one was deleted
            st.session_state["sc_open"] = names[0]
        name = st.selectbox("Open", names, key="sc_open")
        doc = userdata.load_scenario(name)
        if doc.get("description"):
            st.markdown(f"> {markdown_text(doc['description'])}")
        try:
            run = run_saved(name)
        except LocalityError as exc:
            run = None
            st.error(f"This scenario cannot be re-run on this store: {exc} You can still download its file, rename "
                     "or delete it.")
        if run is not None:
            for diff in scenarios.edition_differences(doc.get("edition"), run.edition):
                st.warning(f"Data edition: {diff} The figures below are re-computed on this store's data.")
            changed = scenarios.check_reproduced(doc.get("results"), run.results())
            if changed:
                st.warning("Re-run on this store, the results differ from those saved: " + " ".join(changed))
            else:
                st.caption("Re-run on this store: identical to the saved results.")
            show_run(run, "sc")
            pack_buttons(run, doc)
            if st.button("Present this scenario", key="sc_present"):
                st.session_state["present_scenario"] = name
                st.switch_page("pages/present.py")
        manage(name, doc)

elif section == SECTIONS[1]:
    if not names:
        st.info("Save a scenario first.")
    else:
        c1, c2 = st.columns(2)
        a_name = c1.selectbox("Scenario", names, key="cmp_a")
        b_name = c2.selectbox("Compare with", [TODAY, *[n for n in names if n != a_name]], key="cmp_b")
        try:
            run_a = run_saved(a_name)
            run_b = None if b_name == TODAY else run_saved(b_name)
        except LocalityError as exc:
            st.error(f"Cannot re-run: {exc}")
            st.stop()
        cmp_ = scenarios.compare(run_a, run_b)
        for note in cmp_.notes:
            st.info(note)
        st.dataframe(cmp_.headline, hide_index=True, width="stretch")
        if cmp_.ari is not None:
            st.caption(f"Adjusted Rand index between the two groupings: {cmp_.ari:.2f} (1 = identical).")
        left, right = st.columns(2)
        with left:
            st.markdown(f"**{markdown_text(a_name)}**")
            scenario_map(run_a, "proposal" if run_a.grouping is not None else "sites", "cmp_map_a", 420)
        with right:
            st.markdown(f"**{markdown_text(b_name)}**")
            if run_b is None:
                scenario_map(run_a, "today", "cmp_map_b", 420)
            else:
                scenario_map(run_b, "proposal" if run_b.grouping is not None else "sites", "cmp_map_b", 420)
        st.markdown(f"**Practices that move ({len(cmp_.moves)})**, going from {markdown_text(b_name)} to "
                    f"{markdown_text(a_name)}")
        st.caption(f"A practice moves when its group in {a_name} is not the one that holds most of the patients of "
                   f"its group in {b_name}.")
        st.dataframe(cmp_.moves.rename(columns={"practice_code": "ODS code", "practice_name": "Practice"}),
                     hide_index=True, width="stretch",
                     column_config={"patients": st.column_config.NumberColumn("Patients", format="localized")})
        if len(cmp_.sites):
            st.markdown("**Site choices**")
            st.dataframe(cmp_.sites.rename(columns={"site_id": "Site", "postcode": "Postcode"}), hide_index=True,
                         width="stretch")

else:
    up = st.file_uploader("Scenario file (.json)", type=["json"], key="sc_import")
    if up is not None:
        try:
            doc = scenarios.loads(up.getvalue(), up.name)
            check_document(data.connection().cursor(), doc, up.name)
            run = run_document(scenarios.dumps({k: v for k, v in doc.items() if k != "saved_at"}))
        except LocalityError as exc:
            st.error(f"{exc} — nothing was saved.")
            st.stop()
        diffs = scenarios.check_reproduced(doc.get("results"), run.results())
        for diff in scenarios.edition_differences(doc.get("edition"), run.edition):
            st.warning(f"Data edition: {diff}")
        if diffs:
            st.warning("Re-run here, the results differ from the file's: " + " ".join(diffs))
        else:
            st.success(f"Re-run here: **identical** to the results in {up.name}.")
        st.dataframe(pd.DataFrame([(k, str(v)) for k, v in scenarios.headline(run).items()],
                                  columns=["Figure", "Value"]), hide_index=True)
        with st.form("sc_import_form"):
            as_name = st.text_input("Save as", value=doc["name"], key="sc_import_name")
            replace = st.checkbox("Replace a saved scenario of the same name", key="sc_import_replace")
            if st.form_submit_button("Save imported scenario", type="primary"):
                try:
                    userdata.save_scenario({**run.document(), "name": as_name.strip()}, replace=replace)
                    st.success(f"Saved **{as_name.strip()}**.")
                except LocalityError as exc:
                    st.error(str(exc))
show_provenance()
