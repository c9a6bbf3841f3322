"""The least-change model: relabel one connected part's units with the fewest changes (HiGHS MIP).

Kept free of NHS concepts, like :mod:`~locality.grouping.partition`: nodes (units) with weights,
positions and neighbours; *labels* (today's groups, e.g. PCNs) and the cost of giving each node
each label; and up to ``n_new`` new labels (groups that did not exist). Every used label must
lie within the floor and ceiling and be connected.

The model (binary ``x[i, l]``: node i takes label l; ``y[l]``: label l is used):

- each node takes one label; a used label's weight is within ``[floor, ceiling]``;
- keep-apart nodes never share a label; new labels are used in order (symmetry);
- contiguity by lazy cuts: when a solution has a label in pieces, for a piece S and a node j
  of another piece, ``x[i, l] + x[j, l] - sum(x[k, l] for k in N(S)) <= 1`` for every label l
  (the neighbours N(S) of S separate i from j), and HiGHS solves again;
- a node lighter than the floor needs a neighbour in its group; today's members of a label that
  cannot all stay under the ceiling are capped by a cardinality cover;
- objective: the changes. A known connected labelling (the fresh grouping, relabelled) is an
  incumbent: HiGHS is asked only for fewer changes, and when none exist the incumbent is proven
  the fewest. Then, with the changes held at that number, a second model prefers compactness
  (weighted squared distance to each label's centre today) and closeness to today's totals.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from locality import graph, settings
from locality.grouping.partition import Component

#: Print each round of contiguity cuts (for tuning).
TRACE = False


@dataclass(frozen=True)
class RepairModel:
    """One connected part to relabel with the fewest changes.

    Attributes
    ----------
    comp : Component
        Nodes (weights, positions, neighbours), the band and keep-apart pairs.
    cost : (n, L) ndarray
        Changes when node i takes today's label l (practices or patients not already in l).
    new_cost : (n,) ndarray
        Changes when node i joins a new label (its practices that have a label today).
    today : (L,) ndarray
        Today's total weight of each label in this part.
    anchor : (L, 2) ndarray
        Today's weighted centre of each label.
    home : (n,) ndarray of int
        The label holding most of node i today (-1: none, e.g. unallocated practices).
    """

    comp: Component
    cost: np.ndarray
    new_cost: np.ndarray
    today: np.ndarray
    anchor: np.ndarray
    home: np.ndarray

    @property
    def n_labels(self) -> int:
        """Return the number of today's labels."""
        return int(self.cost.shape[1])

    def candidates(self, hops: int | None) -> list[list[int]]:
        """Return today's labels each node may take: all, or those held within ``hops`` steps of it."""
        n, labels = self.comp.n, self.n_labels
        if hops is None:
            return [list(range(labels)) for _ in range(n)]
        out = []
        for i in range(n):
            near, frontier = {i}, {i}
            for _ in range(hops):
                frontier = {v for u in frontier for v in self.comp.nb[u]} - near
                near |= frontier
            own = {int(self.home[j]) for j in near if self.home[j] >= 0}
            own |= {lab for lab in range(labels) if self.cost[i, lab] < self.new_cost[i]}
            out.append(sorted(own))
        return out


@dataclass
class RepairSolve:
    """What the model gave for one part.

    Attributes
    ----------
    labels : list of int or None
        A label per node (``>= n_labels``: a new group), or None when no solution was found.
    changes : float
        The solution's changes.
    lower_bound : float
        Proven lower bound on the changes (valid only when ``exact``; 0 otherwise).
    status : str
        ``"optimal"`` (changes proven minimal), ``"feasible"``, ``"infeasible"`` (proven: no
        contiguous in-band relabelling exists) or ``"unknown"`` (stopped without either).
    exact : bool
        True when every node could take every label (so bounds and infeasibility are proofs).
    rounds : int
        HiGHS solves (one per round of contiguity cuts).
    """

    labels: list[int] | None
    changes: float
    lower_bound: float
    status: str
    exact: bool
    rounds: int = 0
    notes: list[str] = field(default_factory=list)


def max_new_labels(model: RepairModel) -> int:
    """Return the most groups the part could hold (each at least the floor)."""
    return max(1, math.floor(sum(model.comp.w) / model.comp.floor))


