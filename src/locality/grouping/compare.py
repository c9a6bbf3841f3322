"""Compare a proposed grouping with today's PCNs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from locality.grouping.summary import pcn_sizes
from locality.vocabulary import PLACEHOLDER_PCN


def adjusted_rand_index(a, b) -> float:
    """Return the adjusted Rand index between two labellings of the same items (1 = identical, ~0 = chance)."""
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


def home_groups(assignment: pd.DataFrame) -> dict[str, str]:
    """Return, for each of today's PCNs, the proposed group holding most of its patients (its "home").

    Returns
    -------
    dict
        PCN code → group (ties go to the first group name). The "Unallocated" placeholder is left out.
    """
    real = assignment[assignment["pcn_code"] != PLACEHOLDER_PCN]
    share = (real.groupby(["pcn_code", "group"])["patients"].sum().reset_index()
             .sort_values(["pcn_code", "patients", "group"], ascending=[True, False, True])
             .drop_duplicates("pcn_code"))
    return dict(zip(share["pcn_code"], share["group"], strict=True))


@dataclass
class Comparison:
    """How a proposal differs from today's PCNs."""

    ari: float
    moves: pd.DataFrame
    pcns_today: pd.DataFrame
    pcns_outside_today: int
    pcns_today_count: int

    def as_dict(self) -> dict:
        """Return the plain-dict form for JSON."""
        return {
            "adjusted_rand_index": round(self.ari, 4),
            "practices_moving": len(self.moves),
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
        ARI against today's PCNs; the practices that would move (those not in the group that
        holds most of their PCN's patients; practices in no PCN today are not counted); and
        today's PCNs in the area against the same bounds.
    """
    ari = adjusted_rand_index(assignment["group"], assignment["pcn_code"])
    home = home_groups(assignment)
    a = assignment.copy()
    a["pcn_home_group"] = a["pcn_code"].map(home)
    moving = (a["pcn_code"] != PLACEHOLDER_PCN) & (a["pcn_home_group"] != a["group"])
    moves = a[moving][["practice_code", "practice_name", "pcn_name", "patients", "group", "pcn_home_group"]]
    today = pcn_sizes(assignment, pcn_totals, floor, ceiling)
    return Comparison(ari, moves.reset_index(drop=True), today, int((today["status"] != "within").sum()), len(today))
