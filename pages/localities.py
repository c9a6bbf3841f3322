"""Localities: group an area's practices into contiguous groups within a size band, against today's PCNs."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from locality.grouping import PRESETS, GroupingError, GroupingOptions
from locality.grouping.area import AreaGrouping, exceptions_table, group_area, group_areas
from locality.grouping.borders import pcns_mostly_outside
from locality.growth.scenario import growth_section
from locality.outputs import maps
from locality.outputs.repair_maps import mark_moved
from locality.scenarios import ScenarioRun, edition, new_scenario, run_scenario
from locality.settings import AUTO_RUN_MAX_PRACTICES
from locality.ui import data
from locality.ui.area import select_area
from locality.ui.boot import through_app
from locality.ui.funding import show_funding
from locality.ui.keep import kept, remember
from locality.ui.legend import show_legends
from locality.ui.planning import planning_controls, show_group_outlook
from locality.ui.provenance import show_provenance
from locality.ui.repair import START_FROM, show_repair_moves
from locality.ui.scenario import merged_description, save_form
from locality.vocabulary import DEMAND_METHODS, PLACEHOLDER_PCN

through_app()
remember()


@st.cache_data(show_spinner="Grouping practices…", max_entries=32)
def run_grouping(params: tuple) -> AreaGrouping:
    """Run (and cache, keyed on every parameter) the grouping engine.

    ``params``: area code, floor, ceiling, number of groups, PCNs kept whole, together, apart, seed,
    the practices left out, the mode (fresh or repair), what a repair minimises, the planning year
    (None for today) and whether to group on that year's lists.
    """
    code, floor, ceiling, n_groups, keep_pcns, together, apart, seed, exclude, mode, minimise, plan, for_year = params
    opts = GroupingOptions(floor, ceiling, n_groups, keep_pcns, together, apart, seed, mode, minimise)
    if exclude:
        return group_areas(data.connection().cursor(), [code], opts, exclude=exclude, plan=plan, for_year=for_year)
    return group_area(data.connection().cursor(), code, opts, plan, for_year)



def stale_settings(shown: tuple, now: tuple, pcn_names: dict) -> str:
    """Return what differs between the settings of the result on screen and the sidebar's ("" when none)."""
    what = ["area", "floor", "ceiling", "number of groups", "PCNs kept whole", "practices together",
            "practices apart", "seed", "practices left out", "start from", "fewest", "planning year",
            "grouped for the year"]
    diffs = [w for w, a, b in zip(what, shown, now, strict=True) if a != b]
    if not diffs:
        return ""
    said = []
    for w in diffs:
        if w == "PCNs kept whole":
            said.append("PCNs kept whole: " + (", ".join(pcn_names.get(p, p) for p in now[4]) or "none"))
        else:
            said.append(f"{w} changed")
    return "; ".join(said)


area = select_area()
practices = data.practices(area.area_type, area.code)
st.title(f"Localities · {area.label}")
st.caption("Group practices into contiguous groups within a population band. Territories are whole LSOA 2021s "
           "(each LSOA to the group holding most of its registered patients where NHS England's LSOA file covers "
           "the practices, else to its nearest practice site); practices at one site always stay together.")

pcn_names = practices.drop_duplicates("pcn_code").set_index("pcn_code")["pcn_name"].to_dict()
names = dict(zip(practices["practice_code"], practices["practice_name"], strict=True))
outside = pcns_mostly_outside(practices, data.pcn_table()) if area.area_type == "lad" else pcns_mostly_outside(
    practices.iloc[0:0], data.pcn_table())
if len(outside):
    listed = "; ".join(f"**{r.pcn_name}**: {r.practices_here} of its {r.practices} practices "
                       f"({', '.join(r.practice_names)}), {r.patients_here:,} of its {r.patients:,} patients"
                       for r in outside.itertuples())
    st.warning(f"{len(outside)} of today's PCNs here have most of their patients outside {area.name}: {listed}. "
               "Grouping their practices with this area splits those PCNs; you can leave them out in the sidebar.")
