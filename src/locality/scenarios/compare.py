"""Scenarios side by side: headline figures, practices that move, site choices."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from locality.grouping.compare import adjusted_rand_index, home_groups
from locality.scenarios.run import ScenarioRun
from locality.sites import SiteAppraisal
from locality.sites.labels import area_released_text, travel_text
from locality.vocabulary import PLACEHOLDER_PCN

#: The headline figures, in the order reports show them.
HEADLINE_ORDER = ("Groups", "Within the band", "Practices that move", "Sites kept", "Mean travel",
                  "Estate released")


def headline_pairs(run: ScenarioRun, most: int = 6) -> list[tuple[str, str]]:
    """Up to ``most`` headline figures as (label, text), grouping first, then the site option."""
    h = headline(run)
    return [(k, str(h[k])) for k in HEADLINE_ORDER if k in h][:most]


def figure_parts(value) -> tuple[str, str]:
    """Split a headline figure into its number and its qualifier, for big type.

    ``"1,927 m (age-weighted)"`` → ``("1,927 m", "age-weighted")``; ``"2 of 3"`` → ``("2 of 3", "")``.
    """
    text = str(value)
    if text.endswith(")") and " (" in text:
        main, _, qualifier = text.rpartition(" (")
        return main, qualifier[:-1]
    return text, ""


def figure_card(label: str, value, joined: str = "{label} · {qualifier}") -> tuple[str, str]:
    """Return a headline figure as (label, number) for big type, its qualifier moved into the label.

    ``("Mean travel", "1,927 m (age-weighted)")`` → ``("Mean travel · age-weighted", "1,927 m")``.
    """
    number, qualifier = figure_parts(value)
    return (joined.format(label=label, qualifier=qualifier) if qualifier else label), number


def _mean_travel_text(run: ScenarioRun, value: float) -> str:
    """Mean travel as text, saying when residents are weighted by age."""
    text = travel_text(value, run.sites.unit)
    return f"{text} (age-weighted)" if run.sites.demand.age_weights is not None else text


def _assumption(appraisal: SiteAppraisal, attr: str):
    """Return the age weights or the floor-area benchmark an appraisal used (or None)."""
    return appraisal.demand.age_weights if attr == "age_weights" else appraisal.area_benchmark


def _assumption_figures(appraisal: SiteAppraisal, attr: str):
    """Return the figures that change results: age weights as scaled to England's mean, or m² per patient."""
    v = _assumption(appraisal, attr)
    if v is None:
        return None
    if attr == "age_weights":
        return tuple(round(w / appraisal.demand.age_weight_mean, 9) for w in v.weights.values())
    return v.m2_per_patient


def assumption_differences(a: ScenarioRun, b: ScenarioRun) -> list[str]:
    """Return notes on the planner's assumptions that differ between two runs (figures not like for like)."""
    if a.sites is None or b.sites is None:
        return []
    out = []
    for what, attr in (("age weights", "age_weights"), ("floor-area benchmark", "area_benchmark")):
        if _assumption_figures(a.sites, attr) != _assumption_figures(b.sites, attr):
            sides = [f"{run.doc['name']}: {'none' if v is None else v.label() + ' (' + v.source + ')'}"
                     for run, v in ((a, _assumption(a.sites, attr)), (b, _assumption(b.sites, attr)))]
            out.append(f"The {what} differ, so the travel or area figures are not like for like — "
                       + "; ".join(sides) + ".")
    return out


def headline(run: ScenarioRun) -> dict:
    """Headline figures: groups, % within bounds, practices moving, mean travel, sites kept, estate released."""
    out: dict = {}
    if run.grouping is not None:
        s = run.grouping.summary()
        out.update({"Groups": s["groups"], "Within the band": f"{100 * s['within_bounds_share']:.0f}%",
                    "Band": f"{s['floor']:,}–{s['ceiling']:,}", "Practices that move": s["practices_moving"],
                    "Match with today (ARI)": f"{s['adjusted_rand_index']:.2f}"})
        if "moves_lower_bound" in s:  # a repair: say whether the moves are proven the fewest
            proof = "proven fewest" if s["moves_proven_minimal"] else f"at least {s['moves_lower_bound']:,} {s['minimise']} needed"
            out["Practices that move"] = f"{s['practices_moving']} ({proof})"
    c = run.chosen
    if c is not None:
        n = len(run.sites.sites)
        out["Sites kept"] = f"{int(c['k'])} of {n}"
        out["Mean travel"] = _mean_travel_text(run, c["mean_travel"])
        released = f"{n - int(c['k'])} site(s)"
        area = area_released_text(c)
        if area:
            released += f", {area}"
        cost = c.get("cost_released_gbp")
        if cost is not None and cost == cost:
            released += f", £{cost:,.0f}/yr"
        out["Estate released"] = released
    return out


