"""Assemble a Health & Wellbeing Board pack from a scenario run (rendering is in :mod:`locality.report`)."""

from __future__ import annotations

import time
from datetime import datetime

import duckdb
import geopandas as gpd
import pandas as pd
import shapely

from locality import funding, store
from locality.errors import ExportError
from locality.outputs import report
from locality.scenarios import ScenarioRun, edition_differences, figure_card, headline_pairs
from locality.settings import BNG, WGS84, attribution_statements
from locality.sites.appraisal import CRITERION_NAMES, scores, weights_from_file
from locality.sites.labels import assumption_rows, option_headings
from locality.vocabulary import DEMAND_METHOD_SHORT, DEMAND_METHODS

#: Board-pack formats: media type and renderer.
FORMATS = {"pdf": (report.PDF, report.to_pdf), "pptx": (report.PPTX, report.to_pptx)}


def _area_outline_bng(con: duckdb.DuckDBPyConnection, code: str):
    a = store.area(con, code)
    return gpd.GeoSeries([shapely.from_wkb(a["geom_web"])], crs=WGS84).to_crs(BNG).iloc[0], a


def _pcn_names(run: ScenarioRun, codes: list[str]) -> str:
    """Return PCNs by name with their code (``Ascot PCN (U14074)``), from the scenario's own grouping."""
    a = run.grouping.result.assignment if run.grouping is not None else None
    names = dict(zip(a["pcn_code"], a["pcn_name"], strict=False)) if a is not None else {}
    return ", ".join(f"{names[c]} ({c})" if c in names else c for c in codes)


def _parameters(run: ScenarioRun) -> list[tuple[str, str]]:
    doc, out = run.doc, []
    g = doc.get("grouping")
    if g:
        out += [("Population band (registered patients)", f"{g['floor']:,}–{g['ceiling']:,}"),
                ("Number of groups", str(g.get("n_groups") or "automatic (from the area total and the band)")),
                ("PCNs kept whole", _pcn_names(run, g.get("keep_pcns_whole", [])) or "none"),
                ("Practices kept together", "; ".join(", ".join(t) for t in g.get("keep_together", [])) or "none"),
                ("Practices kept apart", "; ".join(", ".join(t) for t in g.get("keep_apart", [])) or "none"),
                ("Seed", str(g.get("seed", 0))),
                ("Start from", "today's PCNs, moving the fewest " + g.get("minimise", "practices")
                 if g.get("mode") == "repair" else "a fresh grouping (a blank map)"),
                ("Territory", territory_text(run))]
    s = doc.get("sites")
    if s:
        cap = s.get("capacity") or {"basis": "none"}
        names = run.sites.practice_names if run.sites is not None else {}
        weights = {CRITERION_NAMES.get(c, c.replace("_", " ")): w for c, w in _rank_weights(run).items()}
        out += [("Practices in the site appraisal",
                 "; ".join(f"{c} {names[c]}" if c in names else c for c in s["practices"])),
                ("Sites from", f"estates register '{s['register']['name']}'" if s.get("register")
                 else "practice postcodes (no estates register; " + (
                     "floor areas estimated from list size, costs unknown)" if s.get("area_benchmark")
                     else "floor areas and costs unknown)")),
                ("Travel", "minutes from an uploaded travel-time matrix" if s.get("travel_matrix")
                 else run.sites.travel.provenance if run.sites is not None and s.get("travel", "straight") != "straight"
                 else f"straight-line distance (British National Grid) × circuity {s.get('circuity') or 1.0:g}"),
                ("Demand", _demand_text(run, s)),
                *([] if run.sites is None else [("Demand method", f"{DEMAND_METHODS[run.sites.demand.method]}. "
                                                                  f"Source: {run.sites.demand.provenance}")]),
                *([] if run.sites is None else assumption_rows(run.sites)),
                ("Sites that must stay open", ", ".join(s.get("must_keep", [])) or "none"),
                ("Sites that must close", ", ".join(s.get("must_close", [])) or "none"),
                ("Capacity", "not used" if cap.get("basis", "none") == "none" else
                 f"{cap['rate']:g} patients per {'m²' if cap['basis'] == 'm2' else 'clinical room'}"
                 f"{' (a hard constraint)' if cap.get('respect') else ' (reported only)'}"),
                ("Criteria weights (0–10) behind the rank",
                 ", ".join(f"{c} {w:g}" for c, w in weights.items()) or "none"),
                ("Option chosen", f"keep {int(run.chosen['k'])} site(s)" if run.chosen is not None else "none")]
    out.append(("Registered-list extract", str(run.edition.get("extract_date"))))
    return out


def _demand_text(run: ScenarioRun, s: dict) -> str:
    method = run.sites.demand.method if run.sites is not None else "modelled"
    if s.get("demand") == "registered":
        return {"registered": "registered patients (NHS England), where they live (LSOA file)",
                "mixed": "registered patients (NHS England), where they live where the LSOA file covers the "
                         "practice, else each list at its practice's address"}.get(
            method, "registered patients (NHS England), each list at its practice's address")
    return ("Census 2021 residents of the LSOAs nearest to these sites (across area boundaries)"
            + (", weighted by age" if s.get("age_weights") else ""))


