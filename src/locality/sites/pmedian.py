"""The p-median problem: choose k sites that minimise demand-weighted travel, with a proven gap.

Uncapacitated instances are solved by Lagrangian relaxation (subgradient optimisation) for a
lower bound and fast vertex substitution (best-improvement swaps) for an upper bound, so
every answer carries a proven optimality gap. Small instances are also enumerated exactly.
With site capacities, the problem is a mixed-integer programme solved by HiGHS (``highspy``),
which reports its own proven gap.

Must-keep sites are always open; must-close sites never are.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass

import numpy as np

from locality.errors import InfeasibleError, InfeasibleReason
from locality.settings import (
    HIGHS_MIP_GAP,
    HIGHS_TIME_LIMIT_S,
    PMEDIAN_BOUND_ITERATIONS,
    PMEDIAN_BOUND_SECONDS,
    PMEDIAN_ENUMERATE_LIMIT,
    PMEDIAN_TARGET_GAP,
)


@dataclass
class PMedianSolution:
    """One solved p-median instance.

    Attributes
    ----------
    open_sites : list of int
        Indices of the chosen sites (sorted).
    assignment : ndarray
        For each demand point, the index of the site serving it (the nearest open site, or,
        with capacities, the site serving most of its demand).
    objective : float
        Demand-weighted travel of the solution.
    lower_bound : float
        A proven lower bound on the optimum.
    method : str
        "enumeration", "lagrangian" or "highs-mip".
    seconds : float
    flows : ndarray, optional
        (n, m) fractional assignment when capacities were used.
    """

    open_sites: list[int]
    assignment: np.ndarray
    objective: float
    lower_bound: float
    method: str
    seconds: float
    flows: np.ndarray | None = None

    @property
    def gap(self) -> float:
        """Proven relative optimality gap, (objective − lower bound) / objective."""
        if self.objective <= 0:
            return 0.0
        return max(0.0, (self.objective - self.lower_bound) / self.objective)


def _check(cost, demand, k, keep, close):
    _n, m = cost.shape
    keep, close = set(keep), set(close)
    if keep & close:
        raise InfeasibleError(f"sites {sorted(keep & close)} are flagged both must-keep and must-close",
                              InfeasibleReason.FLAGGED_BOTH)
    if len(keep) > k:
        raise InfeasibleError(f"{len(keep)} sites are must-keep, more than the {k} to keep",
                              InfeasibleReason.TOO_MANY_MUST_KEEP)
    if m - len(close) < k:
        raise InfeasibleError(f"only {m - len(close)} sites may stay open, fewer than the {k} to keep",
                              InfeasibleReason.TOO_FEW_MAY_STAY)
    if k < 1:
        raise InfeasibleError("at least one site must be kept", InfeasibleReason.NONE_KEPT)
    return keep, close


def evaluate(weighted: np.ndarray, open_sites) -> tuple[float, np.ndarray]:
    """Objective and nearest-open-site assignment for a set of open sites."""
    cols = np.asarray(sorted(open_sites))
    sub = weighted[:, cols]
    idx = np.argmin(sub, axis=1)
    return float(sub[np.arange(len(sub)), idx].sum()), cols[idx]


def _enumerate(weighted, k, keep, close):
    free = [j for j in range(weighted.shape[1]) if j not in keep and j not in close]
    best: tuple[float, list[int] | None] = (math.inf, None)
    for combo in itertools.combinations(free, k - len(keep)):
        sites = sorted(keep | set(combo))
        obj = float(weighted[:, sites].min(axis=1).sum())
        if obj < best[0] - 1e-9:
            best = (obj, sites)
    return best


def _swap_search(weighted, open_set: set[int], keep, close, max_passes=200):
    """Best-improvement vertex substitution (swap one open site for one closed site)."""
    n, m = weighted.shape
    open_set = set(open_set)
    rows = np.arange(n)
    for _ in range(max_passes):
        cols = np.asarray(sorted(open_set))
        sub = weighted[:, cols]
        order = np.argsort(sub, axis=1)
        best_local = order[:, 0]
        best_site = cols[best_local]
        best = sub[rows, best_local]
        second = sub[rows, order[:, 1]] if len(cols) > 1 else np.full(n, np.inf)
        total = best.sum()
        removable = np.array([c not in keep for c in range(m)])
        best_move: tuple[float, int | None, int | None] = (0.0, None, None)
        for c in range(m):
            if c in open_set or c in close:
                continue
            wc = weighted[:, c]
            a = np.minimum(best, wc)
            term = np.minimum(second, wc) - a
            loss = np.bincount(best_site, weights=term, minlength=m)
            delta = (a.sum() - total) + loss
            delta[~np.isin(np.arange(m), cols) | ~removable] = np.inf
            r = int(np.argmin(delta))
            if delta[r] < best_move[0] - 1e-9:
                best_move = (float(delta[r]), c, r)
        _, add, drop = best_move
        if add is None or drop is None:  # both are set together, by the first improving swap
            break
        open_set.discard(drop)
        open_set.add(add)
    return open_set


def _lagrangian(weighted, k, keep, close, upper, iters=PMEDIAN_BOUND_ITERATIONS, time_limit=None,
                target_gap=PMEDIAN_TARGET_GAP):
    """Subgradient optimisation of the Lagrangian dual; returns (best lower bound, open set at it)."""
    _n, m = weighted.shape
    allowed = np.array([j not in close for j in range(m)])
    keep_arr = np.array([j in keep for j in range(m)])
    w_allowed = np.where(allowed[None, :], weighted, np.inf)
    lam = np.sort(w_allowed, axis=1)[:, min(1, m - 1)].copy()  # second-cheapest site: a good start
    lam[~np.isfinite(lam)] = w_allowed.min(axis=1)[~np.isfinite(lam)]
    theta = 2.0
    best_lb, best_open = -math.inf, None
    stall = 0
    start = time.perf_counter()
    for _ in range(iters):
        red = np.minimum(weighted - lam[:, None], 0.0)
        rho = red.sum(axis=0)
        rho_free = np.where(allowed & ~keep_arr, rho, np.inf)
        pick = np.argsort(rho_free)[: k - len(keep)]
        y = keep_arr.copy()
        y[pick] = True
        lb = lam.sum() + rho[y].sum()
        if lb > best_lb + 1e-9:
            best_lb, best_open, stall = lb, set(np.flatnonzero(y).tolist()), 0
        else:
            stall += 1
            if stall >= 30:
                theta /= 2
                stall = 0
        if upper - best_lb <= target_gap * upper or theta < 1e-6:
            break
        if time_limit is not None and time.perf_counter() - start > time_limit:
            break
        g = 1.0 - ((weighted - lam[:, None] < 0) & y[None, :]).sum(axis=1)
        norm = float((g * g).sum())
        if norm == 0:
            break  # the relaxed solution is feasible, hence optimal
        lam = lam + theta * (upper - lb) / norm * g
    return best_lb, best_open


def solve_uncapacitated(cost: np.ndarray, demand: np.ndarray, k: int, keep=(), close=(), *,
                        method: str = "auto", time_limit: float | None = PMEDIAN_BOUND_SECONDS) -> PMedianSolution:
    """Solve an uncapacitated p-median with must-keep and must-close flags.

    Parameters
    ----------
    cost : (n, m) array
        Travel from each demand point to each site (metres or minutes).
    demand : (n,) array
        Demand at each point (residents, or weighted residents).
    k : int
        Number of sites to keep.
    keep, close : iterables of int
        Site indices that must stay open / must close.
    method : {"auto", "enumeration", "lagrangian"}
        "auto" enumerates when there are at most :data:`~locality.settings.PMEDIAN_ENUMERATE_LIMIT`
        choices, else uses the Lagrangian bound with swap search (stopping at
        :data:`~locality.settings.PMEDIAN_TARGET_GAP`).
    time_limit : float, optional
        Seconds the Lagrangian bound may take (default :data:`~locality.settings.PMEDIAN_BOUND_SECONDS`).

    Returns
    -------
    PMedianSolution
    """
    t0 = time.perf_counter()
    cost = np.asarray(cost, dtype=float)
    demand = np.asarray(demand, dtype=float)
    keep, close = _check(cost, demand, k, keep, close)
    weighted = demand[:, None] * cost
    m = cost.shape[1]
    free = m - len(keep) - len(close)
    choices = math.comb(free, k - len(keep))
    if method == "enumeration" or (method == "auto" and choices <= PMEDIAN_ENUMERATE_LIMIT):
        obj, sites = _enumerate(weighted, k, keep, close)
        _, assign = evaluate(weighted, sites)
        return PMedianSolution(sites, assign, obj, obj, "enumeration", time.perf_counter() - t0)
    # greedy start, then swaps
    open_set = set(keep)
    current = np.full(cost.shape[0], np.inf)
    while len(open_set) < k:
        gains = np.minimum(current[:, None], weighted).sum(axis=0)
        gains[list(open_set | close)] = np.inf
        j = int(np.argmin(gains))
        open_set.add(j)
        current = np.minimum(current, weighted[:, j])
    open_set = _swap_search(weighted, open_set, keep, close)
    upper, _ = evaluate(weighted, open_set)
    lb, lag_open = _lagrangian(weighted, k, keep, close, upper, time_limit=time_limit,
                                  target_gap=PMEDIAN_TARGET_GAP)
    if lag_open is not None and lag_open != open_set:
        alt = _swap_search(weighted, lag_open, keep, close)
        alt_obj, _ = evaluate(weighted, alt)
        if alt_obj < upper - 1e-9:
            open_set, upper = alt, alt_obj
    obj, assign = evaluate(weighted, open_set)
    return PMedianSolution(sorted(open_set), assign, obj, min(lb, obj), "lagrangian", time.perf_counter() - t0)


def solve_capacitated(cost: np.ndarray, demand: np.ndarray, k: int, capacity: np.ndarray, keep=(), close=(), *,
                      time_limit: float = HIGHS_TIME_LIMIT_S, mip_gap: float = HIGHS_MIP_GAP) -> PMedianSolution:
    """Solve a p-median where each open site serves at most its capacity (demand may be split).

    A mixed-integer programme solved by HiGHS: binary ``y_j`` (site open), continuous ``x_ij``
    (share of point i served by j), ``Σ_j x_ij = 1``, ``x_ij ≤ y_j``, ``Σ_i d_i x_ij ≤ cap_j y_j``,
    ``Σ_j y_j = k``, with the must-keep and must-close flags as bounds on ``y``.

    Raises
    ------
    InfeasibleError
        If no k sites have enough capacity between them.
    """
    import highspy

    t0 = time.perf_counter()
    cost = np.asarray(cost, dtype=float)
    demand = np.asarray(demand, dtype=float)
    capacity = np.asarray(capacity, dtype=float)
    keep, close = _check(cost, demand, k, keep, close)
    n, m = cost.shape
    free_caps = sorted((capacity[j] for j in range(m) if j not in keep and j not in close), reverse=True)
    best_possible = sum(capacity[j] for j in keep) + sum(free_caps[: k - len(keep)])
    if best_possible + 1e-6 < demand.sum():
        # worded as saved scenario files have it (an import compares the options' status too)
        raise InfeasibleError(f"the {k} largest allowed sites hold {best_possible:,.0f}, less than the demand "
                              f"of {demand.sum():,.0f}",
                              InfeasibleReason.CAPACITY_SHORT)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    inf = highspy.kHighsInf
    # variables: x (n*m), then y (m)
    nx = n * m
    lower = np.zeros(nx + m)
    upper = np.ones(nx + m)
    for j in keep:
        lower[nx + j] = 1
    for j in close:
        upper[nx + j] = 0
    obj = np.concatenate([(demand[:, None] * cost).ravel(), np.zeros(m)])
    h.addVars(nx + m, lower, upper)
    h.changeColsCost(nx + m, np.arange(nx + m, dtype=np.int32), obj)
    h.changeColsIntegrality(m, np.arange(nx, nx + m, dtype=np.int32),
                            np.full(m, highspy.HighsVarType.kInteger, dtype=np.uint8))
    # Σ_j x_ij = 1
    starts: list[int] = []
    idx: list[int] = []
    vals: list[float] = []
    for i in range(n):
        starts.append(len(idx))
        idx.extend(range(i * m, i * m + m))
        vals.extend([1.0] * m)
    h.addRows(n, np.ones(n), np.ones(n), len(idx), np.array(starts, dtype=np.int32),
              np.array(idx, dtype=np.int32), np.array(vals))
    # x_ij − y_j ≤ 0
    rows = n * m
    s2 = np.arange(rows, dtype=np.int32) * 2
    i2 = np.empty(rows * 2, dtype=np.int32)
    i2[0::2] = np.arange(rows)
    i2[1::2] = nx + np.tile(np.arange(m), n)
    v2 = np.tile([1.0, -1.0], rows)
    h.addRows(rows, np.full(rows, -inf), np.zeros(rows), rows * 2, s2, i2, v2)
    # Σ_i d_i x_ij − cap_j y_j ≤ 0
    starts, idx, vals = [], [], []
    for j in range(m):
        starts.append(len(idx))
        idx.extend([i * m + j for i in range(n)] + [nx + j])
        vals.extend([*list(demand), -capacity[j]])
    h.addRows(m, np.full(m, -inf), np.zeros(m), len(idx), np.array(starts, dtype=np.int32),
              np.array(idx, dtype=np.int32), np.array(vals))
    # Σ y = k
    h.addRow(k, k, m, np.arange(nx, nx + m, dtype=np.int32), np.ones(m))
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        raise InfeasibleError("no choice of sites meets the capacities and flags", InfeasibleReason.NO_CHOICE_FITS)
    info = h.getInfo()
    if status != highspy.HighsModelStatus.kOptimal and info.primal_solution_status != 2:  # 2 = feasible
        raise InfeasibleError(f"HiGHS stopped ({h.modelStatusToString(status)}) before finding a choice of sites; "
                              "try a longer time limit", InfeasibleReason.SOLVER_STOPPED)
    sol = np.asarray(h.getSolution().col_value)
    x = sol[:nx].reshape(n, m)
    y = sol[nx:]
    open_sites = sorted(int(j) for j in np.flatnonzero(y > 0.5))
    objective = float((demand[:, None] * cost * x).sum())
    lb = float(info.mip_dual_bound) if math.isfinite(info.mip_dual_bound) else 0.0
    return PMedianSolution(open_sites, np.argmax(x, axis=1), objective, min(lb, objective), "highs-mip",
                           time.perf_counter() - t0, flows=x)
