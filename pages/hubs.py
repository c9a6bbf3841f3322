"""Hubs & estates: which of a set of practices' sites to keep, and what it does to travel."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from locality import scenarios
from locality.demand.registered_lsoa import default_demand_kind
from locality.errors import LocalityError
from locality.growth.scenario import growth_section
from locality.outputs import maps
from locality.outputs.safe_text import markdown_text
from locality.settings import SITES_MAX_PRACTICES
from locality.sites import Capacity, SiteOptions
from locality.sites.appraisal import CRITERIA, criterion_label, scores, sensitivity, weights_to_file
from locality.sites.capacity import capacity_shortfall
from locality.sites.labels import area_heading, area_qualifier, assumption_rows, option_headings, site_labels
from locality.sites.options import CAPACITY_AGAINST
from locality.sources import estates
from locality.sources.travel_matrix import read_travel_matrix
from locality.store import userdata
from locality.ui import data
from locality.ui.area import select_area
from locality.ui.assumptions import age_weights_input, area_benchmark_input
from locality.ui.boot import through_app
from locality.ui.errors import show_read_notes
from locality.ui.keep import kept, remember
from locality.ui.legend import show_legends
from locality.ui.planning import new_build_input, planning_controls, show_options_outlook
from locality.ui.provenance import show_provenance
from locality.ui.scenario import merged_description, save_form
from locality.ui.travel import travel_input
from locality.vocabulary import CAPACITY_BASES, DEMAND_KINDS, DEMAND_METHODS, PLACEHOLDER_PCN

through_app()
remember()

POSTCODES = "practice postcodes (no register)"
LSOA_HELP = ("LSOA: Lower-layer Super Output Area, the ONS Census neighbourhood of about 1,500 residents. Each "
             "neighbourhood is counted at its nearest site.")


def register_panel() -> None:
    """Template download, upload with a preview or the problems found, and an atomic save."""
    st.download_button("Download the register template (CSV)", estates.template_csv(),
                       "estates_register_template.csv", "text/csv")
    st.dataframe(estates.template_help(), hide_index=True, width="stretch")
    up = st.file_uploader("Register (.csv or .xlsx)", type=["csv", "xlsx"], key="hb_upload")
    if up is None:
        return
    data_bytes = up.getvalue()
    try:
        checked = estates.read_register(data_bytes, up.name, data.connection().cursor())
    except estates.RegisterError as exc:
        st.error(f"{exc.file} was not saved: {len(exc.problems)} problem(s). Nothing was stored.")
        st.dataframe(pd.DataFrame([vars(p) for p in exc.problems]).dropna(axis=1, how="all"), hide_index=True,
                     width="stretch")
        return
    st.success(f"{len(checked)} sites checked. Preview:")
    show_read_notes(checked)
    st.dataframe(checked, hide_index=True, width="stretch",
                 column_config={"lease_end": st.column_config.DateColumn("lease_end", format="YYYY-MM-DD")})
    name = st.text_input("Save as register", value=area.code, key="hb_register_name")
    if st.button("Save register (replaces one of the same name)", type="primary"):
        userdata.save_register(name, checked, up.name, data_bytes)
        st.session_state["hb_pending_register"] = name  # selected on the rerun, before the widget exists
        st.session_state["hb_register_saved"] = f"Saved register **{markdown_text(name)}** ({len(checked)} sites); it is now in use."
        st.rerun()


area = select_area()
practices = data.practices(area.area_type, area.code)
pcn_names = practices.drop_duplicates("pcn_code").set_index("pcn_code")["pcn_name"].to_dict()
names = dict(zip(practices["practice_code"], practices["practice_name"], strict=True))
st.title(f"Hubs & estates · {area.label}")
st.caption("Which sites should a group of practices keep if they consolidate? No public estates data exists: "
           "without an estates register the sites are the practices' postcodes and floor areas, tenure, condition "
           "and costs are unknown (floor areas can be estimated from list size with a benchmark you cite). Demand "
           "is the Census 2021 residents of the LSOAs nearest to these sites (optionally weighted by age), or the "
           "practices' registered lists where they are seen today (their register sites, or their addresses).")

with st.sidebar:
    st.markdown("**Practices**")
    last = st.session_state.get("last_grouping")
    choices = ["A PCN", *(["A proposed group"] if last else []), "Whole area", "By hand"]
    how = st.radio("Choose", choices, horizontal=True, **kept("hb_how", choices, index=0))
    if how == "A PCN":
        real = sorted((p for p in pcn_names if p != PLACEHOLDER_PCN), key=pcn_names.get)
        default = real.index("U14074") if "U14074" in real else 0
        pcn = st.selectbox("PCN", real, format_func=pcn_names.get, **kept("hb_pcn", real, index=default))
        codes = sorted(practices.loc[practices["pcn_code"] == pcn, "practice_code"])
    elif how == "A proposed group":
        group = st.selectbox(f"Group from Localities ({last['label']})", sorted(last["groups"]),
                             **kept("hb_group", sorted(last["groups"]), index=0))
        codes = list(last["groups"][group])
    elif how == "Whole area":
        codes = sorted(practices["practice_code"])
        if len(codes) > SITES_MAX_PRACTICES:
            st.warning(f"{len(codes)} practices: choose a smaller area, a PCN or a group.")
            codes = []
    else:
        codes = sorted(st.multiselect("Practices", sorted(names), format_func=lambda c: f"{c} {names[c]}",
                                      **kept("hb_codes", list(names), default=[])))
    covered = data.registration_coverage(tuple(codes))
    first = list(DEMAND_KINDS).index(default_demand_kind(codes, covered))  # the truth where it is known
    demand = st.radio("Demand", list(DEMAND_KINDS), format_func=DEMAND_KINDS.get,
                      **kept("hb_demand", list(DEMAND_KINDS), index=first),
                      help="Residents: where people live (Census 2021), each neighbourhood (LSOA) to its nearest "
                           "site. Registered patients: each practice's list (NHS England) — where its patients live "
                           "when NHS England's patients-by-LSOA file covers it, otherwise where it is seen today: "
                           "its estates-register sites (shared equally), or without a register its own address.")
    if demand == "residents" and covered:
        st.info(f"NHS England's patients-by-LSOA file covers {len(covered)} of these {len(codes)} practices: "
                "choose Registered patients to use where their patients really live.")
    ages = age_weights_input("hb", data.default_age_weights()) if demand == "residents" else None
    need = demand == "registered" and st.checkbox(
        "Weight lists by each practice's need (NHS Payments 2022-23)", **kept("hb_need", value=False),
        help="Weighted ÷ registered patients of NHS Payments to General Practice 2022-23 (the Global Sum "
             "formula); practices missing from the file count 1 per patient and are named.")
    default_circuity = data.default_circuity()
    circuity = st.number_input("Circuity factor (road ÷ straight-line distance)", min_value=1.0, max_value=3.0,
                               step=0.01, **kept("hb_circuity", value=default_circuity.factor),
                               help=f"Default {default_circuity.label}. Source: {default_circuity.source} "
                                    "Set 1.0 for straight-line distance, or your own local factor.")
    st.markdown("**Estates register**")
    saved = userdata.registers()
    reg_names = [POSTCODES, *saved["register"]]
    if "hb_pending_register" in st.session_state:
        st.session_state["hb_register"] = st.session_state.pop("hb_pending_register")
    if "hb_register_saved" in st.session_state:
        st.success(st.session_state.pop("hb_register_saved"))
    current = st.session_state.get("sel_register", POSTCODES)
    register = st.selectbox("Sites and their figures from", reg_names,
                            index=reg_names.index(current) if current in reg_names else 0, key="hb_register")
    st.session_state["sel_register"] = register
    bench = area_benchmark_input("hb")
    basis, rate, respect, against = "none", 0.0, False, "registered"
    if register != POSTCODES or bench is not None:
        bases = ["none", "m2", "room"] if register != POSTCODES else ["none", "m2"]
        basis = st.radio("Capacity", bases, horizontal=True, **kept("hb_basis", bases, index=0),
                         format_func=CAPACITY_BASES.get)
        if basis != "none":
            rate = st.number_input("Patients per m²" if basis == "m2" else "Patients per clinical room",
                                   min_value=0.1, max_value=20_000.0,
                                   **kept(f"hb_rate_{basis}", value=10.0 if basis == "m2" else 2_000.0))
            respect = st.checkbox("Choose sites within capacity", **kept("hb_respect", value=True),
                                  help="Ticked: only choices of sites that can take everyone are shown. Unticked: "
                                       "sites are chosen on the criteria and each option shows its shortfall.")
            if demand == "residents":
                against = st.radio("Compare capacity with", list(CAPACITY_AGAINST), format_func=CAPACITY_AGAINST.get,
                                   **kept("hb_against", list(CAPACITY_AGAINST), index=0),
                                   help="The registered patients are the people who use the buildings (Ascot PCN: "
                                        "32,519 registered, 26,755 residents). Residents keep where people live "
                                        "for travel either way.")
    st.markdown("**Travel**")
    reg_key = None if register == POSTCODES else register
    reg_sha = None if reg_key is None else saved.set_index("register").loc[reg_key, "sha256"]
    try:
        road_net, road_why = data.road_coverage(SiteOptions(practices=tuple(codes), demand=demand).to_dict(), reg_key,
                                                reg_sha, data.built_networks()) if codes else (None, "no practices")
    except LocalityError as exc:
        road_net, road_why = None, str(exc)
    travel = travel_input("hb", road_net, road_why)

with st.expander("Upload or replace an estates register"):
    register_panel()
with st.expander("Travel-time matrix (optional)"):
    st.caption("A CSV with columns lsoa21_code, site_id, minutes — one row for every LSOA of the catchment and "
               "every site. When loaded it replaces straight-line distance.")
    mx = st.file_uploader("Travel matrix (.csv)", type=["csv"], key="hb_matrix")
if not codes:
    st.info("Choose a PCN or some practices in the sidebar.")
    st.stop()
road = travel in ("drive", "walk")
if road and mx:
    st.caption(f"The uploaded matrix is not used: travel is {travel} minutes on the road network.")
if travel == "matrix" and not mx:
    st.info("Upload a travel-time matrix above, or choose another travel measure in the sidebar.")
    st.stop()
matrix_in = (mx.getvalue(), mx.name) if mx and not road else (None, "")


plan, _ = planning_controls("hb")
new_builds = new_build_input("hb")


def site_options(must_keep: tuple[str, ...] = (), must_close: tuple[str, ...] = ()) -> SiteOptions:
    """The sidebar's choices as the engine's options."""
    return SiteOptions(practices=tuple(codes), demand=demand, circuity=float(circuity), must_keep=must_keep,
                       must_close=must_close, capacity=Capacity(basis, float(rate), bool(respect), against),
                       age_weights=ages, area_benchmark=bench, travel=travel if road else "straight",
                       roads=road_net if road else None, need_index=bool(need))


try:
    inst = data.site_appraisal(site_options().to_dict(), reg_key, reg_sha, *matrix_in, plan=plan,
                               new_builds=new_builds)
    site_ids = list(inst.sites["site_id"])
    site_name = site_labels(inst)
    c1, c2 = st.columns(2)
    must_keep = c1.multiselect("Sites that must stay open", site_ids, format_func=site_name.get,
                               **kept("hb_keep", site_ids, default=[]))
    can_close = [s for s in site_ids if s not in must_keep]
    must_close = c2.multiselect("Sites that must close", can_close, format_func=site_name.get,
                                **kept("hb_close", can_close, default=[]))
    inst = data.site_appraisal(site_options(tuple(must_keep), tuple(must_close)).to_dict(), reg_key, reg_sha,
                               *matrix_in, plan=plan, new_builds=new_builds)
except LocalityError as exc:
    st.error(f"These options cannot be run as asked: {exc}")
    st.stop()

m = st.columns(5)
m[0].metric("Practices", len(codes))
m[1].metric("Sites", len(inst.sites))
points = inst.demand.points
registered_total = round(float(inst.sites["patients"].sum()))
if inst.demand.kind == "residents":
    m[2].metric("Neighbourhoods (LSOAs)", len(points), help=LSOA_HELP)
    m[3].metric("Residents (Census 2021)", f"{int(points['residents'].sum()):,}",
                None if ages is None else f"{round(inst.demand.total):,} weighted by age",
                delta_color="off", delta_arrow="off",
                help="People living in the catchment's neighbourhoods (ONS Census 2021): whose travel is measured.")
else:
    m[2].metric("Practice lists (demand points)" if inst.demand.method == "modelled"
                else "Demand points (practice × LSOA)", len(points),
                help="Each practice's list where its patients are seen today (its register sites, or its address), "
                     "or, where NHS England's patients-by-LSOA file covers it, where its patients live.")
m[4 if inst.demand.kind == "residents" else 3].metric(
    "Registered patients", f"{registered_total:,}",
    f"{round(inst.demand.total):,} weighted by need" if inst.demand.kind == "registered" and need else None,
    delta_color="off", delta_arrow="off",
    help="Patients on these practices' lists (NHS England, Patients Registered at a GP Practice): who use the "
         "buildings, and what capacity is compared with unless you choose residents.")
st.caption(f"**Demand:** {DEMAND_METHODS[inst.demand.method]}. Source: {markdown_text(inst.demand.provenance)}.")
for note in inst.notes:
    st.info(note)
site_cols = ["site", "postcode", "practices", "practice_names", "patients", "source", "gia_m2", "clinical_rooms",
             "tenure", "lease_end", "condition", "running_cost_gbp", "must_keep", "must_close"]
shown_sites = inst.sites.assign(site=inst.sites["site_id"].map(site_name), patients=inst.sites["patients"].round(0))
st.dataframe(shown_sites[site_cols], hide_index=True, width="stretch",
             column_config={"site": "Site (town)", "postcode": "Postcode", "practices": "ODS codes",
                            "practice_names": "Practices", "source": "Figures from",
                            "patients": st.column_config.NumberColumn("Registered patients", format="localized"),
                            "gia_m2": st.column_config.NumberColumn(area_heading(inst, "GIA"), format="localized"),
                            "clinical_rooms": "Clinical rooms", "tenure": "Tenure",
                            "lease_end": st.column_config.DateColumn("Lease end", format="YYYY-MM-DD"),
                            "condition": "Condition", "running_cost_gbp": st.column_config.NumberColumn(
                                "Running cost (£/yr)", format="localized"),
                            "must_keep": "Must keep", "must_close": "Must close"})
if register == POSTCODES and inst.area_benchmark is None:
    st.caption("Without a register the floor areas, tenure, condition and running costs are unknown, so area and "
               "cost released are not shown. Upload a register above to add them, or estimate floor areas from "
               "list size in the sidebar.")
elif register == POSTCODES:
    st.caption("Without a register the tenure, condition and running costs are unknown; the floor areas are "
               "estimated from list size.")
for what, text in assumption_rows(inst):
    st.caption(f"**{what}:** {markdown_text(text)}")
if bench is not None and inst.area_benchmark is None:
    st.caption("Every site has its floor area from the register, so your benchmark is not used.")

ok = inst.table.copy()
short = capacity_shortfall(inst)
if short is not None:
    st.error(f"**No option fits within capacity.** {short.message()}")
for row in inst.infeasible:
    st.warning(f"Keeping {row.k} site(s): {row.status}")
if ok.empty:
    st.stop()

st.subheader("Options")
st.markdown("**Weights**")
available = [c for c in CRITERIA if c == "sites_released" or (c in ok and ok[c].notna().all())]
wcols = st.columns(len(available))
all_estimated = inst.area_estimated == "all"  # area released is then list size × benchmark: off by default


def weight_slider(column, c: str) -> float:
    """A criterion's weight; floor area released built only on estimates has a weight of its own, starting at 0."""
    area = c == "area_released_m2"
    start = 2 if c.startswith("p90") else 0 if area and all_estimated else 5
    return column.slider(criterion_label(c, area_qualifier(inst) if area else ""), 0, 10,
                         **kept(f"hb_w_{c}" + ("_estimated" if area and all_estimated else ""), value=start))


