"""The p-median solver against brute force on small real instances, with capacities and flags."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from locality import store
from locality.sites.pmedian import InfeasibleError, solve_capacitated, solve_uncapacitated


def _instance(con, pcn_code):
    """LSOAs nearest to one PCN's sites (among all sites of its sub-ICB) × those sites, in metres."""
    p = store.practices(con, "sub_icb", "U2G6B")
    sites = p.dropna(subset=["easting"]).drop_duplicates("site_id")
    lsoa = store.lsoas(con, "sub_icb", "U2G6B", with_geometry=False)
    d_all = np.hypot(lsoa["centroid_e"].to_numpy()[:, None] - sites["easting"].to_numpy()[None, :],
                     lsoa["centroid_n"].to_numpy()[:, None] - sites["northing"].to_numpy()[None, :])
    mine = (sites["pcn_code"] == pcn_code).to_numpy()
    rows = mine[np.argmin(d_all, axis=1)]
    cost = d_all[rows][:, mine]
    return cost, lsoa["residents"].to_numpy(dtype=float)[rows], sites[mine]


@pytest.fixture(scope="module")
def instances(small_store):
    con = store.connect(small_store)
    out = {code: _instance(con, code) for code in ("U14074", "U82487", "U20320")}  # Ascot, Windsor, Maidenhead
    con.close()
    return out


def _brute(cost, demand, k, keep=(), close=()):
    w = demand[:, None] * cost
    best = np.inf
    for combo in itertools.combinations(range(cost.shape[1]), k):
        if set(keep) <= set(combo) and not set(close) & set(combo):
            best = min(best, w[:, list(combo)].min(axis=1).sum())
    return best


@pytest.mark.parametrize("code", ["U14074", "U82487", "U20320"])
def test_lagrangian_finds_the_exact_optimum(instances, code):
    cost, demand, _sites = instances[code]
    assert cost.shape[1] >= 3 and cost.shape[0] >= 10
    for k in range(1, cost.shape[1] + 1):
        sol = solve_uncapacitated(cost, demand, k, method="lagrangian")
        opt = _brute(cost, demand, k)
        assert sol.objective == pytest.approx(opt, rel=1e-9), k
        assert sol.lower_bound <= opt + 1e-6 and sol.gap < 0.005
        assert len(sol.open_sites) == k


def test_flags_are_honoured(instances):
    cost, demand, _ = instances["U82487"]
    m = cost.shape[1]
    keep, close = [m - 1], [0]
    for k in range(1, m):
        for method in ("lagrangian", "enumeration"):
            sol = solve_uncapacitated(cost, demand, k, keep=keep, close=close, method=method)
            assert set(keep) <= set(sol.open_sites) and not set(close) & set(sol.open_sites)
            assert sol.objective == pytest.approx(_brute(cost, demand, k, keep, close), rel=1e-9)


def test_capacity_is_respected_and_optimal(instances):
    cost, demand, _ = instances["U14074"]
    m = cost.shape[1]
    total = demand.sum()
    capacity = np.full(m, total * 0.55)  # no single site can serve everyone
    with pytest.raises(InfeasibleError, match="less than the demand"):
        solve_capacitated(cost, demand, 1, capacity)
    for k in range(2, m + 1):
        sol = solve_capacitated(cost, demand, k, capacity)
        load = (demand[:, None] * sol.flows).sum(axis=0)
        assert (load <= capacity + 1e-6).all()
        assert np.allclose(sol.flows.sum(axis=1), 1.0)
        assert sol.gap <= 1e-3
        # brute force: the best fixed set of k sites, each solved with the same capacities
        best = min(solve_capacitated(cost, demand, k, capacity, keep=combo).objective
                   for combo in itertools.combinations(range(m), k))
        assert sol.objective == pytest.approx(best, rel=1e-6)
        # capacity never makes travel shorter than the uncapacitated optimum
        assert sol.objective >= solve_uncapacitated(cost, demand, k).objective - 1e-6


def test_capacitated_flags(instances):
    cost, demand, _ = instances["U14074"]
    m = cost.shape[1]
    capacity = np.full(m, demand.sum())
    sol = solve_capacitated(cost, demand, 2, capacity, keep=[0], close=[1])
    assert 0 in sol.open_sites and 1 not in sol.open_sites


@pytest.mark.parametrize("kwargs,message", [
    (dict(k=0), "at least one site"),
    (dict(k=2, keep=[0, 1, 2]), "more than the 2 to keep"),
    (dict(k=2, keep=[0], close=[0]), "both must-keep and must-close"),
])
def test_impossible_flags(instances, kwargs, message):
    cost, demand, _ = instances["U14074"]
    k = kwargs.pop("k")
    with pytest.raises(InfeasibleError, match=message):
        solve_uncapacitated(cost, demand, k, **kwargs)


def test_larger_instance_has_a_small_proven_gap():
    rng = np.random.default_rng(1)
    pts, sites = rng.uniform(0, 20_000, (400, 2)), rng.uniform(0, 20_000, (60, 2))
    cost = np.hypot(pts[:, None, 0] - sites[None, :, 0], pts[:, None, 1] - sites[None, :, 1])
    sol = solve_uncapacitated(cost, rng.integers(100, 2000, 400).astype(float), 10)
    assert sol.method == "lagrangian" and sol.gap < 0.005 and sol.lower_bound > 0


def test_capacitated_solver_never_reports_a_solution_it_did_not_find():
    rng = np.random.default_rng(3)
    pts, sites = rng.uniform(0, 20_000, (300, 2)), rng.uniform(0, 20_000, (40, 2))
    cost = np.hypot(pts[:, None, 0] - sites[None, :, 0], pts[:, None, 1] - sites[None, :, 1])
    demand = rng.integers(100, 2000, 300).astype(float)
    try:
        sol = solve_capacitated(cost, demand, 5, np.full(40, demand.sum() / 4), time_limit=1e-9)
    except InfeasibleError as exc:
        assert "HiGHS stopped" in str(exc)
    else:  # if HiGHS did find one in time, it must be a real choice of five sites
        assert len(sol.open_sites) == 5 and sol.objective > 0