def territory_text(run: ScenarioRun) -> str:
    """Return how the groups' territory was drawn, for the assumptions table."""
    method = run.grouping.result.demand_method if run.grouping is not None else "modelled"
    if method == "modelled":
        return ("whole LSOA 2021s, each to its nearest practice site (modelled: no LSOA file for these "
                "practices); groups are contiguous")
    return (f"whole LSOA 2021s, each to the group holding most of its registered patients (NHS England, patients "
            f"by LSOA){'' if method == 'registered' else '; nearest practice site for practices the file lacks'}; "
            "groups are contiguous")


def groups_table(run: ScenarioRun) -> pd.DataFrame:
    """Return the proposed groups as a printable table (headings a board member reads)."""
    g = run.grouping.result.groups
    return pd.DataFrame({
        "Group": g["group"], "Registered patients": g["patients"].map("{:,}".format),
        "Practices": g["practices"], "Sites": g["sites"], "Residents (2021)": g["residents"].map("{:,.0f}".format),
        "Mean IMD decile": g["mean_imd_decile"].map("{:.1f}".format), "Against the band": g["status"],
        "Mostly from PCN": g["main_pcn"],
        "Catchment": [DEMAND_METHOD_SHORT[run.grouping.group_method(m)] for m in
                      run.grouping.result.assignment.groupby("group")["practice_code"].apply(list)[g["group"]]]})


def moves_table(run: ScenarioRun) -> pd.DataFrame:
    """Return the practices that would leave their PCN's home group, as a printable table."""
    m = run.grouping.comparison.moves
    return pd.DataFrame({"ODS code": m["practice_code"], "Practice": m["practice_name"], "PCN today": m["pcn_name"],
                         "Patients": m["patients"].map("{:,}".format), "Proposed group": m["group"],
                         "Group most of its PCN joins": m["pcn_home_group"]})


def repair_moves_table(run: ScenarioRun) -> pd.DataFrame:
    """Return a repair's moves, each with its reason, as a printable table (what a repair's pack leads with)."""
    m = run.grouping.result.repair.moves
    return pd.DataFrame({"ODS code": m["practice_code"], "Practice": m["practice_name"],
                         "Patients": m["patients"].map("{:,}".format),
                         "From": m["from_pcn_name"].where(m["from_pcn_name"] != "", "(no PCN)"),
                         "To": [n or f"new group {g}" for n, g in zip(m["to_pcn_name"], m["to_group"], strict=True)],
                         "Why": m["reason"]})


def options_table(run: ScenarioRun) -> pd.DataFrame:
    """Return the site options (one row per number of sites kept) as a printable table."""
    a = run.sites
    u, ok, heads = a.unit, a.table, option_headings(a)
    fmt = "{:,.0f}" if u == "m" else "{:.1f}"
    out = pd.DataFrame({heads["k"]: ok["k"], heads["kept"]: ok["kept"].map(", ".join),
                        heads["closed"]: ok["closed"].map(lambda c: ", ".join(c) or "–"),
                        heads["mean_travel"]: ok["mean_travel"].map(fmt.format),
                        heads["p90_travel"]: ok["p90_travel"].map(fmt.format)})
    for c in a.within_columns:
        out[heads[c]] = ok[c].map("{:.0f}".format)
    shown = ["area_released_m2", *(["area_released_estimated_m2"] if a.area_estimated == "some" else []),
             "cost_released_gbp", "cost_released_estimated_gbp", "shortfall_patients"]
    for col in shown:
        if col in ok and ok[col].notna().any():
            out[heads[col]] = ok[col].map(lambda v: f"{v:,.0f}" if v == v else "–")
    if "builds_new" in ok:  # new-build candidates: what each option builds, and its cost against the estate released
        out["Builds new"] = ok["builds_new"]
        out["New-build cost (£, estimate)"] = ok["new_build_cost_gbp"].map(lambda v: f"{v:,.0f}" if v else "–")
    out[heads["gap"]] = ok["gap"].map(lambda g: f"{100 * g:.2f}%")
    usable = _rank_weights(run)
    if usable and len(ok) > 1:
        ranked = scores(ok, usable)
        out.insert(0, "Rank (your weights)", ok["k"].map(dict(zip(ranked["k"], ranked["rank"], strict=True))).values)
    chosen = run.chosen
    out.insert(0, "Chosen", ["yes" if chosen is not None and k == chosen["k"] else "" for k in ok["k"]])
    return out.reset_index(drop=True)


def _rank_weights(run: ScenarioRun) -> dict[str, float]:
    """Return the saved criteria weights the options can be ranked on (non-zero, known for every option)."""
    if run.sites is None:
        return {}
    weights = weights_from_file((run.doc.get("sites") or {}).get("weights") or {}, run.sites.unit)
    ok = run.sites.table
    return {c: w for c, w in weights.items() if w and (c == "sites_released" or (c in ok and ok[c].notna().all()))}