weights = {c: weight_slider(wcols[i], c) for i, c in enumerate(available)}
if not any(weights.values()):
    st.warning("Give at least one criterion a weight.")
    st.stop()
ranked = scores(ok, weights)
u = inst.unit
travel_cols = ["mean_travel", "p90_travel", *inst.within_columns]
extra_cols = [c for c in ("area_released_m2", "area_released_estimated_m2", "cost_released_gbp",
                          "cost_released_estimated_gbp", "mean_condition",
                          "shortfall_patients", "shortfall_m2") if c in ranked and ranked[c].notna().any()
              and (c != "area_released_estimated_m2" or inst.area_estimated == "some")]
if "builds_new" in ranked:  # a new-build candidate: what each option builds, and its cost against the estate released
    extra_cols += ["builds_new", "new_build_cost_gbp", "cost_years"]
if "capacity_use" in ranked:
    ranked["capacity_use_pc"] = ranked["capacity_use"].map(lambda d: ", ".join(f"{k}: {v:.0f}%" for k, v in d.items()))
    extra_cols.append("capacity_use_pc")
for c in ("shortfall_patients", "shortfall_m2"):
    if c in ranked:
        ranked[c] = ranked[c].round(0)
share = sensitivity(ok, weights, samples=500)
ranked["first_under_20pc"] = ranked["k"].map(share)
ranked["kept_list"] = ranked["kept"].map(lambda ids: "; ".join(site_name[x] for x in ids))
ranked["closed_list"] = ranked["closed"].map(lambda ids: "; ".join(site_name[x] for x in ids))
for c in ("mean_travel", "p90_travel"):
    if u == "m":
        ranked[c] = ranked[c].round(0)  # metres: whole numbers with thousands separators