def new_group_cost(model: RepairModel, free: bool = True) -> float:
    """Return the least a new group's changes can be: it needs the floor in patients, all moving.

    Practices in no PCN today move free; the rest count (one each, or their patients). With
    ``free`` False, the bound for a new group holding none of the free nodes.
    """
    w = np.asarray(model.comp.w, dtype=float)
    labelled = model.new_cost > 0
    need = model.comp.floor - (float(w[~labelled].sum()) if free else 0.0)
    if need <= 0 or not labelled.any():
        return 0.0
    if np.allclose(model.new_cost[labelled], np.round(model.new_cost[labelled])) and \
            model.new_cost[labelled].max() < w[labelled].min():  # counting practices
        # the fewest nodes (largest first) reaching the need, at least one practice each
        reach = np.cumsum(np.sort(w[labelled])[::-1])
        return float(min(int(np.searchsorted(reach, need - 1e-9)) + 1, int(labelled.sum())))
    return float(need)  # counting patients


def most_new_labels(model: RepairModel, changes: float) -> int:
    """Return the most new groups a labelling with fewer than ``changes`` changes can have.

    Each new group changes at least :func:`new_group_cost`; only as many new groups as there are
    free nodes (practices in no PCN) can lean on them.
    """
    kmax = max_new_labels(model)
    with_free, without = new_group_cost(model, True), new_group_cost(model, False)
    n_free = int((model.new_cost <= 0).sum())
    if with_free <= 0 and n_free >= kmax:
        return kmax
    j = 0
    while j < kmax:
        nxt = j + 1
        least = min(nxt, n_free) * with_free + max(0, nxt - n_free) * without
        if least >= changes - 1e-9:
            break
        j = nxt
    return j


def solve(model: RepairModel, *, hops: int | None = None, time_limit: float | None = None,
          incumbent: list[int] | None = None) -> RepairSolve:
    """Relabel the part with the fewest changes, then the most compact and nearest today's sizes among them.

    Parameters
    ----------
    model : RepairModel
    hops : int, optional
        Restrict each node to today's labels within this many steps (``None``: every label, exact).
    time_limit : float, optional
        Seconds in all (default ``settings.REPAIR_TIME_LIMIT_S``).
    incumbent : list of int, optional
        A known connected, in-band labelling (e.g. the fresh grouping relabelled): HiGHS need only
        look for better ones, and proves it the fewest when there are none.

    Returns
    -------
    RepairSolve
    """
    limit = settings.REPAIR_TIME_LIMIT_S if time_limit is None else time_limit
    t_end = time.perf_counter() + limit
    comp = model.comp
    kmax = max_new_labels(model)
    per_new = new_group_cost(model)  # > 0: more new groups cost more, so their number can be bounded
    if incumbent is not None:
        incumbent = improve(model, incumbent)
    best = None if incumbent is None else (list(incumbent), float(sum(cost_of(model, i, lab)
                                                                      for i, lab in enumerate(incumbent))))
    used_new = 0 if incumbent is None else len({lab for lab in incumbent if lab >= model.n_labels})
    need = max(0, math.ceil(sum(comp.w) / comp.ceiling) - model.n_labels)
    if per_new <= 0:
        k = kmax
    elif best is not None:
        # a labelling with j new groups changes at least j * per_new: more than this cannot beat the incumbent
        k = max(used_new, most_new_labels(model, best[1]))
    else:
        k = min(kmax, need + 1)
    out = _solve_k(model, k, hops, t_end, best)
    if out.status == "infeasible" and k < kmax:
        # infeasible with few new groups proves nothing: only every possible group count does
        k = kmax
        out = _solve_k(model, k, hops, t_end, best)
    if out.labels is not None and per_new > 0 and best is None:
        k2 = most_new_labels(model, out.changes)
        if k2 > k:
            out = _solve_k(model, k2, hops, t_end, (out.labels, out.changes))
    if out.labels is not None and out.status == "optimal" and settings.REPAIR_POLISH_NODES > 0:
        out = _secondary(model, out, hops, t_end)
    exact = hops is None
    out.exact = exact
    if not exact:
        out.lower_bound = 0.0
        out.status = {"optimal": "feasible", "infeasible": "unknown"}.get(out.status, out.status)
    return out


def improve(model: RepairModel, labels: list[int]) -> list[int]:
    """Return a labelling with no more changes: nodes sent home one by one while the band, contiguity and locks hold.

    A greedy descent from a connected, in-band labelling (e.g. the fresh grouping relabelled), so that
    HiGHS starts from a tighter incumbent.
    """
    comp = model.comp
    label = list(labels)
    weight: dict[int, float] = {}
    members: dict[int, set[int]] = {}
    for i, lab in enumerate(label):
        weight[lab] = weight.get(lab, 0.0) + comp.w[i]
        members.setdefault(lab, set()).add(i)
    improved = True
    while improved:
        improved = False
        for i in range(comp.n):
            a, b = label[i], int(model.home[i])
            if b < 0 or a == b or cost_of(model, i, b) >= cost_of(model, i, a):
                continue
            rest = members[a] - {i}
            target = members.get(b, set())
            left_ok = not rest or (weight[a] - comp.w[i] >= comp.floor and len(graph.components(rest, comp.nb)) == 1)
            joins_ok = (not target and comp.floor <= comp.w[i] <= comp.ceiling) or (
                target and weight[b] + comp.w[i] <= comp.ceiling and comp.nb[i] & target)
            if not (left_ok and joins_ok) or (comp.apart.get(i, set()) & target):
                continue
            label[i] = b
            members[a].discard(i)
            members.setdefault(b, set()).add(i)
            weight[a] -= comp.w[i]
            weight[b] = weight.get(b, 0.0) + comp.w[i]
            improved = True
    return label