with st.sidebar:
    st.markdown("**Grouping**")
    # first, so that it is above the fold; the settings below apply when it is pressed
    submitted = st.button("Run grouping", type="primary", width="stretch", key="lc_run")
    starts = list(START_FROM)
    start = st.radio("Start from", starts, **kept("lc_start", starts, index=1),
                     help="Today's PCNs: bring them into the band by moving the fewest practices (or patients). "
                          "A fresh grouping: the best grouping from a blank map.")
    fewest = st.radio("Fewest", ["practices", "patients"], horizontal=True, **kept("lc_fewest", index=0),
                      help="When starting from today's PCNs: move the fewest practices, or the fewest patients.")
    bands = [*PRESETS, "Custom"]
    preset = st.radio("Size band", bands, **kept("lc_preset", bands, index=0))
    band = st.slider("Custom band (registered patients)", 10_000, 150_000, step=1_000,
                     help="Used when 'Custom' is chosen.", **kept("lc_band", value=(30_000, 50_000)))
    n_groups = st.number_input("Number of groups (0 = automatic; a fresh grouping only)", 0, 200,
                               **kept("lc_k", value=0))
    real_pcns = sorted(p for p in pcn_names if p != PLACEHOLDER_PCN)
    keep = st.multiselect("Keep these PCNs whole", real_pcns, format_func=lambda p: pcn_names[p],
                          **kept("lc_keep", real_pcns, default=[]))
    together = st.multiselect("Keep these practices together", sorted(names),
                              format_func=lambda c: f"{c} {names[c]}", **kept("lc_together", list(names), default=[]))
    apart = st.multiselect("Keep these practices apart", sorted(names),
                           format_func=lambda c: f"{c} {names[c]}", **kept("lc_apart", list(names), default=[]))
    leave_out = st.checkbox(f"Leave out the {sum(outside['practices_here'])} practice(s) of PCNs mostly outside "
                            "this area", disabled=not len(outside), **kept("lc_leave_out", value=False),
                            help="Practices whose PCN holds most of its patients in a neighbouring area.") \
        if len(outside) else False
    seed = st.number_input("Seed (start of the search)", 0, 10_000,
                           help="The search starts from random choices; the same seed always gives the same "
                                "grouping, another seed may give a different one of similar quality.",
                           **kept("lc_seed", value=0))

plan, for_year = planning_controls("lc")
floor, ceiling = PRESETS.get(preset, band)
excluded = tuple(sorted(c for cs in outside["practice_codes"] for c in cs)) if leave_out else ()
mode = START_FROM[start]
params = (area.code, int(floor), int(ceiling), (int(n_groups) or None) if mode == "fresh" else None, tuple(keep),
          (tuple(together),) if together else (), (tuple(apart),) if apart else (), int(seed), excluded, mode, fewest,
          plan, for_year)
if submitted or st.session_state.pop("lc_run_now", False):
    st.session_state["lc_params"] = params
elif (st.session_state.get("lc_params") or (None,))[0] != area.code:
    # a new area: group it straight away only when that is quick
    st.session_state["lc_params"] = params if len(practices) <= AUTO_RUN_MAX_PRACTICES else None
if st.session_state.get("lc_params") is None:
    st.info(f"This area has {len(practices):,} practices: choose the band and locks in the sidebar, then press "
            "**Run grouping** (large areas take a while).")
    show_provenance()
    st.stop()
try:
    ag = run_grouping(st.session_state["lc_params"])
except GroupingError as exc:
    st.error(f"This grouping cannot be run as asked: {exc}")
    st.stop()
stale = stale_settings(st.session_state["lc_params"], params, pcn_names)
if stale:
    st.warning(f"**The sidebar no longer matches the result below** ({stale}). The result is for the settings "
               "it was run with.")
    if st.button("Run with the sidebar's settings", type="primary", key="lc_run_stale"):
        st.session_state["lc_run_now"] = True
        st.rerun()
floor, ceiling = ag.result.options.floor, ag.result.options.ceiling
seed = ag.result.options.seed

