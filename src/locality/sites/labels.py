"""How a site appraisal's figures are named and written: one wording for the page, the CLI and the board pack."""

from __future__ import annotations

import pandas as pd

from locality.sites.problem import SiteAppraisal
from locality.vocabulary import DEMAND_KINDS, WITHIN, within_heading, within_label


def demand_label(appraisal: SiteAppraisal) -> str:
    """Return what the demand counts, for headings: residents (age-weighted or not) or registered patients."""
    if appraisal.demand.age_weights is not None:
        return "Residents (Census 2021) of the catchment's LSOAs, weighted by age"
    return DEMAND_KINDS[appraisal.demand.kind]


def people_label(appraisal: SiteAppraisal) -> str:
    """Return the short name of what the demand weights sum to, for figures."""
    if appraisal.demand.kind == "registered":
        return "registered patients"
    return "age-weighted residents" if appraisal.demand.age_weights is not None else "residents"


def area_qualifier(appraisal: SiteAppraisal) -> str:
    """Return how figures built on the floor areas are marked: ``""``, ``"estimated"`` or ``"some estimated"``."""
    return {"none": "", "some": "some estimated", "all": "estimated"}[appraisal.area_estimated]


def area_heading(appraisal: SiteAppraisal, what: str) -> str:
    """Return a heading for a figure in m² on the sites' floor areas, marked when they are estimated.

    ``Area released (m²)``, ``Area released (m², estimated)`` or ``… (m², some estimated)``.
    """
    q = area_qualifier(appraisal)
    return f"{what} (m², {q})" if q else f"{what} (m²)"


def option_headings(appraisal: SiteAppraisal) -> dict[str, str]:
    """Return the heading of every column of the options table, for this appraisal's unit and areas."""
    u = appraisal.unit
    return {
        "rank": "Rank", "k": "Sites kept", "kept": "Kept", "closed": "Closed",
        "score": "Weighted score", "first_under_20pc": "Ranks first with weights ±20%",
        "mean_travel": f"Mean travel ({u})", "p90_travel": f"90th percentile ({u})",
        **{within_label(t, u): within_heading(t, u) for t in WITHIN[u]},
        "area_released_m2": area_heading(appraisal, "Area released"),
        "area_released_estimated_m2": "Of which estimated (m²)",
        "cost_released_gbp": "Running cost released (£/yr)",
        "cost_released_estimated_gbp": "Of which estimated from Premises Payments 2022-23 (£/yr)",
        "mean_condition": "Mean condition (A=1 … D=4)",
        "shortfall_patients": "Capacity shortfall (patients)",
        "shortfall_m2": area_heading(appraisal, "Shortfall"),
        "capacity_use": "Capacity use of kept sites",
        "gap": "Proven optimality gap",
    }


def travel_text(value: float, unit: str) -> str:
    """Return a travel figure as text: ``1,519 m`` or ``12.5 min``."""
    return f"{value:,.0f} m" if unit == "m" else f"{value:.1f} min"


def area_released_text(option: pd.Series | dict) -> str | None:
    """Return an option's floor area released as text, saying how much is estimated (None if unknown).

    ``709 m² (estimated)``, ``1,359 m² (709 m² of it estimated)`` or ``650 m²``.
    """
    area = option.get("area_released_m2")
    if area is None or area != area:
        return None
    est = option.get("area_released_estimated_m2")
    if est is None or est != est or est <= 0:
        return f"{area:,.0f} m²"
    return f"{area:,.0f} m² (estimated)" if est >= area else f"{area:,.0f} m² ({est:,.0f} m² of it estimated)"


def assumption_rows(appraisal: SiteAppraisal) -> list[tuple[str, str]]:
    """Return the planner's age weights and floor-area benchmark as (what, "figures. Source: …") pairs."""
    rows = []
    ages = appraisal.demand.age_weights
    if ages is not None:
        rows.append(("Residents weighted by age", f"{ages.label()}, divided by "
                                                  f"{appraisal.demand.age_weight_mean:.2f} (England's mean weight) "
                                                  "so that a resident of England's average age counts 1; travel "
                                                  "means, shares and capacity count each resident at this weight. "
                                                  f"Source: {ages.source}"))
    if appraisal.area_benchmark is not None:
        rows.append(("Floor areas estimated from list size", f"{appraisal.area_benchmark.label()}. "
                                                             f"Source: {appraisal.area_benchmark.source}"))
    return rows


def site_label(site: pd.Series | dict) -> str:
    """Return a site as a planner names it: its register name (or its practices' names), and its town.

    ``Kings Corner Surgery (Ascot)``; without a register, ``Green Meadows Surgery; Ascot Medical Centre (Ascot)``.
    """
    name = site.get("site_name")
    if not isinstance(name, str) or not name.strip():
        name = site.get("practice_names") or site.get("postcode") or site.get("site_id")
    town = site.get("town")
    name = str(name)
    if not isinstance(town, str) or not town or f"({town.lower()})" in name.lower():  # "Greensand Surgery (Ampthill)"
        return name
    return f"{name} ({town})"


def site_labels(appraisal: SiteAppraisal) -> dict[str, str]:
    """Return site_id → :func:`site_label` for every site of an appraisal."""
    return {r["site_id"]: site_label(r) for r in appraisal.sites.to_dict("records")}