def _secondary(model: RepairModel, first: RepairSolve, hops: int | None, t_end: float) -> RepairSolve:
    """Among labellings with the same changes, find the most compact and nearest today's sizes (if in time)."""
    assert first.labels is not None
    k = max(0, max(first.labels) + 1 - model.n_labels)
    m = _Mip(model, k, hops, secondary=True, cap=first.changes)
    m.h.setOptionValue("mip_max_nodes", settings.REPAIR_POLISH_NODES)  # a budget of work, not time: deterministic
    m.start(first.labels)
    found = m.connected(t_end, settle=True)
    if found is None or found[1] > first.changes + 1e-6:
        return first
    return RepairSolve(found[0], found[1], first.lower_bound, first.status, first.exact, first.rounds + m.rounds)


def _solve_k(model: RepairModel, k: int, hops: int | None, t_end: float,
             best: tuple[list[int], float] | None) -> RepairSolve:
    """Solve with ``k`` new labels, adding contiguity cuts until the solution is connected.

    With an incumbent, HiGHS looks only for labellings with fewer changes; when it finds none the
    incumbent is the fewest (every cut added is valid, so the model only ever loses bad solutions).
    """
    m = _Mip(model, k, hops, secondary=False, cap=None if best is None else best[1] - 0.5)
    found = m.connected(t_end)
    if found is not None:
        return RepairSolve(found[0], found[1], found[1], "optimal", hops is None, m.rounds)
    if m.status == "infeasible":
        if best is not None:
            return RepairSolve(best[0], best[1], best[1], "optimal", hops is None, m.rounds)
        return RepairSolve(None, math.inf, math.inf, "infeasible", hops is None, m.rounds)
    lb = max(0.0, math.ceil(m.bound - 0.5))
    if best is not None:
        return RepairSolve(best[0], best[1], min(lb, best[1]), "feasible", hops is None, m.rounds, ["time limit"])
    return RepairSolve(None, math.inf, lb, "unknown", hops is None, m.rounds, ["time limit"])