r, cmp_ = ag.result, ag.comparison
# the Hubs & estates page can take its practices from a group of this proposal
st.session_state["last_grouping"] = {
    "label": f"{area.code} {floor:,}–{ceiling:,}",
    "groups": r.assignment.groupby("group")["practice_code"].apply(sorted).to_dict(),
}
s = ag.summary()
m = st.columns(5)
m[0].metric("Groups", s["groups"])
m[1].metric(f"Within {floor:,}–{ceiling:,}", f"{100 * s['within_bounds_share']:.0f}%")
m[2].metric("Practices that would move", s["practices_moving"],
            help="Proven the fewest" if s.get("moves_proven_minimal") else None)
m[3].metric("Match with today (ARI)", f"{s['adjusted_rand_index']:.2f}",
            help="Adjusted Rand index between the proposal and today's PCNs: 1 = identical, 0 = no more alike "
                 "than chance.")
m[4].metric("Today's PCNs outside the band", f"{s['pcns_today_outside_bounds']} of {s['pcns_today']}")
st.caption(f"Computed in {r.elapsed_s:.2f} s · every group contiguous: {'yes' if r.all_contiguous else 'no'} · "
           f"patients outside the band: {r.excess:,}")
st.caption(f"**Territory:** {DEMAND_METHODS[r.demand_method]}.")
for msg in r.messages:
    st.info(msg)
if r.exceptions:
    forced = sum(e.forced for e in r.exceptions)
    kinds = pd.Series([e.kind for e in r.exceptions]).value_counts()
    summary = f"**{len(r.exceptions)} group(s) outside the band or not contiguous**: {forced} forced (no in-band " \
              f"alternative exists), {len(r.exceptions) - forced} not proven forced."
    (st.warning if forced == len(r.exceptions) else st.error)(summary)
    with st.expander("Why each group is outside the band", expanded=len(r.exceptions) <= 3):
        st.dataframe(exceptions_table(r, names), hide_index=True, width="stretch",
                     column_config={"group": "Group", "forced": "Forced", "patients": st.column_config.NumberColumn(
                         "Patients", format="localized"), "reason": st.column_config.TextColumn("Why", width="large"),
                         "practices": "Practices"})

if ag.outlook is not None and ag.projection is not None:
    show_group_outlook(ag.outlook, ag.projection.method(), ag.projection.plan.need.label(), ag.projection.plan.year,
                       ag.for_year)
if r.repair is not None:
    show_repair_moves(r.repair, floor, ceiling)
views = ["Proposed groups", "Today's PCNs", "Side by side"]
view = "Side by side" if r.repair is not None else st.radio("Map", views, horizontal=True,
                                                            **kept("lc_view", views, index=0))
geo = data.area(area.code)


def proposal_map(height: int, width: int):
    return marked(maps.grouping_map(ag, practices, geo["geom_web"], area.label, "proposal", height, width))


def today_map(height: int, width: int):
    return marked(maps.grouping_map(ag, practices, geo["geom_web"], area.label, "today", height, width))


def marked(drawn):
    """Ring the practices a repair moves."""
    mp, legends = drawn
    if r.repair is not None:
        legends = [*legends, mark_moved(mp, r.repair.moves, practices)]
    return mp, legends


if view == "Side by side":
    sides = ((today_map, "Today's PCNs", "lc_map_right"), (proposal_map, "Proposed groups", "lc_map_left"))
    if r.repair is None:
        sides = sides[::-1]
    for col, (draw, title, key) in zip(st.columns(2), sides, strict=True):
        with col:
            st.markdown(f"**{title}**")
            mp, lg = draw(480, 560)
            st_folium(mp, height=480, use_container_width=True, returned_objects=[], key=key)
            with st.expander("Legend"):
                show_legends(lg)
else:
    left, right = st.columns([3, 1])
    mp, legends = proposal_map(560, 820) if view == "Proposed groups" else today_map(560, 820)
    with left:
        st_folium(mp, height=560, use_container_width=True, returned_objects=[], key="lc_map")
    with right:
        show_legends(legends, note="Circle area is proportional to registered patients.")