def _circuity_note(con: duckdb.DuckDBPyConnection, run: ScenarioRun) -> list[str]:
    s = run.doc.get("sites") or {}
    if not s or s.get("travel_matrix") or s.get("travel", "straight") != "straight":
        return []
    default = store.default_circuity(con)
    if s.get("circuity") is not None and abs(float(s["circuity"]) - default.factor) < 1e-9:
        return [f"Circuity factor {default.label}. Source: {default.source}"]
    return [f"Circuity factor {s.get('circuity') or 1.0:g} was set by the planner."]


def board_pack(con: duckdb.DuckDBPyConnection, run: ScenarioRun) -> report.BoardPack:
    """Everything the board pack shows for a scenario run, in British National Grid.

    Parameters
    ----------
    con : DuckDB connection
        The store (area boundary, practices, LSOA geometry, provenance).
    run : ScenarioRun
        From :func:`locality.scenarios.run_scenario`.
    """
    doc = run.doc
    outline, a = _area_outline_bng(con, doc["area"])
    band = ""
    if run.grouping is not None:
        o = run.grouping.result.options
        band = f" · {o.floor:,}–{o.ceiling:,}"
    notes = [*run.notes, *edition_differences(doc.get("edition"), run.edition)] if doc.get("edition") else list(
        run.notes)
    place = store.area_label(a["code"], a["name"], a.get("covers"))
    pack = report.BoardPack(
        title=doc["name"], subtitle=f"{place}{band} · registered lists of {run.edition.get('extract_date')}",
        description=doc.get("description", ""), headline=[figure_card(label, value) for label, value in headline_pairs(run)], area_outline=outline,
        parameters=_parameters(run), provenance=store.provenance(con).rename(columns={
            "title": "Dataset", "publisher": "Publisher", "edition": "Edition", "licence": "Licence"})[
            ["Dataset", "Publisher", "Edition", "Licence"]],
        attributions=attribution_statements(), generated=datetime.now().strftime("%d %B %Y, %H:%M"),
        notes=[*_circuity_note(con, run), *notes])
    if run.grouping is not None:
        r = run.grouping.result
        g = r.groups[r.groups["group"].isin(r.outlines)]
        pack.groups = gpd.GeoDataFrame(g[["group", "patients", "practices", "status"]].reset_index(drop=True),
                                       geometry=[r.outlines[x] for x in g["group"]], crs=BNG)
        p = store.practices(con, run.grouping.area_type, run.grouping.area_code)
        pack.practices = p[["practice_code", "practice_name", "easting", "northing", "patients"]].merge(
            r.assignment[["practice_code", "group"]], on="practice_code", how="left").dropna(subset=["easting"])
        pack.groups_table = groups_table(run)
        pack.moves_table = moves_table(run)
        if r.repair is not None:
            pack.moves_table, pack.moves_first = repair_moves_table(run), True
            pack.moves_heading = f"The moves and their reasons: {r.repair.headline()}"
        if run.grouping.funding is not None:
            f = run.grouping.funding
            pack.funding_table = funding.printable(pd.concat([f["groups"], f["area"]], ignore_index=True))
            pack.notes.append(f"NHS payments: {funding.SOURCE}. The area row totals every practice of the area.")
        pack.notes += [f"{e.group}: {e.reason}" for e in r.exceptions]
    if run.sites is not None and run.chosen is not None:
        inst, kept = run.sites, set(run.chosen["kept"])
        pack.sites = inst.sites[["site_id", "postcode", "easting", "northing"]].assign(
            kept=inst.sites["site_id"].isin(kept))
        if inst.demand.kind == "residents":  # shade the catchment's LSOAs by travel
            geo = store.lsoa_web_geometries(con, list(inst.demand.points["lsoa21_code"]), bng=True)
            demand = inst.demand.points.assign(travel=inst.nearest_kept(list(kept))).merge(geo, on="lsoa21_code")
            pack.demand = gpd.GeoDataFrame(demand.drop(columns=["geom_bng"]),
                                           geometry=shapely.from_wkb(demand["geom_bng"].to_numpy()), crs=BNG)
        pack.travel_unit = inst.unit
        pack.options_table = options_table(run)
        if pack.practices is None:
            p = inst.sites.assign(practice_code=inst.sites["practices"], practice_name=inst.sites["practice_names"],
                                  group=None)
            pack.practices = p[["practice_code", "practice_name", "easting", "northing", "patients", "group"]]
        if (inst.sites["source"] == "practice postcode").all():
            pack.notes.append("No public estates data exists: sites are practice postcodes, and floor areas, "
                              "tenure, condition and running costs are unknown without an estates register.")
        pack.notes += list(inst.notes)
    from locality.outputs.growth_pack import growth_tables

    pack.growth_tables, growth_notes = growth_tables(con, run)
    pack.notes += growth_notes
    return pack


def export(con: duckdb.DuckDBPyConnection, run: ScenarioRun, fmt: str) -> tuple[bytes, float]:
    """Render a scenario run's board pack as ``pdf`` or ``pptx``; returns the bytes and the seconds taken."""
    if fmt not in FORMATS:
        raise ExportError(f"format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    t0 = time.perf_counter()
    data = FORMATS[fmt][1](board_pack(con, run))
    return data, time.perf_counter() - t0
