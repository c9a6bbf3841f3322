"""Compare a proposed grouping with today's PCNs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from locality.summary import pcn_sizes


def adjusted_rand_index(a, b) -> float:
    """Adjusted Rand index between two labellings of the same items (1 = identical, ~0 = chance)."""
    a = pd.Series(list(a)).astype(str)
    b = pd.Series(list(b)).astype(str)
    if len(a) != len(b):
        raise ValueError("labellings differ in length")
    n = len(a)
    if n < 2:
        return 1.0
    table = pd.crosstab(a, b).to_numpy()

    def comb2(x):
        x = np.asarray(x, dtype=float)
        return (x * (x - 1) / 2).sum()

    index = comb2(table)
    sa, sb = comb2(table.sum(axis=1)), comb2(table.sum(axis=0))
    expected = sa * sb / (n * (n - 1) / 2)
    maximum = (sa + sb) / 2
    if maximum == expected:
        return 1.0
    return float((index - expected) / (maximum - expected))


def match_groups_to_pcns(assignment: pd.DataFrame) -> dict[str, str]:
    """Pair each group with the PCN it shares most patients with (one-to-one, greedy by overlap).

    Returns
    -------
    dict
        group → PCN code (groups without a partner are left out).
    """
    real = assignment[assignment["pcn_code"] != "U"]
    overlap = real.groupby(["group", "pcn_code"])["patients"].sum().sort_values(ascending=False)
    used_g, used_p, out = set(), set(), {}
    for (g, p), _v in overlap.items():
        if g not in used_g and p not in used_p:
            out[g] = p
            used_g.add(g)
            used_p.add(p)
    return out


@dataclass
class Comparison:
    """How a proposal differs from today's PCNs."""

    ari: float
    moves: pd.DataFrame
    pcns_today: pd.DataFrame
    pcns_outside_today: int
    pcns_today_count: int

    def as_dict(self) -> dict:
        """Plain-dict form for JSON."""
        return {
            "adjusted_rand_index": round(self.ari, 4),
            "practices_moving": int(len(self.moves)),
            "pcns_today": self.pcns_today_count,
            "pcns_today_outside_bounds": self.pcns_outside_today,
        }


def compare_with_today(assignment: pd.DataFrame, pcn_totals: pd.DataFrame, floor: int, ceiling: int) -> Comparison:
    """Compare a grouping's practice assignment with today's PCNs.

    Parameters
    ----------
    assignment : DataFrame
        ``practice_code, practice_name, pcn_code, pcn_name, patients, group``.
    pcn_totals : DataFrame
        The store's PCN table (national totals), for the health check of today's PCNs.
    floor, ceiling : int

    Returns
    -------
    Comparison
        ARI against today's PCNs; the practices that would move (not in the group paired
        with their PCN); and today's PCNs in the area against the same bounds.
    """
    ari = adjusted_rand_index(assignment["group"], assignment["pcn_code"])
    pair = match_groups_to_pcns(assignment)
    home = {p: g for g, p in pair.items()}
    a = assignment.copy()
    a["paired_group"] = a["pcn_code"].map(home)
    moves = a[a["paired_group"] != a["group"]][["practice_code", "practice_name", "pcn_name", "patients", "group",
                                                   "paired_group"]].rename(columns={"paired_group": "pcn_paired_with"})
    today = pcn_sizes(assignment, pcn_totals, floor, ceiling)
    return Comparison(ari, moves.reset_index(drop=True), today, int((today["status"] != "within").sum()), len(today))