tab_g, tab_m, tab_t = st.tabs(["Groups", f"Practices that would move ({len(cmp_.moves)})", "Today's PCNs"])
with tab_g:
    st.dataframe(
        r.groups,
        column_config={
            "group": "Group", "patients": st.column_config.NumberColumn("Registered patients", format="localized"),
            "practices": "Practices", "sites": "Sites",
            "lsoas": st.column_config.NumberColumn("LSOAs", help="Lower-layer Super Output Areas: ONS Census "
                                                                 "neighbourhoods of about 1,500 residents."),
            "residents": st.column_config.NumberColumn("Residents (Census 2021)", format="localized"),
            "mean_distance_km": st.column_config.NumberColumn("Mean distance to centre (km)", format="%.2f"),
            "shape_index": st.column_config.NumberColumn(
                "Compactness (1 = circle)", format="%.2f",
                help="How round the group's outline is: 4π × area ÷ perimeter². 1 is a circle; long or ragged "
                     "shapes score lower."),
            "mean_imd_decile": st.column_config.NumberColumn("Mean IMD 2025 decile", format="%.1f"),
            "status": "Against the band", "contiguous": "Contiguous", "main_pcn": "Mostly from",
        },
        hide_index=True, width="stretch",
    )
with tab_m:
    st.caption("A practice moves when it is not in the proposed group that holds most of its PCN's patients. "
               "Practices in no PCN today are not counted.")
    st.dataframe(cmp_.moves, hide_index=True, width="stretch",
                 column_config={"practice_code": "ODS code", "practice_name": "Practice", "pcn_name": "PCN today",
                                "patients": st.column_config.NumberColumn("Patients", format="localized"),
                                "group": "Proposed group", "pcn_home_group": "Group most of its PCN joins"})
with tab_t:
    st.dataframe(cmp_.pcns_today, hide_index=True, width="stretch",
                 column_config={"pcn_code": "PCN code", "pcn_name": "PCN", "practices_in_area": "Practices here",
                                "practices": "Practices (all)",
                                "patients": st.column_config.NumberColumn("Patients", format="localized"),
                                "status": "Against the band",
                                "gap": st.column_config.NumberColumn("Outside the band by", format="localized")})

d1, d2 = st.columns(2)
stem = f"localities_{area.code}_{floor}-{ceiling}_seed{seed}{'_repair' if r.repair is not None else ''}"
d1.download_button("Download practice assignment (CSV)", ag.assignment_csv(), f"{stem}.csv", "text/csv")
if r.repair is not None:
    d1.download_button("Download the moves (CSV)", r.repair.moves.to_csv(index=False), f"{stem}_moves.csv",
                       "text/csv")
d2.download_button("Download group outlines (GeoJSON)", ag.geojson(), f"{stem}.geojson", "application/geo+json")


def grouping_document(name: str, description: str, existing: dict | None) -> dict:
    """This grouping as scenario ``name``, keeping an existing scenario's site option."""
    doc = new_scenario(name, area.code, merged_description(description, existing), ag.result.options)
    if ag.projection is not None:  # the planning year (and its housing trajectory) travel with the file
        doc["growth"] = growth_section(ag.projection.plan, ag.for_year)
    sites = (existing or {}).get("sites")
    if sites:
        doc["sites"] = sites
        return run_scenario(data.connection().cursor(), doc).document()
    run = ScenarioRun(doc, {}, grouping=ag, plan=ag.projection.plan if ag.projection is not None else None)
    run.edition = edition(data.connection().cursor(), run.optional_sources_used())
    return run.document()


show_funding(ag.funding)

with st.expander("Save as a scenario"):
    save_form("lc", f"{area.code} {floor // 1000}–{ceiling // 1000}k{' repair' if r.repair is not None else ''} "
              f"(seed {seed})", grouping_document,
              intro="Saves the band, locks, seed and these results, with the data edition, so the grouping can be "
                    "compared, exported as a board pack and re-run by a colleague.",
              replace_help="Replaces the scenario's grouping; a site option saved in it from Hubs & estates is kept.",
              stale=f"the sidebar has changed ({stale}): press Run first." if stale else "")
show_provenance()
