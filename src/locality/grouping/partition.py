"""Contiguous partition of a weighted graph within a floor and a ceiling.

This is the search at the heart of the grouping engine, kept free of any NHS or map
concepts: nodes with weights (registered patients) and positions, a neighbour graph,
a floor and a ceiling, and pairs of nodes that must stay apart (a :class:`Component`).
It returns groups that are each connected, with the fewest groups outside the bounds and
the smallest excess, then the most compact.

Search: seeded region growing, then simulated annealing over single-node moves between
neighbouring groups (a move is allowed only if the group it leaves stays connected),
with restarts over seeds and numbers of groups. For small components, an exhaustive
search over all connected partitions either finds an in-bounds one or proves that none
exists. How hard it tries is a :class:`SearchBudget`; when groups outside the bounds are
forced, the :class:`Proof` says why.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np

from locality import graph, settings


class Proof(StrEnum):
    """Why no grouping of a component (or no choice for one group) fits the bounds."""

    #: Parts that any in-bounds grouping must keep together (:func:`pendant_merges`) exceed the ceiling.
    PENDANT = "pendant"
    #: No number of groups can fit the component's total.
    ARITHMETIC = "arithmetic"
    #: The exhaustive search checked every connected partition and none fits.
    EXHAUSTIVE = "exhaustive"


@dataclass(frozen=True)
class SearchBudget:
    """How hard :func:`solve_component` searches (defaults from :mod:`locality.settings`).

    Attributes
    ----------
    restarts : int
        Restarts per number of groups tried, alternately from a spanning-tree bisection and
        from region growing (default ``GROUPING_RESTARTS``, 6).
    iters_per_node : int
        Simulated-annealing moves per node in each restart (``GROUPING_ITERS_PER_NODE``, 400).
    exhaustive_max_nodes : int
        Largest component the exhaustive proof is tried on; 0 turns it off
        (``GROUPING_EXHAUSTIVE_MAX_NODES``, 40).
    exhaustive_budget : int
        Subset expansions after which the exhaustive proof stops unproven
        (``GROUPING_EXHAUSTIVE_BUDGET``, 300,000).
    bisect_trees : int
        Random spanning trees tried for each cut of the bisection start (``GROUPING_BISECT_TREES``, 8).
    repair_steps : int
        Greedy repair moves at most, per restart (``GROUPING_REPAIR_STEPS``, 100,000).
    polish_passes : int
        Compactness passes at most, per restart (``GROUPING_POLISH_PASSES``, 4).
    """

    restarts: int = settings.GROUPING_RESTARTS
    iters_per_node: int = settings.GROUPING_ITERS_PER_NODE
    exhaustive_max_nodes: int = settings.GROUPING_EXHAUSTIVE_MAX_NODES
    exhaustive_budget: int = settings.GROUPING_EXHAUSTIVE_BUDGET
    bisect_trees: int = settings.GROUPING_BISECT_TREES
    repair_steps: int = settings.GROUPING_REPAIR_STEPS
    polish_passes: int = settings.GROUPING_POLISH_PASSES

    def excess_only(self) -> SearchBudget:
        """Return the lighter budget for a re-run that only minimises the excess (no exhaustive proof).

        Used once a fit is already proven impossible (``GROUPING_EXCESS_RESTARTS``, 2, and
        ``GROUPING_EXCESS_ITERS_PER_NODE``, 150).
        """
        return replace(self, restarts=settings.GROUPING_EXCESS_RESTARTS,
                       iters_per_node=settings.GROUPING_EXCESS_ITERS_PER_NODE, exhaustive_max_nodes=0)


#: The budget :func:`solve_component` uses unless told otherwise.
DEFAULT_BUDGET = SearchBudget()


@dataclass(frozen=True)
class Component:
    """One connected component to partition.

    Attributes
    ----------
    w : sequence of float
        Node weights (patients); stored as a list of floats.
    xy : (n, 2) array
        Node positions (metres); stored as a float array.
    nb : sequence of set of int
        Neighbours of each node (the component must be connected).
    floor, ceiling : float
        Bounds on each group's total weight.
    apart : dict of int → set of int
        Nodes that must not share a group (default: none).
    """

    w: Sequence[float] | np.ndarray
    xy: np.ndarray
    nb: Sequence[set[int]]
    floor: float
    ceiling: float
    apart: dict[int, set[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "w", [float(x) for x in self.w])
        object.__setattr__(self, "xy", np.asarray(self.xy, dtype=float))
        object.__setattr__(self, "apart", self.apart or {})

    @property
    def n(self) -> int:
        """Return the number of nodes."""
        return len(self.w)


def violation(p: float, floor: float, ceiling: float) -> float:
    """Return the patients below the floor or above the ceiling (0 when within bounds)."""
    return max(0.0, floor - p) + max(0.0, p - ceiling)


@dataclass
class Partition:
    """A partition of a component's nodes into groups.

    Attributes
    ----------
    groups : list of list of int
        Node indices per group.
    violation : float
        Total patients outside the bounds, summed over groups.
    n_outside : int
        Number of groups outside the bounds.
    sse : float
        Weighted sum of squared distances of nodes to their group's weighted centre.
    proof : Proof or None
        Why no in-bounds partition exists (:attr:`Proof.EXHAUSTIVE`, :attr:`Proof.ARITHMETIC` or
        :attr:`Proof.PENDANT`), None when none is proven.
    complete : bool
        For an exhaustive search: False if it stopped at its budget.
    group_proof : list of (Proof or None), optional
        A proof per group, when they differ (pendant parts above the ceiling, and the proofs
        of the parts between them).
    pendant_parts : list of list of int, optional
        The merged pendant parts above the ceiling, when the proof is :attr:`Proof.PENDANT`.
    """

    groups: list[list[int]]
    violation: float
    n_outside: int
    sse: float
    proof: Proof | None = None
    complete: bool = True
    group_proof: list[Proof | None] | None = None
    pendant_parts: list[list[int]] | None = None

    def proof_of(self, g: int) -> Proof | None:
        """Return the proof that applies to group ``g`` (per group when known, else the partition's)."""
        return self.group_proof[g] if self.group_proof is not None else self.proof

    def key(self) -> tuple[int, float, float]:
        """Return the lexicographic quality: fewer groups outside, less excess, more compact."""
        return (self.n_outside, round(self.violation, 6), self.sse)


def feasible_group_counts(total: float, floor: float, ceiling: float) -> range:
    """Numbers of groups k for which k groups could each lie within the bounds."""
    lo = max(1, math.ceil(total / ceiling))
    hi = math.floor(total / floor) if floor > 0 else lo
    return range(lo, hi + 1)


class _State:
    """Mutable search state with O(1) updates of group weights and squared-distance sums."""

    def __init__(self, comp: Component, labels, k: int):
        self.w, self.xy, self.nb = comp.w, comp.xy, comp.nb
        self.floor, self.ceiling, self.apart = comp.floor, comp.ceiling, comp.apart
        self.k = k
        self.label = list(labels)
        self.members: list[set[int]] = [set() for _ in range(k)]
        self.sw = [0.0] * k
        self.sx = [0.0] * k
        self.sy = [0.0] * k
        self.sq = [0.0] * k
        for i, g in enumerate(self.label):
            self._add(i, g)

    def _add(self, i, g):
        w, (x, y) = self.w[i], self.xy[i]
        self.members[g].add(i)
        self.sw[g] += w
        self.sx[g] += w * x
        self.sy[g] += w * y
        self.sq[g] += w * (x * x + y * y)

    def _remove(self, i, g):
        w, (x, y) = self.w[i], self.xy[i]
        self.members[g].discard(i)
        self.sw[g] -= w
        self.sx[g] -= w * x
        self.sy[g] -= w * y
        self.sq[g] -= w * (x * x + y * y)

    def sse_of(self, sw, sx, sy, sq):
        return sq - (sx * sx + sy * sy) / sw if sw > 0 else 0.0

    def group_sse(self, g):
        return self.sse_of(self.sw[g], self.sx[g], self.sy[g], self.sq[g])

    def viol(self, g):
        return violation(self.sw[g], self.floor, self.ceiling)

    def move(self, i, b):
        a = self.label[i]
        self._remove(i, a)
        self._add(i, b)
        self.label[i] = b

    def delta(self, i, b, mu):
        """Energy change of moving node i to group b: (Δviolation, Δsse·mu)."""
        a = self.label[i]
        w, (x, y) = self.w[i], self.xy[i]
        va0, vb0 = self.viol(a), self.viol(b)
        va1 = violation(self.sw[a] - w, self.floor, self.ceiling)
        vb1 = violation(self.sw[b] + w, self.floor, self.ceiling)
        sa0, sb0 = self.group_sse(a), self.group_sse(b)
        q = w * (x * x + y * y)
        sa1 = self.sse_of(self.sw[a] - w, self.sx[a] - w * x, self.sy[a] - w * y, self.sq[a] - q)
        sb1 = self.sse_of(self.sw[b] + w, self.sx[b] + w * x, self.sy[b] + w * y, self.sq[b] + q)
        return (va1 + vb1 - va0 - vb0), mu * (sa1 + sb1 - sa0 - sb0)

    def can_leave(self, i):
        """Node i can leave its group if the rest stays connected (and non-empty)."""
        g = self.members[self.label[i]]
        if len(g) <= 1:
            return False
        rest = g - {i}
        start = next(iter(rest))
        seen = {start}
        stack = [start]
        nb = self.nb
        while stack:
            v = stack.pop()
            for u in nb[v]:
                if u in rest and u not in seen:
                    seen.add(u)
                    stack.append(u)
        return len(seen) == len(rest)

    def can_join(self, i, b):
        conflicts = self.apart.get(i)
        return not conflicts or not (conflicts & self.members[b])

    def partition(self) -> Partition:
        groups = [sorted(m) for m in self.members if m]
        viols = [violation(sum(self.w[i] for i in g), self.floor, self.ceiling) for g in groups]
        sse = sum(self.group_sse(g) for g in range(self.k) if self.members[g])
        return Partition(groups, float(sum(viols)), int(sum(v > 0 for v in viols)), float(sse))


def _grow(comp: Component, k: int, rng: random.Random | None) -> list[int]:
    """Label the nodes by seeded region growing.

    k seeds far apart; the lightest group takes its nearest free neighbour that keeps it
    under the ceiling. Leftovers then join any neighbouring group.
    """
    w, xy, nb, apart, ceiling = comp.w, comp.xy, comp.nb, comp.apart, comp.ceiling
    n = len(w)
    order = list(range(n))
    first = max(order, key=lambda i: (w[i], -i)) if rng is None else rng.randrange(n)
    seeds = [first]
    d2 = ((xy - xy[first]) ** 2).sum(axis=1)
    while len(seeds) < k:
        probs = d2 / d2.sum() if d2.sum() > 0 else np.full(n, 1.0 / n)
        pick = int(np.argmax(d2)) if rng is None else int(np.searchsorted(np.cumsum(probs), rng.random()))
        pick = min(pick, n - 1)
        if pick in seeds:
            pick = next(i for i in range(n) if i not in seeds)
        seeds.append(pick)
        d2 = np.minimum(d2, ((xy - xy[pick]) ** 2).sum(axis=1))
    label = [-1] * n
    pop = [0.0] * k
    cx = [0.0] * k
    cy = [0.0] * k
    members: list[set[int]] = [set() for _ in range(k)]
    for g, s in enumerate(seeds):
        label[s] = g
        members[g].add(s)
        pop[g] = w[s]
        cx[g], cy[g] = xy[s]
    open_groups = set(range(k))
    left = n - k
    relax = False
    while left > 0:
        if not open_groups:
            if relax:
                break
            open_groups = set(range(k))  # reopen: leftovers go to any neighbouring group
            relax = True
        g = min(open_groups, key=lambda h: (pop[h], h))
        best, best_d = -1, math.inf
        for v in members[g]:
            for u in nb[v]:
                if label[u] != -1:
                    continue
                if apart.get(u) and apart[u] & members[g]:
                    continue  # keep-apart locks hold even for leftovers
                if not relax and pop[g] + w[u] > ceiling:
                    continue
                d = (xy[u][0] - cx[g]) ** 2 + (xy[u][1] - cy[g]) ** 2
                if d < best_d or (d == best_d and u < best):
                    best, best_d = u, d
        if best < 0:
            open_groups.discard(g)
            continue
        label[best] = g
        members[g].add(best)
        pw = pop[g] + w[best]
        cx[g] = (cx[g] * pop[g] + xy[best][0] * w[best]) / pw if pw else xy[best][0]
        cy[g] = (cy[g] * pop[g] + xy[best][1] * w[best]) / pw if pw else xy[best][1]
        pop[g] = pw
        left -= 1
    return label


def _random_spanning_tree(nodes: list[int], nb, xy, rng: random.Random) -> dict[int, list[int]]:
    """Return a random, compact-leaning spanning tree (Kruskal on jittered edge lengths) of a node set."""
    inside = set(nodes)
    edges = []
    for u in nodes:
        for v in nb[u]:
            if v in inside and u < v:
                d = math.hypot(xy[u][0] - xy[v][0], xy[u][1] - xy[v][1])
                edges.append((d * (0.5 + rng.random()), u, v))
    edges.sort()
    sets = graph.UnionFind(nodes)
    tree: dict[int, list[int]] = {u: [] for u in nodes}
    for _d, u, v in edges:
        if sets.union(u, v):
            tree[u].append(v)
            tree[v].append(u)
    return tree


def _bisect_init(comp: Component, k: int, rng: random.Random, trees: int) -> list[int]:
    """Label the nodes by recursive bisection over random spanning trees.

    Each split cuts one tree edge so that the two connected sides are sized for ``k1`` and
    ``k2`` groups (``k1 + k2`` the groups wanted there).
    """
    return _Bisection(comp, rng, trees).labels(k)


class _Bisection:
    """Recursive bisection of a component over random spanning trees (see :func:`_bisect_init`)."""

    def __init__(self, comp: Component, rng: random.Random, trees: int):
        self.comp, self.rng, self.trees = comp, rng, trees
        self.label = [-1] * comp.n
        self.next_label = 0

    def labels(self, k: int) -> list[int]:
        """Return a label per node, from splitting the whole component into ``k`` parts."""
        self._split(list(range(self.comp.n)), k)
        return self.label

    def _split(self, nodes: list[int], kk: int) -> None:
        cut = self._best_cut(nodes, kk) if kk > 1 and len(nodes) > 1 else None
        if cut is None:
            for u in nodes:
                self.label[u] = self.next_label
            self.next_label += 1
            return
        side, ka, kb = cut
        self._split(sorted(side), ka)
        self._split([u for u in nodes if u not in side], kb)

    def _best_cut(self, nodes: list[int], kk: int) -> tuple[set[int], int, int] | None:
        """Return the best tree cut of ``nodes`` (one side's nodes and the groups of each side), or None."""
        w, floor, ceiling = self.comp.w, self.comp.floor, self.comp.ceiling
        k1 = kk // 2
        k2 = kk - k1
        total = sum(w[u] for u in nodes)
        best = None
        for _ in range(self.trees):
            tree = _random_spanning_tree(nodes, self.comp.nb, self.comp.xy, self.rng)
            order, par = _tree_order(tree, nodes[0])
            if len(order) < len(nodes):
                continue  # not connected: leave to the caller's fallback
            sub = {u: w[u] for u in nodes}
            for u in reversed(order[1:]):
                sub[par[u]] += sub[u]
            for v in order[1:]:
                s_ = sub[v]
                for ka, kb in ((k1, k2), (k2, k1)):
                    viol = (max(0.0, ka * floor - s_) + max(0.0, s_ - ka * ceiling)
                            + max(0.0, kb * floor - (total - s_)) + max(0.0, (total - s_) - kb * ceiling))
                    score = (viol, abs(s_ / total - ka / kk) if total > 0 else 0.0)
                    if best is None or score < best[0]:
                        best = (score, tree, par, v, ka, kb)
            if best is not None and best[0][0] == 0 and best[0][1] < 0.02:
                break
        if best is None:
            return None
        _score, tree, par, v, ka, kb = best
        return _subtree(tree, par, v), ka, kb


def _tree_order(tree: dict[int, list[int]], root: int) -> tuple[list[int], dict[int, int]]:
    """Return the breadth-first order of a tree from ``root`` and each node's parent (-1 for the root)."""
    order, par = [root], {root: -1}
    for u in order:
        for v in tree[u]:
            if v not in par:
                par[v] = u
                order.append(v)
    return order, par


def _subtree(tree: dict[int, list[int]], par: dict[int, int], v: int) -> set[int]:
    """Return the nodes of the subtree below ``v`` (``v`` included)."""
    side = {v}
    stack = [v]
    while stack:
        u = stack.pop()
        for x in tree[u]:
            if x != par[u] and x not in side:
                side.add(x)
                stack.append(x)
    return side


def _anneal(state: _State, rng: random.Random, iters: int, t0: float, mu: float) -> None:
    """Improve by simulated annealing over single-node moves, stopping once every group is within bounds."""
    n = len(state.w)
    nodes = list(range(n))
    t = t0
    cool = (0.5 / t0) ** (1.0 / max(iters, 1)) if t0 > 0.5 else 1.0
    total_viol = sum(state.viol(g) for g in range(state.k))
    for it in range(iters):
        if total_viol <= 0:
            break
        if it % 64 == 0:
            bad = [g for g in range(state.k) if state.viol(g) > 0]
            hot = [i for g in bad for i in state.members[g]]
            hot += [u for i in hot for u in state.nb[i] if state.label[u] not in bad]
        i = rng.choice(hot) if hot and rng.random() < 0.8 else rng.choice(nodes)
        a = state.label[i]
        targets = {state.label[u] for u in state.nb[i]} - {a}
        if not targets:
            continue
        b = rng.choice(sorted(targets))
        if not state.can_join(i, b):
            continue
        dv, ds = state.delta(i, b, mu)
        de = dv + ds
        if de <= 0 or (t > 0 and rng.random() < math.exp(-de / t)):
            if state.can_leave(i):
                state.move(i, b)
                total_viol += dv
        t *= cool


def _repair(state: _State, mu: float, max_steps: int) -> None:
    """Repair greedily: apply the best violation-reducing move touching an out-of-bounds group, until none."""
    for _ in range(max_steps):
        bad = sorted((g for g in range(state.k) if state.viol(g) > 0), key=lambda g: -state.viol(g))
        if not bad:
            return
        done = False
        for g in bad:
            best = None
            cand = set()
            for i in state.members[g]:
                for u in state.nb[i]:
                    h = state.label[u]
                    if h != g:
                        cand.add((i, h))  # push i out of g into h
                        cand.add((u, g))  # pull u from h into g
            for i, b in sorted(cand):
                if not state.can_join(i, b):
                    continue
                dv, ds = state.delta(i, b, mu)
                if dv < 0 and (best is None or (dv, ds) < best[0]) and state.can_leave(i):
                    best = ((dv, ds), i, b)
            if best is not None:
                state.move(best[1], best[2])
                done = True
                break
        if not done:
            return


def _polish(state: _State, max_passes: int) -> None:
    """Improve compactness by greedy descent, never increasing any violation."""
    n = len(state.w)
    for _ in range(max_passes):
        improved = False
        for i in range(n):
            a = state.label[i]
            for b in sorted({state.label[u] for u in state.nb[i]} - {a}):
                if not state.can_join(i, b):
                    continue
                dv, ds = state.delta(i, b, 1.0)
                if dv <= 0 and ds < -1e-6 and state.can_leave(i):
                    state.move(i, b)
                    improved = True
                    break
        if not improved:
            break


def solve_component(comp: Component, *, k: int | None = None, seed: int = 0,
                    budget: SearchBudget = DEFAULT_BUDGET, contract: bool = True) -> Partition:
    """Partition one connected component into contiguous groups within the bounds.

    Parameters
    ----------
    comp : Component
        The nodes (weights, positions, neighbours), the bounds and the keep-apart pairs.
    k : int, optional
        Number of groups. Default: the feasible count nearest to total / mid-band.
    seed : int
        Seed for the randomised search (results are identical for the same seed).
    budget : SearchBudget
        How hard to search (default :data:`DEFAULT_BUDGET`).
    contract : bool
        First merge pendant parts that any in-bounds grouping must keep together
        (:func:`pendant_merges`). When that still leaves groups outside the bounds, the
        uncontracted graph is searched too and the better grouping is kept.

    Returns
    -------
    Partition
    """
    rep = pendant_merges(comp.w, comp.nb, comp.floor, comp.apart) if contract else list(range(comp.n))
    if len(set(rep)) < comp.n:
        return _solve_with_pendants(comp, rep, k, seed, budget)
    ks, proof = _group_counts_to_try(comp, k)
    best = _search(comp, ks, seed, budget)
    if best.n_outside and proof is None and comp.n <= budget.exhaustive_max_nodes and k is None:
        best = _prove_or_find(comp, best, budget)
    elif proof:
        best.proof = proof
    return best


def _solve_with_pendants(comp: Component, rep: list[int], k: int | None, seed: int,
                         budget: SearchBudget) -> Partition:
    """Solve with pendant parts merged; if groups stay outside, also try the plain graph for less excess."""
    part = _solve_contracted(comp, rep, k, seed, budget)
    if part.n_outside:
        # infeasibility is already proven: a lighter search only to minimise the excess
        plain = solve_component(comp, k=k, seed=seed, budget=budget.excess_only(), contract=False)
        if plain.key() < part.key():
            # the contracted search's proof (that no in-bounds grouping exists) still holds
            plain.proof = part.proof or plain.proof
            plain.pendant_parts = part.pendant_parts
            plain.group_proof = None
            return plain
    return part


def _group_counts_to_try(comp: Component, k: int | None) -> tuple[list[int], Proof | None]:
    """Return the numbers of groups to search (nearest the mid-band first), and the arithmetic proof if none fits."""
    n, total, floor, ceiling = comp.n, sum(comp.w), comp.floor, comp.ceiling
    if k is not None:
        return [max(1, min(k, n))], None
    counts = feasible_group_counts(total, floor, ceiling)
    if len(counts):
        mid = (floor + ceiling) / 2
        pref = min(max(round(total / mid), counts.start), counts.stop - 1)
        ks = sorted(counts, key=lambda c: (abs(c - pref), c))[:4]
        return [c for c in ks if c <= n] or [min(counts.start, n)], None
    lo = max(1, math.floor(total / floor)) if floor > 0 else 1
    return sorted({max(1, min(lo, n)), max(1, min(math.ceil(total / ceiling), n))}), Proof.ARITHMETIC


def _search(comp: Component, ks: list[int], seed: int, budget: SearchBudget) -> Partition:
    """Return the best partition found over the group counts ``ks`` and the budget's restarts."""
    w, xy = comp.w, comp.xy
    # compactness weight: the whole area's spread is worth about 0.1% of the floor in patients
    spread = float(((xy - xy.mean(axis=0)) ** 2).sum(axis=1).mean()) * sum(w)
    mu = 1e-3 * comp.floor / max(spread, 1.0)
    rng = random.Random(seed)
    best: Partition | None = None
    for kk in ks:
        for r in range(budget.restarts):
            labels = _start_labels(comp, kk, r, rng, budget)
            if min(labels) < 0 or _apart_broken(labels, comp.apart):
                continue
            part = _improve(comp, labels, rng, mu, budget)
            if best is None or part.key() < best.key():
                best = part
            if best.n_outside == 0:
                break
        if best is not None and best.n_outside == 0:
            break
    if best is None:  # apart constraints left nodes unplaced: fall back to one group each
        best = _singletons(w, comp.floor, comp.ceiling)
    return best


def _start_labels(comp: Component, kk: int, restart: int, rng: random.Random, budget: SearchBudget) -> list[int]:
    """Return a starting labelling: bisection on even restarts (unless it breaks a lock), else region growing."""
    if restart % 2 == 0:
        labels = _bisect_init(comp, kk, rng, budget.bisect_trees)
        apart = comp.apart
        if any(apart.get(i) and any(labels[j] == labels[i] for j in apart[i]) for i in range(comp.n)):
            labels = _grow(comp, kk, rng)
        return labels
    return _grow(comp, kk, rng)


def _improve(comp: Component, labels: list[int], rng: random.Random, mu: float, budget: SearchBudget) -> Partition:
    """Return the partition reached from ``labels`` by repair, annealing and polishing."""
    st = _State(comp, labels, max(labels) + 1)
    _repair(st, mu, budget.repair_steps)
    _anneal(st, rng, budget.iters_per_node * comp.n, t0=0.02 * comp.floor, mu=mu)
    _polish(st, budget.polish_passes)
    return st.partition()


def _prove_or_find(comp: Component, best: Partition, budget: SearchBudget) -> Partition:
    """Run the exhaustive search: return an in-bounds partition it finds, else ``best`` marked proven or not."""
    found, complete = exhaustive_partition(comp.w, comp.nb, comp.floor, comp.ceiling, comp.apart,
                                           budget=budget.exhaustive_budget)
    if found is not None:
        st = _State(comp, _labels_of(found, comp.n), len(found))
        _polish(st, budget.polish_passes)
        return st.partition()
    if complete:
        best.proof = Proof.EXHAUSTIVE
    else:
        best.complete = False
    return best


def _articulation_points(nb: dict[int, set[int]]) -> list[int]:
    """Cut vertices of a graph given as {node: neighbours} (iterative Tarjan), sorted."""
    disc: dict[int, int] = {}
    low: dict[int, int] = {}
    out: set[int] = set()
    t = 0
    for root in sorted(nb):
        if root in disc:
            continue
        disc[root] = low[root] = t
        t += 1
        root_children = 0
        stack = [(root, -1, iter(sorted(nb[root])))]
        while stack:
            v, parent, it = stack[-1]
            advanced = False
            for x in it:
                if x == parent:
                    continue
                if x in disc:
                    low[v] = min(low[v], disc[x])
                else:
                    disc[x] = low[x] = t
                    t += 1
                    if v == root:
                        root_children += 1
                    stack.append((x, v, iter(sorted(nb[x]))))
                    advanced = True
                    break
            if not advanced:
                stack.pop()
                if stack:
                    pv = stack[-1][0]
                    low[pv] = min(low[pv], low[v])
                    if pv != root and low[v] >= disc[pv]:
                        out.add(pv)
        if root_children > 1:
            out.add(root)
    return sorted(out)


def pendant_merges(w, nb, floor, apart=None) -> list[int]:
    """Merge parts that can only be in bounds together: returns a representative for each node.

    If removing node u cuts off a part C whose total is below the floor, no in-bounds group
    can lie inside C, so every node of C must share u's group. Repeating this until nothing
    changes gives super-nodes that any in-bounds partition must keep whole.
    """
    n = len(w)
    apart = apart or {}
    rep = list(range(n))
    members = {i: {i} for i in range(n)}
    weight = {i: float(w[i]) for i in range(n)}
    snb = {i: set(nb[i]) for i in range(n)}
    changed = True
    while changed:
        changed = False
        for u in _articulation_points(snb):
            if u not in members:
                continue
            others = set(members) - {u}
            for comp in graph.components(others, snb):
                if comp == others or sum(weight[c] for c in comp) >= floor:
                    continue
                nodes = set().union(members[u], *(members[c] for c in comp))
                if any(apart.get(i, set()) & nodes for i in nodes):
                    continue  # a keep-apart lock forbids it; leave it to the search
                for c in comp:
                    members[u] |= members.pop(c)
                    weight[u] += weight.pop(c)
                    snb[u] |= snb.pop(c)
                snb[u] -= members[u] | comp
                snb[u] = {x for x in snb[u] if x in members}
                for x in members:
                    snb[x] = {u if y in comp else y for y in snb[x]} - {x}
                changed = True
                break
    for r, ms in members.items():
        for i in ms:
            rep[i] = r
    return rep


def _solve_contracted(comp: Component, rep: list[int], k: int | None, seed: int,
                      budget: SearchBudget) -> Partition:
    """Solve on the graph with pendant parts merged, then expand back to the original nodes."""
    w, xy, nb, floor, ceiling = comp.w, comp.xy, comp.nb, comp.floor, comp.ceiling
    reps = sorted(set(rep))
    idx = {r: i for i, r in enumerate(reps)}
    members: list[list[int]] = [[] for _ in reps]
    for i, r in enumerate(rep):
        members[idx[r]].append(i)
    cw = [sum(w[i] for i in m) for m in members]
    cxy = np.array([np.average(xy[m], axis=0, weights=np.asarray([w[i] for i in m]) + 1e-9) for m in members])
    cnb = [{idx[rep[v]] for i in m for v in nb[i]} - {j} for j, m in enumerate(members)]
    capart: dict[int, set[int]] = {}
    for i, vs in comp.apart.items():
        capart.setdefault(idx[rep[i]], set()).update(idx[rep[v]] for v in vs)
    if any(x > ceiling for x in cw):
        # a merged part above the ceiling: no in-bounds partition exists (proof by pendant parts)
        big = [j for j, x in enumerate(cw) if x > ceiling]
        rest = [j for j in range(len(cw)) if j not in big]
        groups = [members[j] for j in big]
        proofs: list[Proof | None] = [Proof.PENDANT] * len(big)
        for part_nodes in graph.components(rest, cnb):
            cl = sorted(part_nodes)
            loc = {j: t for t, j in enumerate(cl)}
            sub = solve_component(
                Component([cw[j] for j in cl], cxy[cl], [{loc[v] for v in cnb[j] if v in loc} for j in cl],
                          floor, ceiling, {loc[a]: {loc[b] for b in bs if b in loc}
                                           for a, bs in capart.items() if a in loc}),
                k=k, seed=seed, budget=budget)
            groups += [[i for t in g for i in members[cl[t]]] for g in sub.groups]
            proofs += [sub.proof_of(t) for t in range(len(sub.groups))]
        viols = [violation(sum(w[i] for i in g), floor, ceiling) for g in groups]
        return Partition(groups, float(sum(viols)), int(sum(v > 0 for v in viols)), _sse(groups, w, xy),
                         proof=Proof.PENDANT, group_proof=proofs, pendant_parts=[members[j] for j in big])
    part = solve_component(Component(cw, cxy, cnb, floor, ceiling, capart), k=k, seed=seed, budget=budget)
    groups = [[i for j in g for i in members[j]] for g in part.groups]
    return Partition(groups, part.violation, part.n_outside, _sse(groups, w, xy), part.proof, part.complete,
                     part.group_proof)


def _sse(groups, w, xy) -> float:
    total = 0.0
    for g in groups:
        ww = np.asarray([w[i] for i in g]) + 1e-9
        pts = xy[g]
        c = np.average(pts, axis=0, weights=ww)
        total += float((ww * ((pts - c) ** 2).sum(axis=1)).sum())
    return total


def _apart_broken(labels, apart) -> bool:
    """Return True if any keep-apart pair shares a label."""
    return any(labels[i] == labels[j] for i, js in apart.items() for j in js)


def _labels_of(groups, n):
    label = [-1] * n
    for g, members in enumerate(groups):
        for i in members:
            label[i] = g
    return label


def _singletons(w, floor, ceiling) -> Partition:
    groups = [[i] for i in range(len(w))]
    viols = [violation(x, floor, ceiling) for x in w]
    return Partition(groups, float(sum(viols)), int(sum(v > 0 for v in viols)), 0.0)


def exhaustive_partition(w, nb, floor, ceiling, apart=None, budget: int = 400_000):
    """Search every partition into connected groups within the bounds.

    Returns
    -------
    (groups or None, complete)
        ``groups`` is an in-bounds partition if one exists. When ``groups`` is None and
        ``complete`` is True, no in-bounds contiguous partition exists (a proof).
        ``complete`` is False when the search stopped at ``budget`` subset expansions.
    """
    n = len(w)
    if sum(w) < floor or any(x > ceiling for x in w):
        return None, True
    search = _Exhaustive(w, nb, floor, ceiling, apart or {}, budget)
    try:
        masks = search.solve((1 << n) - 1)
    except _BudgetSpent:
        return None, False
    if masks is None:
        return None, True
    return [[i for i in range(n) if (m >> i) & 1] for m in masks], True


class _BudgetSpent(Exception):
    """The exhaustive search reached its budget of subset expansions."""


class _Exhaustive:
    """Depth-first search over connected in-bounds groups, on node sets held as bit masks (memoised)."""

    def __init__(self, w, nb, floor, ceiling, apart, budget: int):
        n = len(w)
        self.w, self.floor, self.ceiling, self.budget = w, floor, ceiling, budget
        self.nbm = [sum(1 << u for u in nb[i]) for i in range(n)]
        self.apm = [sum(1 << u for u in apart.get(i, ())) for i in range(n)]
        self.memo: dict[int, list[int] | None] = {}
        self.expansions = 0

    def solve(self, mask: int) -> list[int] | None:
        """Return in-bounds connected groups (as masks) covering ``mask``, or None if there are none."""
        if mask == 0:
            return []
        if mask in self.memo:
            return self.memo[mask]
        self.memo[mask] = None
        v = (mask & -mask).bit_length() - 1
        for s, s_w in self.subsets(v, mask):
            if s_w < self.floor or not self.parts_can_fit(mask & ~s):
                continue
            rest = self.solve(mask & ~s)
            if rest is not None:
                self.memo[mask] = [s, *rest]
                return self.memo[mask]
        return None

    def subsets(self, v: int, mask: int):
        """Yield the connected subsets of ``mask`` holding ``v`` (its lowest node), weight ≤ ceiling (ESU)."""
        vb = 1 << v
        yield from self._extend(vb, self.w[v], self.nbm[v] & mask, (self.nbm[v] & mask) | vb, self.apm[v], mask)

    def _extend(self, s: int, s_w: float, ext: int, seen: int, conflict: int, mask: int):
        self.expansions += 1
        if self.expansions > self.budget:
            raise _BudgetSpent
        yield s, s_w
        while ext:
            low = ext & -ext
            ext ^= low
            u = low.bit_length() - 1
            nw = s_w + self.w[u]
            if nw > self.ceiling or (conflict >> u) & 1:
                continue
            new = self.nbm[u] & mask & ~seen
            yield from self._extend(s | low, nw, ext | new, seen | self.nbm[u] | low, conflict | self.apm[u], mask)

    def parts_can_fit(self, mask: int) -> bool:
        """Return True if each connected part of ``mask`` can hold a whole number of in-bounds groups."""
        left = mask
        while left:
            comp = self._part_of(left & -left, mask)
            left &= ~comp
            if not feasible_group_counts(self._weight(comp), self.floor, self.ceiling):
                return False
        return True

    def _part_of(self, start: int, mask: int) -> int:
        """Return the connected part of ``mask`` holding the node bit ``start``."""
        comp, frontier = start, start
        while frontier:
            nxt = 0
            f = frontier
            while f:
                b = f & -f
                f ^= b
                nxt |= self.nbm[b.bit_length() - 1]
            nxt &= mask & ~comp
            comp |= nxt
            frontier = nxt
        return comp

    def _weight(self, nodes: int) -> float:
        tot = 0.0
        while nodes:
            b = nodes & -nodes
            nodes ^= b
            tot += self.w[b.bit_length() - 1]
        return tot
