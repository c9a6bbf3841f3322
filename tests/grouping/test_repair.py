"""Least-change repair of today's PCNs on real East Berkshire practices: the fewest moves, proven.

The brute force here is independent of the engine: it enumerates every partition of a real
sub-area's sites into connected groups within the band, and for each finds the best one-to-one
match of groups to today's PCNs by trying every assignment.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from locality import graph, store
from locality.grouping import GroupingError, GroupingOptions, group_practices
from locality.grouping.compare import compare_with_today
from locality.grouping.problem import GroupingProblem
from locality.grouping.repair import RepairProblem, move_reason, moves_bound
from locality.vocabulary import PLACEHOLDER_PCN
from tests.cases import grouping_inputs_by_code

#: Real sub-areas of East Berkshire (U2G6B): today's PCNs, by name, whose practices are repaired alone.
SUB_AREAS = {
    "windsor_ascot": ("WINDSOR PCN", "ASCOT PCN"),
    "bracknell": ("BRACKNELL AND DISTRICT PCN", "THE HEALTH TRIANGLE PCN", "BRACCAN PCN"),
    "slough": ("CENTRAL SLOUGH NETWORK PCN", "SHAPE PCN", "SPINE PCN"),
    "maidenhead": ("MAIDENHEAD PCN",),
}


@pytest.fixture(scope="module")
def inputs(small_store):
    con = store.connect(small_store)
    yield grouping_inputs_by_code(con)
    con.close()


def _sub_area(inputs, names):
    p, lsoa, adj = inputs("U2G6B")
    return p[p["pcn_name"].isin(names)].reset_index(drop=True), lsoa, adj


def _connected_sets(v, allowed, nb, w, floor, ceiling):
    """Every connected set of ``allowed`` holding ``v`` whose weight lies in the band."""
    out, frontier = {frozenset([v])}, [frozenset([v])]
    while frontier:
        nxt = []
        for s in frontier:
            for u in {x for i in s for x in nb[i]} & allowed - s:
                t = s | {u}
                if t not in out and sum(w[i] for i in t) <= ceiling:
                    out.add(t)
                    nxt.append(t)
        frontier = nxt
    return [s for s in out if floor <= sum(w[i] for i in s) <= ceiling]


def _partitions(left, nb, w, floor, ceiling):
    """Every partition of ``left`` into connected in-band blocks."""
    if not left:
        yield []
        return
    for block in _connected_sets(min(left), left, nb, w, floor, ceiling):
        for rest in _partitions(left - block, nb, w, floor, ceiling):
            yield [block, *rest]


def _best_kept(blocks, kept_of, pcns):
    """The most charge kept in place by any one-to-one choice of PCN (or none) for each block."""
    best = 0.0
    for labels in itertools.product([None, *pcns], repeat=len(blocks)):
        used = [x for x in labels if x is not None]
        if len(used) == len(set(used)):
            best = max(best, sum(kept_of.get((u, lab), 0.0) for b, lab in zip(blocks, labels, strict=True)
                                 if lab for u in b))
    return best


def _brute_force_minimum(practices, lsoa, adj, floor, ceiling, minimise="practices"):
    """Return the fewest practices (or patients) that leave their PCN over every contiguous in-band grouping."""
    gp = GroupingProblem(practices, lsoa, adj, GroupingOptions(floor, ceiling))
    ug = gp.unit_graph()
    p = gp.practices.assign(unit=ug.unit)
    nb, w = ug.territory.unit_neighbours, ug.weights
    charge = p["patients"] if minimise == "patients" else pd.Series(1.0, index=p.index)
    charge = charge.where(p["pcn_code"] != PLACEHOLDER_PCN, 0.0)
    kept_of = {k: c for k, c in charge.groupby([p["unit"], p["pcn_code"]]).sum().items() if k[1] != PLACEHOLDER_PCN}
    pcns = sorted({pcn for _u, pcn in kept_of})
    total = float(charge.sum())
    best = None
    for blocks in _partitions(frozenset(range(len(w))), nb, w, floor, ceiling):
        assert all(len(graph.components(list(b), nb)) == 1 for b in blocks)
        cost = total - _best_kept(blocks, kept_of, pcns)
        best = cost if best is None else min(best, cost)
    return best


def _check(result, practices, floor, ceiling):
    a = result.assignment
    assert sorted(a["practice_code"]) == sorted(practices["practice_code"])
    assert (a.groupby("site_id")["group"].nunique() == 1).all()  # co-located practices move together
    assert result.all_contiguous
    forced = {e.group for e in result.exceptions if e.forced}
    for g in result.groups.itertuples():
        assert floor <= g.patients <= ceiling or g.group in forced, (g.group, g.patients)
    rep = result.repair
    moved = set(rep.moved["practice_code"])
    # a practice moves exactly when its group does not continue its PCN
    for r in a.itertuples():
        if r.pcn_code != PLACEHOLDER_PCN:
            assert (rep.continues[r.group] != r.pcn_code) == (r.practice_code in moved), r.practice_code


@pytest.mark.parametrize("sub_area", sorted(SUB_AREAS))
def test_repair_moves_equal_the_brute_force_minimum(inputs, sub_area):
    p, lsoa, adj = _sub_area(inputs, SUB_AREAS[sub_area])
    floor, ceiling = 30_000, 50_000
    r = group_practices(p, lsoa, adj, GroupingOptions(floor, ceiling, mode="repair"))
    _check(r, p, floor, ceiling)
    expected = _brute_force_minimum(p, lsoa, adj, floor, ceiling)
    assert expected is not None, "the sub-area has an in-band grouping"
    assert r.repair.practices_moved == expected
    assert r.repair.proven and r.repair.as_dict()["moves_lower_bound"] == expected


def test_fewest_patients_equal_the_brute_force_minimum(inputs):
    p, lsoa, adj = _sub_area(inputs, SUB_AREAS["windsor_ascot"])
    r = group_practices(p, lsoa, adj, GroupingOptions(30_000, 50_000, mode="repair", minimise="patients"))
    _check(r, p, 30_000, 50_000)
    assert r.repair.patients_moved == _brute_force_minimum(p, lsoa, adj, 30_000, 50_000, "patients")
    assert r.repair.proven
    by_practices = group_practices(p, lsoa, adj, GroupingOptions(30_000, 50_000, mode="repair"))
    assert r.repair.patients_moved <= by_practices.repair.patients_moved
    assert r.repair.practices_moved >= by_practices.repair.practices_moved


def test_east_berkshire_repair_is_proven_and_beats_the_fresh_grouping(inputs, con):
    p, lsoa, adj = inputs("U2G6B")
    r = group_practices(p, lsoa, adj, GroupingOptions(30_000, 50_000, mode="repair"))
    _check(r, p, 30_000, 50_000)
    assert r.all_within
    assert r.repair.proven, r.repair.headline()
    assert r.repair.pcns_outside_before == 6  # 6 of East Berkshire's 10 PCNs are outside 30–50k today
    fresh = group_practices(p, lsoa, adj, GroupingOptions(30_000, 50_000))
    fresh_moves = compare_with_today(fresh.assignment, store.pcn_table(con), 30_000, 50_000).moves
    assert r.repair.practices_moved < len(fresh_moves)
    # every move says where from and to, with today's sizes, and why
    for m in r.repair.moved.itertuples():
        assert m.reason.startswith(f"{m.practice_code} moves")
        assert f"({m.from_patients:,})" in m.reason
    # the practice with no PCN today is placed, not counted
    placed = r.repair.moves[r.repair.moves["kind"] == "place"]
    assert list(placed["practice_code"]) == list(p.loc[p["pcn_code"] == PLACEHOLDER_PCN, "practice_code"])
    # deterministic for a seed
    again = group_practices(p, lsoa, adj, GroupingOptions(30_000, 50_000, mode="repair"))
    assert again.assignment["group"].tolist() == r.assignment["group"].tolist()
    assert again.repair.moves["reason"].tolist() == r.repair.moves["reason"].tolist()


def test_with_a_wide_band_only_pcns_in_pieces_change(inputs):
    """Every PCN fits 10k–200k, so a move can only be for contiguity; PCNs in one piece today stay put."""
    p, lsoa, adj = inputs("U2G6B")
    r = group_practices(p, lsoa, adj, GroupingOptions(10_000, 200_000, mode="repair"))
    gp = GroupingProblem(p, lsoa, adj, GroupingOptions(10_000, 200_000))
    ug = gp.unit_graph()
    units = gp.practices.assign(unit=ug.unit)
    pieces = {pcn: len(graph.components(sorted(set(d["unit"])), ug.territory.unit_neighbours))
              for pcn, d in units.groupby("pcn_code") if pcn != PLACEHOLDER_PCN}
    split_today = {pcn for pcn, k in pieces.items() if k > 1}
    assert split_today, "East Berkshire has PCNs whose territories are in pieces"
    for m in r.repair.moved.itertuples():
        assert m.from_pcn in split_today or m.to_pcn in split_today, m.reason
    touched = set(r.repair.moved["from_pcn"]) | set(r.repair.moved["to_pcn"])
    untouched = set(pieces) - touched
    assert len(untouched) >= len(pieces) - 2 * len(split_today)
    assert r.repair.proven


def test_locks_hold_in_a_repair(inputs):
    p, lsoa, adj = inputs("U2G6B")
    maidenhead = p.loc[p["pcn_name"] == "MAIDENHEAD PCN", "pcn_code"].iloc[0]
    windsor = sorted(p.loc[p["pcn_name"] == "WINDSOR PCN", "practice_code"])
    ascot = sorted(p.loc[p["pcn_name"] == "ASCOT PCN", "practice_code"])
    together = (windsor[0], ascot[0])
    apart = tuple(windsor[:2])
    opts = GroupingOptions(30_000, 50_000, keep_pcns_whole=(maidenhead,), keep_together=(together,),
                           keep_apart=(apart,), mode="repair")
    r = group_practices(p, lsoa, adj, opts)
    a = r.assignment.set_index("practice_code")
    assert a.loc[a["pcn_code"] == maidenhead, "group"].nunique() == 1
    assert a.loc[list(together), "group"].nunique() == 1
    assert a.loc[list(apart), "group"].nunique() == 2
    # Maidenhead kept whole is 75,383 patients: above the ceiling, and a forced exception with its reason
    kept = a.loc[a["pcn_code"] == maidenhead, "group"].iloc[0]
    ex = [e for e in r.exceptions if e.group == kept]
    assert ex and ex[0].forced and "kept whole" in ex[0].reason
    assert r.all_contiguous


def test_repair_refuses_what_does_not_apply(inputs):
    p, lsoa, adj = inputs("U2G6B")
    with pytest.raises(GroupingError, match="number of groups"):
        group_practices(p, lsoa, adj, GroupingOptions(30_000, 50_000, n_groups=8, mode="repair"))
    with pytest.raises(GroupingError, match="Minimise"):
        RepairProblem(p, lsoa, adj, GroupingOptions(30_000, 50_000, mode="repair", minimise="sites"))
    with pytest.raises(GroupingError, match="mode"):
        group_practices(p, lsoa, adj, GroupingOptions(30_000, 50_000, mode="paint"))


def test_moves_bound_counts_what_each_pcn_must_lose_or_gain():
    frame = pd.DataFrame({"pcn_code": ["X"] * 4 + ["Y"] * 2 + ["Z"],
                          "patients": [20_000, 15_000, 14_000, 12_400, 15_000, 12_900, 45_000],
                          "charge": [1.0] * 7})
    # X (61,400) must lose 11,400: one practice; Y (27,900) must gain 2,100 (one) or be wound up (two)
    assert moves_bound(frame, 30_000, 50_000) == 1
    # two PCNs above the ceiling: each loses at least one practice
    two = pd.concat([frame, frame.assign(pcn_code=frame["pcn_code"] + "2")])
    assert moves_bound(two, 30_000, 50_000) == 2
    assert moves_bound(frame, 30_000, 50_000, "patients") == pytest.approx(11_400)
    # a practice in no PCN can fill a shortfall for free
    free = pd.concat([frame.iloc[4:6], pd.DataFrame({"pcn_code": ["U"], "patients": [5_000], "charge": [0.0]})])
    assert moves_bound(free, 30_000, 50_000) == 0


def test_move_reason_names_both_pcns_their_sizes_and_the_effect():
    m = {"practice_code": "E84012", "from_pcn": "UX", "from_pcn_name": "X PCN", "from_patients": 61_400,
         "to_pcn": "UY", "to_pcn_name": "Y PCN", "to_patients": 27_900, "to_group": "G02", "from_after": 49_000,
         "to_after": 40_300, "kind": "move"}
    assert move_reason(m, 30_000, 50_000) == ("E84012 moves from X PCN (61,400) to Y PCN (27,900): brings both "
                                             "within 30–50k (49,000 and 40,300).")
    split = {**m, "to_pcn": "", "to_pcn_name": "", "to_patients": None, "to_after": 31_000, "from_after": 30_400}
    assert "X PCN splits" in move_reason(split, 30_000, 50_000)
    wound = {**m, "from_patients": 12_000, "from_after": None, "to_after": 39_900}
    assert "wound up" in move_reason(wound, 30_000, 50_000)
