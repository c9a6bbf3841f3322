"""The board pack's "Growth" section: list trends, the trajectory, groups and site options at the planning year.

Each site option's capacity over time and GP need are given; every projected figure is labelled a projection.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from locality import store
from locality.growth.area import area_growth, pcn_trends, projected_lists
from locality.growth.labels import capacity_text, lists_text, rate_text
from locality.growth.planning import options_outlook
from locality.scenarios import ScenarioRun


def growth_tables(con: duckdb.DuckDBPyConnection, run: ScenarioRun) -> tuple[list[tuple[str, pd.DataFrame, str]],
                                                                              list[str]]:
    """Return the Growth section's tables and notes for a scenario run (empty without a planning year)."""
    plan = run.plan
    if plan is None:
        return [], []
    doc = run.doc
    a = store.area(con, doc["area"])
    t, england = area_growth(con, a["area_type"], a["code"]), area_growth(con)
    trends = pd.DataFrame([{"Area": a["name"], "Lists at each edition": lists_text(t), "Growth a year": rate_text(t.rate)},
                           {"Area": "England", "Lists at each edition": lists_text(england),
                            "Growth a year": rate_text(england.rate)}])
    out = [("Growth: list trends (observed)", trends, "No editions.")]
    practices = store.practices(con, a["area_type"], a["code"])
    pcns = pcn_trends(con, sorted(set(practices["pcn_code"])), year=plan.year)
    out.append((f"Growth: today's PCNs now and at {plan.year} (projection)", pd.DataFrame({
        "PCN": pcns["pcn_code"], "Trend": pcns["trend"],
        f"Patients {plan.year} (projection)": pcns["at_year"].round(0).map("{:,.0f}".format),
        f"{plan.year} against the band": pcns["status_at_year"]}), "No PCNs."))
    if plan.housing is not None:
        h = plan.housing.frame().groupby(["site_ref", "site_name", "status"], as_index=False).agg(
            homes=("dwellings", "sum"), first=("year", "min"), last=("year", "max"))
        out.append(("Growth: the housing trajectory used" + (" (illustrative)" if plan.housing.illustrative else ""),
                    h.rename(columns={"site_ref": "Site", "site_name": "Name", "status": "Status", "homes": "Homes",
                                      "first": "From", "last": "To"}), "No homes."))
    if run.grouping is not None and run.grouping.outlook is not None:
        o = run.grouping.outlook
        out.append((f"Growth: groups now and at {plan.year} (projection)", pd.DataFrame({
            "Group": o["group"], "Patients today": o["patients_now"].map("{:,.0f}".format),
            f"Patients {plan.year} (projection)": o["patients_at_year"].map("{:,.0f}".format),
            f"{plan.year} against the band": o["status_at_year"],
            "Leaves the band": o["leaves_band"].map({True: "yes", False: ""}),
            "GP need today (FTE)": o["gp_now"], f"GP need {plan.year} (FTE)": o["gp_at_year"],
            "Extra GPs from housing (FTE)": o["gp_from_housing"]}), "No groups."))
    notes = []
    if run.sites is not None:
        codes = sorted({c for cs in run.sites.sites["practices"] for c in str(cs).split(",") if c})
        proj = projected_lists(con, practices[practices["practice_code"].isin(codes)] if set(codes) <= set(
            practices["practice_code"]) else store.all_practices(con).query("practice_code in @codes"), plan)
        rows = options_outlook(run.sites.table.to_dict("records"), proj)
        builds = dict(zip(run.sites.table["k"], run.sites.table.get("builds_new", pd.Series(
            [""] * len(run.sites.table))), strict=True))
        out.append((f"Growth: site options' capacity over time and GP need, {plan.year} (projection)", pd.DataFrame({
            "Sites kept": [r["k"] for r in rows], "Builds new": [builds.get(r["k"], "") for r in rows],
            "Capacity": [capacity_text(r) for r in rows],
            "GP need today (FTE)": [r["gp_now"] for r in rows],
            f"GP need {plan.year} (FTE)": [r["gp_at_year"] for r in rows]}), "No options."))
        notes.append(proj.method())
    elif run.grouping is not None and run.grouping.projection is not None:
        notes.append(run.grouping.projection.method())
    notes.append(plan.need.label() + ".")
    return out, notes