heads = option_headings(inst)
travel_format = "localized" if u == "m" else "%.1f"
st.dataframe(
    # the figures first, the long lists of site names after them: at 1366 px the figures stay in view
    ranked[["rank", "k", *travel_cols, "score", "first_under_20pc", "kept_list", *extra_cols, "closed_list", "gap"]],
    hide_index=True, width="stretch",
    column_config={
        "rank": heads["rank"], "k": heads["k"], "kept_list": st.column_config.TextColumn(heads["kept"], width="medium"),
        "closed_list": st.column_config.TextColumn(heads["closed"], width="medium"),
        "mean_travel": st.column_config.NumberColumn(heads["mean_travel"], format=travel_format),
        "p90_travel": st.column_config.NumberColumn(heads["p90_travel"], format=travel_format),
        **{c: st.column_config.NumberColumn(heads[c], format="%.0f") for c in inst.within_columns},
        "score": st.column_config.NumberColumn(heads["score"], format="%.2f"),
        "first_under_20pc": st.column_config.NumberColumn(heads["first_under_20pc"], format="percent"),
        "gap": st.column_config.NumberColumn(heads["gap"], format="percent"),
        **{c: st.column_config.NumberColumn(heads[c], format="localized")
           for c in ("area_released_m2", "area_released_estimated_m2", "cost_released_gbp",
                     "cost_released_estimated_gbp", "shortfall_patients", "shortfall_m2")},
        "mean_condition": st.column_config.NumberColumn(heads["mean_condition"], format="%.1f"),
        "builds_new": "Builds new",
        "new_build_cost_gbp": st.column_config.NumberColumn("New-build cost (£, estimate)", format="localized"),
        "cost_years": st.column_config.NumberColumn("Years of running cost released to pay for it", format="%.0f"),
        "capacity_use_pc": heads["capacity_use"] + (
            " (on estimated areas)" if basis == "m2" and inst.area_estimated != "none" else ""),
    },
)
travel_note = (f"Travel is {inst.travel.provenance}." if road else "Travel is minutes from the uploaded matrix."
               if u == "min"
               else f"Travel is straight-line distance × {inst.travel.circuity:g}"
               + (" (the estimated default circuity, derived from MHCLG's IoD2019 road distance to a GP surgery)."
                  if abs(inst.travel.circuity - default_circuity.factor) < 1e-9 else " (set by you)."))