class _Mip:
    """The HiGHS model of one part for ``k`` new labels (see the module docstring)."""

    def __init__(self, model: RepairModel, k: int, hops: int | None, secondary: bool, cap: float | None):
        import highspy

        self.model, self.status, self.bound, self.rounds = model, "unknown", 0.0, 0
        comp = model.comp
        n, nl = comp.n, model.n_labels
        cand = model.candidates(hops)
        self.labels_all = labels_all = nl + k
        self.choices = [[*cand[i], *range(nl, labels_all)] for i in range(n)]
        self.cols: dict[tuple[int, int], int] = {}
        for i in range(n):
            for lab in self.choices[i]:
                self.cols[(i, lab)] = len(self.cols)
        nx = len(self.cols)
        self.y0, self.d0 = nx, nx + labels_all
        ncol = self.d0 + nl
        change = np.zeros(ncol)
        for (i, lab), c in self.cols.items():
            change[c] = cost_of(model, i, lab)
        cost = _secondary_cost(model, self.cols, ncol, self.d0, nx) if secondary else change
        self.h = h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 1e-6 if secondary else 0.5)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("threads", 1)
        self.inf = inf = highspy.kHighsInf
        upper = np.concatenate([np.ones(nx + labels_all), np.full(nl, inf)])
        h.addVars(ncol, np.zeros(ncol), upper)
        h.changeColsCost(ncol, np.arange(ncol, dtype=np.int32), cost)
        h.changeColsIntegrality(nx + labels_all, np.arange(nx + labels_all, dtype=np.int32),
                                np.full(nx + labels_all, highspy.HighsVarType.kInteger, dtype=np.uint8))
        self.rows = _Rows()
        for i in range(n):
            self.rows.add(1, 1, [(self.cols[(i, lab)], 1.0) for lab in self.choices[i]])
        self._band_rows()
        self._structure_rows()
        if cap is not None:
            self.rows.add(-inf, cap, [(c, change[c]) for c in range(nx) if change[c]])
        self.rows.flush(h)

    def _band_rows(self) -> None:
        """Add each label's band (when used), its link to the label's use, and the change in its total."""
        model, comp, cols, inf = self.model, self.model.comp, self.cols, self.inf
        w = np.asarray(comp.w, dtype=float)
        by_label: dict[int, list[tuple[int, int]]] = {}
        for (i, lab), c in cols.items():
            by_label.setdefault(lab, []).append((i, c))
        for lab in range(self.labels_all):
            members = by_label.get(lab, [])
            y = self.y0 + lab
            self.rows.add(0, inf, [*((c, w[i]) for i, c in members), (y, -comp.floor)])
            self.rows.add(-inf, 0, [*((c, w[i]) for i, c in members), (y, -comp.ceiling)])
            for _i, c in members:
                self.rows.add(-inf, 0, [(c, 1.0), (y, -1.0)])
            if lab < model.n_labels:
                self.rows.add(-model.today[lab], inf, [*((c, w[i]) for i, c in members), (self.d0 + lab, 1.0)])
                self.rows.add(-inf, model.today[lab], [*((c, w[i]) for i, c in members), (self.d0 + lab, -1.0)])
        for lab in range(model.n_labels, self.labels_all - 1):
            self.rows.add(0, inf, [(self.y0 + lab, 1.0), (self.y0 + lab + 1, -1.0)])

    def _structure_rows(self) -> None:
        """Add the cardinality covers, the light-node neighbour rows and the keep-apart locks."""
        model, comp, cols, inf = self.model, self.model.comp, self.cols, self.inf
        w = np.asarray(comp.w, dtype=float)
        for lab, members_home in _stayers(model).items():
            # today's members of a label that can stay together: a cardinality cover of the ceiling
            keep_max = _most_that_fit(sorted(w[members_home]), comp.ceiling)
            if keep_max < len(members_home):
                self.rows.add(-inf, keep_max, [(cols[(i, lab)], 1.0) for i in members_home if (i, lab) in cols])
        for i in range(comp.n):
            if comp.w[i] >= comp.floor:
                continue
            # a node lighter than the floor cannot be a group alone: it needs a neighbour in its group
            for lab in self.choices[i]:
                self.rows.add(-inf, 0, [(cols[(i, lab)], 1.0), *((cols[(v, lab)], -1.0) for v in sorted(comp.nb[i])
                                                                if (v, lab) in cols)])
        for i, js in comp.apart.items():
            for j in js:
                if i < j:
                    for lab in range(self.labels_all):
                        if (i, lab) in cols and (j, lab) in cols:
                            self.rows.add(-inf, 1, [(cols[(i, lab)], 1.0), (cols[(j, lab)], 1.0)])

    def start(self, labels: list[int]) -> None:
        """Give HiGHS a starting labelling."""
        import highspy

        sol = highspy.HighsSolution()
        vals = np.zeros(self.h.getNumCol())
        for i, lab in enumerate(labels):
            if (i, lab) in self.cols:
                vals[self.cols[(i, lab)]] = 1.0
        sol.col_value = list(vals)
        self.h.setSolution(sol)

    def connected(self, t_end: float, settle: bool = False) -> tuple[list[int], float] | None:
        """Solve, adding contiguity cuts, until the solution is connected; None if infeasible or out of time.

        With ``settle``, the best solution found within a node budget is accepted (not only a proven optimum).
        """
        import highspy

        h, n = self.h, self.model.comp.n
        while True:
            left = t_end - time.perf_counter()
            if left <= 0.05:
                return None
            h.setOptionValue("time_limit", float(left))
            h.run()
            self.rounds += 1
            status = h.getModelStatus()
            info = h.getInfo()
            if status == highspy.HighsModelStatus.kInfeasible:
                self.status = "infeasible"
                return None
            if math.isfinite(info.mip_dual_bound):
                self.bound = max(self.bound, float(info.mip_dual_bound))
            settled = settle and status != highspy.HighsModelStatus.kTimeLimit and info.primal_solution_status == 2
            if status != highspy.HighsModelStatus.kOptimal and not settled:
                return None
            sol = np.asarray(h.getSolution().col_value)
            label = [-1] * n
            for (i, lab), c in self.cols.items():
                if sol[c] > 0.5:
                    label[i] = lab
            cuts = _contiguity_cuts(label, self.model.comp.nb, self.cols, self.labels_all)
            if TRACE:
                print("round", self.rounds, h.modelStatusToString(status), round(info.objective_function_value, 2),
                      round(info.mip_dual_bound, 2), "cuts", len(cuts), "nodes", info.mip_node_count,
                      round(time.perf_counter(), 1))
            if not cuts:
                return label, float(sum(cost_of(self.model, i, label[i]) for i in range(n)))
            for row in cuts:
                self.rows.add(-self.inf, 1, row)
            self.rows.flush(h)