def today_headline(run: ScenarioRun) -> dict:
    """Return the same figures for today's PCNs in the scenario's area (all sites open)."""
    out: dict = {}
    if run.grouping is not None:
        cmp_ = run.grouping.comparison
        today = cmp_.pcns_today
        real = today[today["pcn_code"] != PLACEHOLDER_PCN] if "pcn_code" in today else today
        out.update({"Groups": len(real),
                    "Within the band": f"{100 * (real['status'] == 'within').mean():.0f}%" if len(real) else "–",
                    "Band": f"{run.grouping.result.options.floor:,}–{run.grouping.result.options.ceiling:,}",
                    "Practices that move": 0, "Match with today (ARI)": "1.00"})
    if run.sites is not None:
        d = run.sites.demand.points["weight"].to_numpy(dtype=float)
        travel = run.sites.travel.nearest()
        mean = float(np.average(travel, weights=d)) if d.sum() else float("nan")
        out["Sites kept"] = f"{len(run.sites.sites)} of {len(run.sites.sites)}"
        out["Mean travel"] = _mean_travel_text(run, mean)
        out["Estate released"] = "none"
    return out


@dataclass
class ScenarioComparison:
    """Two scenarios (or one and today's PCNs) side by side."""

    names: tuple[str, str]
    headline: pd.DataFrame
    moves: pd.DataFrame
    ari: float | None
    sites: pd.DataFrame
    notes: list[str]


def compare(a: ScenarioRun, b: ScenarioRun | None) -> ScenarioComparison:
    """Compare scenario ``a`` with scenario ``b``, or with today's PCNs when ``b`` is None.

    Returns
    -------
    ScenarioComparison
        ``headline`` (one row per figure, one column per side); ``moves`` (going from ``b`` to
        ``a``: the practices whose group in ``a`` is not the one holding most of their ``b``
        group's patients — the rule used against today, with ``b`` in the place of today's PCNs,
        so swapping the sides can give a different list); ``ari`` between
        the two groupings; ``sites`` (each site, kept or closed on each side).
    """
    name_a = a.doc["name"]
    name_b = b.doc["name"] if b is not None else "Today's PCNs"
    if name_b == name_a:
        name_b = f"{name_b} (2)"
    notes: list[str] = []
    ha, hb = headline(a), (headline(b) if b is not None else today_headline(a))
    if b is not None and a.grouping is not None and b.grouping is not None and a.doc["area"] != b.doc["area"]:
        notes.append(f"The scenarios cover different areas ({a.doc['area']} and {b.doc['area']}).")
    if b is not None:
        notes += assumption_differences(a, b)
    keys = list(dict.fromkeys([*ha, *hb]))
    table = pd.DataFrame({"Figure": keys, name_a: [str(ha.get(k, "–")) for k in keys],
                          name_b: [str(hb.get(k, "–")) for k in keys]})
    moves = pd.DataFrame(columns=["practice_code", "practice_name", "patients", "group_a", "group_b"])
    ari = None
    if a.grouping is not None and b is None:
        m = a.grouping.comparison.moves
        moves = m.rename(columns={"group": "group_a", "pcn_name": "group_b"})[
            ["practice_code", "practice_name", "patients", "group_a", "group_b"]]
        ari = a.grouping.comparison.ari
    elif a.grouping is not None and b is not None and b.grouping is not None:
        ga, gb = a.grouping.result.assignment, b.grouping.result.assignment
        both = ga[["practice_code", "practice_name", "patients", "group"]].merge(
            gb[["practice_code", "group"]], on="practice_code", suffixes=("_a", "_b"))
        if len(both) < max(len(ga), len(gb)):
            notes.append(f"The scenarios cover different practices: {len(both)} are in both and are compared.")
        ari = adjusted_rand_index(both["group_a"], both["group_b"]) if len(both) else None
        # pair each group of b with the group of a that most of its patients come from
        pairing = home_groups(both.rename(columns={"group_b": "pcn_code", "group_a": "group"}))
        moving = both["group_b"].map(pairing) != both["group_a"]
        moves = both[moving][["practice_code", "practice_name", "patients", "group_a", "group_b"]]
    moves = moves.rename(columns={"group_a": f"Group in {name_a}", "group_b": f"Group in {name_b}"})
    sites = _site_choices(a, b, name_a, name_b)
    return ScenarioComparison((name_a, name_b), table, moves.reset_index(drop=True), ari, sites, notes)


def _site_choices(a: ScenarioRun, b: ScenarioRun | None, name_a: str, name_b: str) -> pd.DataFrame:
    frames = []
    for run, name in ((a, name_a), (b, name_b)):
        if run is None:
            if a.sites is not None:  # today: every site open
                s = a.sites.sites
                frames.append(pd.DataFrame({"site_id": s["site_id"], "postcode": s["postcode"], name: "open"}))
            continue
        if run.sites is None or run.chosen is None:
            continue
        s = run.sites.sites
        kept = set(run.chosen["kept"])
        frames.append(pd.DataFrame({"site_id": s["site_id"], "postcode": s["postcode"],
                                    name: ["kept" if x in kept else "closed" for x in s["site_id"]]}))
    if not frames:
        return pd.DataFrame(columns=["site_id", "postcode"])
    out = frames[0]
    for f in frames[1:]:
        out = out.merge(f, on=["site_id", "postcode"], how="outer")
    return out.fillna("–").sort_values("site_id").reset_index(drop=True)