st.caption(f"{travel_note} The proven optimality gap is how much shorter, at most, the travel of any other "
           "choice of that many sites could be: 0% means no better choice exists. (It comes from a lower bound: "
           "trying every choice on small sets, a Lagrangian relaxation otherwise, the HiGHS solver with capacities.) "
           "\"Ranks first with weights ±20%\" is how often the option still comes first when every weight is moved "
           "at random by up to a fifth.")
if plan is not None:
    uses = tuple((int(o.k), tuple(sorted((getattr(o, "capacity_use", None) or {}).items()))) for o in ok.itertuples())
    year_rows, year_method = data.options_outlook(tuple(codes), plan, uses)
    show_options_outlook(year_rows, year_method, plan.need.label(), plan.year)
estimate_notes = []
if basis == "m2" and inst.area_estimated != "none":
    estimate_notes.append("Capacity per m² on floor areas estimated from list size is a multiple of each site's "
                          "current list: it shows whether the kept sites could take the closed sites' patients at "
                          "that many patients per m².")
if all_estimated:
    estimate_notes.append("Floor area released is list size × the benchmark here, so its weight starts at 0.")
if estimate_notes:
    st.caption(" ".join(estimate_notes))

# a new key when the feasible options change, so the slider starts again on the best-ranked option
if len(ok) > 1:
    k = st.select_slider("Show the option keeping", options=list(ok["k"]), value=int(ranked["k"].iloc[0]),
                         key=f"hb_k_{'-'.join(map(str, ok['k']))}")