def _secondary_cost(model: RepairModel, cols: dict, ncol: int, d0: int, nx: int) -> np.ndarray:
    """Return the secondary objective: compactness (weight 0.6) then closeness to today's totals (0.4)."""
    comp = model.comp
    w = np.asarray(comp.w, dtype=float)
    xy = comp.xy
    nl = model.n_labels
    home_xy = np.array([model.anchor[h] if h >= 0 else xy[i] for i, h in enumerate(model.home)]).reshape(comp.n, 2)
    cc = np.zeros(nx)
    for (i, lab), c in cols.items():
        anchor = model.anchor[lab] if lab < nl else home_xy[i]
        cc[c] = w[i] * float(((xy[i] - anchor) ** 2).sum())
    cost = np.zeros(ncol)
    if cc.max() > 0:
        cost[:nx] = 0.6 * cc / cc.sum()
    cost[d0:] = 0.4 / (2 * max(float(w.sum()), 1.0))
    return cost


def _stayers(model: RepairModel) -> dict[int, np.ndarray]:
    """Return, for each of today's labels, the nodes whose home it is."""
    return {lab: np.flatnonzero(model.home == lab) for lab in range(model.n_labels)
            if (model.home == lab).any()}


def _most_that_fit(sizes_asc: list[float], cap: float) -> int:
    """Return how many of the smallest sizes fit under ``cap`` together."""
    total, k = 0.0, 0
    for s_ in sizes_asc:
        if total + s_ > cap:
            break
        total += s_
        k += 1
    return k


def cost_of(model: RepairModel, i: int, lab: int) -> float:
    """Return the changes of node ``i`` taking label ``lab`` (a new label when ``lab >= n_labels``)."""
    return float(model.cost[i, lab]) if lab < model.n_labels else float(model.new_cost[i])


def _contiguity_cuts(label: list[int], nb, cols: dict[tuple[int, int], int],
                     labels_all: int) -> list[list[tuple[int, float]]]:
    """Return cuts excluding every label in pieces (see the module docstring), for every label.

    For a piece S, a node i of S and a node j of another piece, the separator is the part of
    N(S) next to j's side (a minimal vertex separator of i and j within N(S)).
    """
    cuts = []
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(label):
        groups.setdefault(lab, []).append(i)
    for members in groups.values():
        pieces = graph.components(members, nb)
        if len(pieces) < 2:
            continue
        pieces.sort(key=lambda p: (-len(p), min(p)))
        for a, piece in enumerate(pieces):
            boundary = {v for u in piece for v in nb[u]} - set(piece)
            for other in pieces[:a] + pieces[a + 1:]:
                j = min(other)
                side = _reach(j, nb, boundary)
                sep = sorted(c for c in boundary if nb[c] & side)
                for i in sorted(piece):
                    for lab in range(labels_all):
                        if (i, lab) in cols and (j, lab) in cols:
                            row = [(cols[(i, lab)], 1.0), (cols[(j, lab)], 1.0)]
                            row += [(cols[(v, lab)], -1.0) for v in sep if (v, lab) in cols]
                            cuts.append(row)
    return cuts


def _reach(start: int, nb, blocked: set[int]) -> set[int]:
    """Return the nodes reachable from ``start`` without entering ``blocked``."""
    seen, stack = {start}, [start]
    while stack:
        u = stack.pop()
        for v in nb[u]:
            if v not in seen and v not in blocked:
                seen.add(v)
                stack.append(v)
    return seen


class _Rows:
    """Rows gathered in CSR form and added to HiGHS at once."""

    def __init__(self) -> None:
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.starts: list[int] = []
        self.idx: list[int] = []
        self.val: list[float] = []

    def add(self, lo: float, hi: float, entries) -> None:
        self.lo.append(lo)
        self.hi.append(hi)
        self.starts.append(len(self.idx))
        for c, v in entries:
            self.idx.append(int(c))
            self.val.append(float(v))

    def flush(self, h) -> None:
        if self.lo:
            h.addRows(len(self.lo), np.array(self.lo), np.array(self.hi), len(self.idx),
                      np.array(self.starts, dtype=np.int32), np.array(self.idx, dtype=np.int32),
                      np.array(self.val))
        self.lo, self.hi, self.starts, self.idx, self.val = [], [], [], [], []
