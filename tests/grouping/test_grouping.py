"""The grouping engine on real sub-ICB slices: bounds, contiguity, determinism, locks, and clear refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from locality import store
from locality.grouping import GroupingError, GroupingOptions, group_practices
from locality.grouping.compare import adjusted_rand_index
from tests.cases import grouping_inputs_by_code


@pytest.fixture(scope="module")
def inputs(small_store):
    con = store.connect(small_store)
    yield grouping_inputs_by_code(con)
    con.close()


def _territory_connected(lsoa_codes, adjacency) -> bool:
    codes = set(lsoa_codes)
    nb = {c: set() for c in codes}
    for a, b in zip(adjacency["a"], adjacency["b"], strict=True):
        if a in codes and b in codes:
            nb[a].add(b)
            nb[b].add(a)
    start = next(iter(codes))
    seen, stack = {start}, [start]
    while stack:
        v = stack.pop()
        for u in nb[v] - seen:
            seen.add(u)
            stack.append(u)
    return seen == codes


def _check_invariants(result, practices, adjacency, floor, ceiling):
    a = result.assignment
    # every practice exactly once; practices at one site share a group
    assert sorted(a["practice_code"]) == sorted(practices["practice_code"])
    assert (a.groupby("site_id")["group"].nunique() == 1).all()
    # group totals add up, and every group out of bounds has a forced, explained exception
    assert result.groups["patients"].sum() == practices["patients"].sum()
    forced = {e.group for e in result.exceptions if e.forced}
    for g in result.groups.itertuples():
        if not floor <= g.patients <= ceiling:
            assert g.group in forced, (g.group, g.patients, [e.reason for e in result.exceptions])
    # contiguity, checked independently on the LSOA territory
    for g, lsoas in result.lsoa_group.groupby("group")["lsoa21_code"]:
        assert _territory_connected(list(lsoas), adjacency), g
    assert result.all_contiguous


@pytest.mark.parametrize("code,floor,ceiling", [
    ("U2G6B", 30_000, 50_000), ("U2G6B", 50_000, 70_000), ("10Q", 30_000, 50_000),
])
def test_bounds_and_contiguity_on_real_areas(inputs, code, floor, ceiling):
    p, lsoa, adj = inputs(code)
    r = group_practices(p, lsoa, adj, GroupingOptions(floor, ceiling))
    _check_invariants(r, p, adj, floor, ceiling)
    assert r.unforced == []


def test_east_berkshire_fits_both_bands(inputs):
    p, lsoa, adj = inputs("U2G6B")
    for floor, ceiling in [(30_000, 50_000), (50_000, 70_000)]:
        r = group_practices(p, lsoa, adj, GroupingOptions(floor, ceiling))
        assert r.all_within and r.exceptions == []
        assert r.groups["residents"].sum() == lsoa["residents"].sum()
        assert r.groups["mean_imd_decile"].between(1, 10).all()
        assert (r.groups["shape_index"] > 0).all() and (r.groups["shape_index"] <= 1).all()


def check_same_seed_same_result(inputs, code: str) -> None:
    """Group ``code`` twice with one seed and check the results are identical."""
    p, lsoa, adj = inputs(code)
    a = group_practices(p, lsoa, adj, GroupingOptions(30_000, 50_000, seed=5))
    b = group_practices(p, lsoa, adj, GroupingOptions(30_000, 50_000, seed=5))
    pd.testing.assert_frame_equal(a.assignment, b.assignment)
    pd.testing.assert_frame_equal(a.groups, b.groups)


def test_same_seed_same_result(inputs):
    check_same_seed_same_result(inputs, "10Q")


def test_locks_are_honoured(inputs):
    p, lsoa, adj = inputs("U2G6B")
    maidenhead = p.loc[p["pcn_name"] == "MAIDENHEAD PCN", "practice_code"].tolist()
    slough = p.loc[p["pcn_name"] == "CENTRAL SLOUGH NETWORK PCN", "practice_code"].tolist()
    together = (slough[0], p.loc[p["pcn_name"] == "SPINE PCN", "practice_code"].iloc[0])
    apart = (slough[1], slough[2])
    r = group_practices(p, lsoa, adj, GroupingOptions(
        30_000, 80_000, keep_pcns_whole=("U20320",), keep_together=(together,), keep_apart=(apart,)))
    g = r.assignment.set_index("practice_code")["group"]
    assert g[maidenhead].nunique() == 1
    assert g[together[0]] == g[together[1]]
    assert g[apart[0]] != g[apart[1]]
    _check_invariants(r, p, adj, 30_000, 80_000)


def test_conflicting_locks_are_refused(inputs):
    p, lsoa, adj = inputs("U2G6B")
    maidenhead = p.loc[p["pcn_name"] == "MAIDENHEAD PCN", "practice_code"].tolist()
    with pytest.raises(GroupingError, match="locked together"):
        group_practices(p, lsoa, adj, GroupingOptions(30_000, 80_000, keep_pcns_whole=("U20320",),
                                                       keep_apart=(tuple(maidenhead[:2]),)))


def test_keep_pcn_whole_and_apart(inputs):
    p, lsoa, adj = inputs("U2G6B")
    ascot = p.loc[p["pcn_code"] == "U14074", "practice_code"].tolist()
    windsor = p.loc[p["pcn_name"] == "WINDSOR PCN", "practice_code"].tolist()
    r = group_practices(p, lsoa, adj, GroupingOptions(30_000, 50_000, keep_pcns_whole=("U14074",),
                                                      keep_apart=(tuple(windsor[:2]),)))
    g = r.assignment.set_index("practice_code")["group"]
    assert g[ascot].nunique() == 1
    assert g[windsor[0]] != g[windsor[1]]
    _check_invariants(r, p, adj, 30_000, 50_000)


# ---- refusals and forced exceptions, with their messages ----------------------------------

def test_area_below_the_floor(inputs):
    p, lsoa, adj = inputs("U2G6B")
    r = group_practices(p, lsoa, adj, GroupingOptions(600_000, 700_000))
    assert len(r.groups) == 1
    (e,) = r.exceptions
    assert e.kind == "area_below_floor" and e.forced
    assert "497,911 patients, below the 600,000 floor" in e.reason


def test_requested_group_count_that_cannot_fit(inputs):
    p, lsoa, adj = inputs("U2G6B")
    r = group_practices(p, lsoa, adj, GroupingOptions(30_000, 50_000, n_groups=2))
    assert len(r.groups) == 2
    assert r.exceptions and all(e.kind == "target_count" and not e.forced for e in r.exceptions)
    assert all("With 2 groups, as requested" in e.reason for e in r.exceptions)


@pytest.mark.parametrize("opts,message", [
    (GroupingOptions(50_000, 30_000), "must be positive and at most the ceiling"),
    (GroupingOptions(30_000, 50_000, keep_pcns_whole=("U99999",)), "Cannot keep PCN U99999 whole"),
    (GroupingOptions(30_000, 50_000, keep_together=(("K81010", "A81001"),)), "A81001"),
    (GroupingOptions(30_000, 50_000, keep_apart=(("K81010",),)), "needs at least two practices"),
    (GroupingOptions(30_000, 50_000, n_groups=0), "at least 1"),
])
def test_infeasible_requests_get_a_readable_message(inputs, opts, message):
    p, lsoa, adj = inputs("U2G6B")
    with pytest.raises(GroupingError, match=message):
        group_practices(p, lsoa, adj, opts)


def check_co_located_apart_refused(inputs, code: str) -> None:
    """Ask to keep two practices of one site apart in ``code``, and check it is refused with the reason."""
    p, lsoa, adj = inputs(code)
    shared = p[p.duplicated("site_id", keep=False)].sort_values("site_id")
    pair = tuple(shared["practice_code"].iloc[:2])
    with pytest.raises(GroupingError, match="share a site"):
        group_practices(p, lsoa, adj, GroupingOptions(30_000, 50_000, keep_apart=(pair,)))


def test_keeping_co_located_practices_apart_is_refused(inputs):
    check_co_located_apart_refused(inputs, "10Q")


# ---- comparison with today ----------------------------------------------------------------

def test_adjusted_rand_index():
    assert adjusted_rand_index([0, 0, 1, 1], [5, 5, 7, 7]) == pytest.approx(1.0)
    assert adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(0.5714285714)
    assert adjusted_rand_index([0, 0, 0, 0], [0, 1, 2, 3]) == pytest.approx(0.0)


def test_cli_group_json(small_store):
    r = subprocess.run([sys.executable, "-m", "locality", "group", "--area", "U2G6B", "--floor", "30000",
                        "--ceiling", "50000", "--json"], capture_output=True, text=True, timeout=300,
                       env={**os.environ, "LOCALITY_STORE": str(small_store)})
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert set(d) >= {"groups", "exceptions", "summary"}
    assert sum(g["patients"] for g in d["groups"]) == 497_911
    assert len({c for g in d["groups"] for c in g["practices"]}) == 41
    s = d["summary"]
    assert s["within_bounds_share"] == 1.0 and 0 < s["adjusted_rand_index"] < 1 and s["seconds"] > 0
    assert s["pcns_today"] == 10 and s["pcns_today_outside_bounds"] == 6


def check_cli_by_local_authority_and_bad_area(store_path, lad: str) -> None:
    """Group local authority ``lad`` on the CLI, and check an unknown area gets a message, not a traceback."""
    env = {**os.environ, "LOCALITY_STORE": str(store_path)}
    r = subprocess.run([sys.executable, "-m", "locality", "group", "--area", lad, "--floor", "50000",
                        "--ceiling", "70000", "--json"], capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["summary"]["area_type"] == "lad"
    r = subprocess.run([sys.executable, "-m", "locality", "group", "--area", "NOPE"], capture_output=True,
                       text=True, timeout=300, env=env)
    assert r.returncode == 2 and "No area has the code 'NOPE'" in r.stderr and "Traceback" not in r.stderr


def test_cli_group_by_local_authority_and_bad_area(small_store):
    check_cli_by_local_authority_and_bad_area(small_store, "E06000039")  # Slough


def test_keep_apart_is_never_broken_even_when_the_band_wants_one_group(inputs):
    p, lsoa, adj = inputs("U2G6B")
    total = int(p["patients"].sum())
    a, b = p.sort_values("easting")["practice_code"].iloc[[0, -1]]
    r = group_practices(p, lsoa, adj, GroupingOptions(int(total * 0.9), int(total * 1.1), keep_apart=((a, b),)))
    g = r.assignment.set_index("practice_code")["group"]
    assert g[a] != g[b]
    outside = set(r.groups.loc[r.groups["status"] != "within", "group"])
    assert outside and outside <= {e.group for e in r.exceptions}