else:
    k = int(ok["k"].iloc[0])
    st.markdown(f"**The only possible option: keeping {k} site(s).**")
chosen = inst.option(k)
geoms = data.lsoa_geometries(tuple(points["lsoa21_code"])) if inst.demand.kind == "residents" else None
fm, legends = maps.site_option_map(inst, list(chosen["kept"]), geoms)
left, right = st.columns([3, 1])
with left:
    st_folium(fm, height=520, use_container_width=True, returned_objects=[], key="hb_map")
with right:
    show_legends(legends)
st.download_button("Download the options (CSV)",
                   ranked.drop(columns=[c for c in ("kept", "closed", "capacity_use") if c in ranked])
                   .rename(columns={"mean_travel": f"mean_travel_{u}", "p90_travel": f"p90_travel_{u}"})
                   .to_csv(index=False),
                   f"site_options_{'-'.join(codes[:4])}.csv", "text/csv")


def sites_document(name: str, description: str, existing: dict | None) -> dict:
    """These site options as scenario ``name``, keeping an existing scenario's grouping."""
    sites = {"practices": list(codes), "circuity": float(circuity), "demand": demand, "must_keep": list(must_keep),
             "must_close": list(must_close),
             "capacity": {"basis": basis, "rate": float(rate), "respect": bool(respect), "against": against},
             "age_weights": ages, "area_benchmark": bench, "need_index": bool(need),
             "chosen_k": int(k), "weights": weights_to_file(weights, u),
             "register": userdata.load_register(reg_key) if reg_key else None, "register_name": reg_key,
             "travel_matrix": read_travel_matrix(*matrix_in, data.connection().cursor()) if matrix_in[0] else None,
             "travel": travel if road else "straight", "roads": road_net if road else None}
    doc = scenarios.new_scenario(name, (existing or {}).get("area", area.code),
                                 merged_description(description, existing), None, sites)
    doc["grouping"] = (existing or {}).get("grouping")
    doc["growth"] = growth_section(plan, False, new_builds) or (existing or {}).get("growth")
    return scenarios.run_scenario(data.connection().cursor(), doc).document()


with st.expander("Save this option into a scenario"):
    save_form("hb", f"{area.code} hubs: keep {k} of {len(inst.sites)}", sites_document, merge_into=True,
              intro=f"Saves these practices, settings and the option keeping {k} site(s) — as a new scenario, or "
                    "added to an existing one (for example the Localities grouping it belongs to). It then appears "
                    "in that scenario's board pack.",
              replace_help="Replaces the scenario's site option; a grouping saved in it is kept.")
show_provenance()
