"""Contiguous partition of a weighted graph within a floor and a ceiling.

This is the search at the heart of the grouping engine, kept free of any NHS or map
concepts: nodes with weights (registered patients) and positions, a neighbour graph,
a floor and a ceiling, and pairs of nodes that must stay apart. It returns groups that
are each connected, with the fewest groups outside the bounds and the smallest excess,
then the most compact.

Search: seeded region growing, then simulated annealing over single-node moves between
neighbouring groups (a move is allowed only if the group it leaves stays connected),
with restarts over seeds and numbers of groups. For small components, an exhaustive
search over all connected partitions either finds an in-bounds one or proves that none
exists.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np

from locality import graph


def violation(p: float, floor: float, ceiling: float) -> float:
    """Patients below the floor or above the ceiling (0 when within bounds)."""
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
    proof : str or None
        "exhaustive" when an exhaustive search proved no in-bounds partition exists,
        "arithmetic" when no number of groups can fit the total, None otherwise.
    complete : bool
        For an exhaustive search: False if it stopped at its budget.
    """

    groups: list[list[int]]
    violation: float
    n_outside: int
    sse: float
    proof: str | None = None
    complete: bool = True
    group_proof: list[str | None] | None = None
    pendant_parts: list[list[int]] | None = None

    def proof_of(self, g: int) -> str | None:
        """The proof that applies to group g (per-group when known, else the partition's)."""
        return self.group_proof[g] if self.group_proof is not None else self.proof

    def key(self) -> tuple[int, float, float]:
        """Lexicographic quality: fewer groups outside, less excess, more compact."""
        return (self.n_outside, round(self.violation, 6), self.sse)


def feasible_group_counts(total: float, floor: float, ceiling: float) -> range:
    """Numbers of groups k for which k groups could each lie within the bounds."""
    lo = max(1, math.ceil(total / ceiling))
    hi = math.floor(total / floor) if floor > 0 else lo
    return range(lo, hi + 1)


class _State:
    """Mutable search state with O(1) updates of group weights and squared-distance sums."""

    def __init__(self, w, xy, nb, labels, k, floor, ceiling, apart):
        self.w, self.xy, self.nb = w, xy, nb
        self.floor, self.ceiling, self.apart = floor, ceiling, apart
        self.k = k
        self.label = list(labels)
        self.members = [set() for _ in range(k)]
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


def _grow(w, xy, nb, k, apart, rng, ceiling=math.inf) -> list[int]:
    """Seeded region growing: k seeds far apart; the lightest group takes its nearest free neighbour
    that keeps it under the ceiling. Leftovers then join any neighbouring group."""
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
    """A random, compact-leaning spanning tree (Kruskal on jittered edge lengths) of a connected node set."""
    inside = set(nodes)
    edges = []
    for u in nodes:
        for v in nb[u]:
            if v in inside and u < v:
                d = math.hypot(xy[u][0] - xy[v][0], xy[u][1] - xy[v][1])
                edges.append((d * (0.5 + rng.random()), u, v))
    edges.sort()
    parent = {u: u for u in nodes}

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    tree: dict[int, list[int]] = {u: [] for u in nodes}
    for _d, u, v in edges:
        ru, rv = find(u), find(v)
        if ru != rv:
            parent[ru] = rv
            tree[u].append(v)
            tree[v].append(u)
    return tree


def _bisect_init(w, xy, nb, k, floor, ceiling, rng: random.Random, trees: int = 8) -> list[int]:
    """Recursive bisection over random spanning trees: split into connected parts sized for k1 and k2 groups."""
    label = [-1] * len(w)
    next_label = [0]

    def split(nodes: list[int], kk: int) -> None:
        if kk <= 1 or len(nodes) <= 1:
            for u in nodes:
                label[u] = next_label[0]
            next_label[0] += 1
            return
        k1 = kk // 2
        k2 = kk - k1
        total = sum(w[u] for u in nodes)
        best = None
        for _ in range(trees):
            tree = _random_spanning_tree(nodes, nb, xy, rng)
            root = nodes[0]
            order, par = [root], {root: -1}
            for u in order:
                for v in tree[u]:
                    if v not in par:
                        par[v] = u
                        order.append(v)
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
                        best = (score, tree, order, par, v, ka, kb)
            if best is not None and best[0][0] == 0 and best[0][1] < 0.02:
                break
        if best is None:
            for u in nodes:
                label[u] = next_label[0]
            next_label[0] += 1
            return
        _score, tree, order, par, v, ka, kb = best
        side = {v}
        stack = [v]
        while stack:
            u = stack.pop()
            for x in tree[u]:
                if x != par[u] and x not in side:
                    side.add(x)
                    stack.append(x)
        split(sorted(side), ka)
        split([u for u in nodes if u not in side], kb)

    split(list(range(len(w))), k)
    return label


def _anneal(state: _State, rng: random.Random, iters: int, t0: float, mu: float) -> None:
    """Simulated annealing over single-node moves; stops early once every group is within bounds."""
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


def _repair(state: _State, mu: float, max_steps: int = 100_000) -> None:
    """Greedy repair: apply the best violation-reducing move touching an out-of-bounds group, until none."""
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


def _polish(state: _State, max_passes: int = 4) -> None:
    """Greedy descent on compactness that never increases any violation."""
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


def solve_component(w, xy, nb, floor, ceiling, *, k: int | None = None, apart=None, seed: int = 0,
                    restarts: int = 6, iters_per_node: int = 400, exhaustive_max_nodes: int = 40,
                    exhaustive_budget: int = 300_000, contract: bool = True) -> Partition:
    """Partition one connected component into contiguous groups within the bounds.

    Parameters
    ----------
    w : sequence of float
        Node weights (patients).
    xy : (n, 2) array
        Node positions (metres).
    nb : list of set of int
        Neighbours of each node (the component must be connected).
    floor, ceiling : float
        Bounds on each group's total weight.
    k : int, optional
        Number of groups. Default: the feasible count nearest to total / mid-band.
    apart : dict of int → set of int, optional
        Nodes that must not share a group.
    seed : int
        Seed for the randomised search (results are identical for the same seed).
    contract : bool
        First merge pendant parts that any in-bounds grouping must keep together
        (:func:`pendant_merges`). When that still leaves groups outside the bounds, the
        uncontracted graph is searched too and the better grouping is kept.

    Returns
    -------
    Partition
    """
    w = [float(x) for x in w]
    xy = np.asarray(xy, dtype=float)
    apart = apart or {}
    kw = dict(k=k, apart=apart, seed=seed, restarts=restarts, iters_per_node=iters_per_node,
              exhaustive_max_nodes=exhaustive_max_nodes, exhaustive_budget=exhaustive_budget)
    rep = pendant_merges(w, nb, floor, apart) if contract else list(range(len(w)))
    if len(set(rep)) < len(w):
        part = _solve_contracted(w, xy, nb, floor, ceiling, rep, **kw)
        if part.n_outside:
            # infeasibility is already proven: a lighter search only to minimise the excess
            plain = solve_component(w, xy, nb, floor, ceiling, contract=False,
                                    **{**kw, "restarts": 2, "iters_per_node": 150, "exhaustive_max_nodes": 0})
            if plain.key() < part.key():
                # the contracted search's proof (that no in-bounds grouping exists) still holds
                plain.proof = part.proof or plain.proof
                plain.pendant_parts = part.pendant_parts
                plain.group_proof = None
                return plain
        return part
    n = len(w)
    total = sum(w)
    counts = feasible_group_counts(total, floor, ceiling)
    proof = None
    if k is not None:
        ks = [max(1, min(k, n))]
    elif len(counts):
        mid = (floor + ceiling) / 2
        pref = min(max(round(total / mid), counts.start), counts.stop - 1)
        ks = sorted(counts, key=lambda c: (abs(c - pref), c))[:4]
        ks = [c for c in ks if c <= n] or [min(counts.start, n)]
    else:
        proof = "arithmetic"
        lo = max(1, math.floor(total / floor)) if floor > 0 else 1
        ks = sorted({max(1, min(lo, n)), max(1, min(math.ceil(total / ceiling), n))})
    # compactness weight: the whole area's spread is worth about 0.1% of the floor in patients
    spread = float(((xy - xy.mean(axis=0)) ** 2).sum(axis=1).mean()) * total
    mu = 1e-3 * floor / max(spread, 1.0)
    rng = random.Random(seed)
    best: Partition | None = None
    for kk in ks:
        for r in range(restarts):
            if r % 2 == 0:
                labels = _bisect_init(w, xy, nb, kk, floor, ceiling, rng)
                if any(apart.get(i) and any(labels[j] == labels[i] for j in apart[i]) for i in range(n)):
                    labels = _grow(w, xy, nb, kk, apart, rng, ceiling)
            else:
                labels = _grow(w, xy, nb, kk, apart, rng, ceiling)
            if min(labels) < 0 or _apart_broken(labels, apart):
                continue
            kk_eff = max(labels) + 1
            st = _State(w, xy, nb, labels, kk_eff, floor, ceiling, apart)
            _repair(st, mu)
            _anneal(st, rng, iters_per_node * n, t0=0.02 * floor, mu=mu)
            _polish(st)
            part = st.partition()
            if best is None or part.key() < best.key():
                best = part
            if best.n_outside == 0:
                break
        if best is not None and best.n_outside == 0:
            break
    if best is None:  # apart constraints left nodes unplaced: fall back to one group each
        best = _singletons(w, floor, ceiling)
    if best.n_outside and proof is None and n <= exhaustive_max_nodes and k is None:
        found, complete = exhaustive_partition(w, nb, floor, ceiling, apart, budget=exhaustive_budget)
        if found is not None:
            st = _State(w, xy, nb, _labels_of(found, n), len(found), floor, ceiling, apart)
            _polish(st)
            best = st.partition()
        elif complete:
            best.proof = "exhaustive"
        else:
            best.complete = False
    elif proof:
        best.proof = proof
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


def _solve_contracted(w, xy, nb, floor, ceiling, rep, **kw) -> Partition:
    """Solve on the graph with pendant parts merged, then expand back to the original nodes."""
    reps = sorted(set(rep))
    idx = {r: i for i, r in enumerate(reps)}
    members: list[list[int]] = [[] for _ in reps]
    for i, r in enumerate(rep):
        members[idx[r]].append(i)
    cw = [sum(w[i] for i in m) for m in members]
    cxy = np.array([np.average(xy[m], axis=0, weights=np.asarray([w[i] for i in m]) + 1e-9) for m in members])
    cnb = [{idx[rep[v]] for i in m for v in nb[i]} - {j} for j, m in enumerate(members)]
    apart = kw.pop("apart")
    capart: dict[int, set[int]] = {}
    for i, vs in apart.items():
        capart.setdefault(idx[rep[i]], set()).update(idx[rep[v]] for v in vs)
    if any(x > ceiling for x in cw):
        # a merged part above the ceiling: no in-bounds partition exists (proof by pendant parts)
        big = [j for j, x in enumerate(cw) if x > ceiling]
        rest = [j for j in range(len(cw)) if j not in big]
        groups = [members[j] for j in big]
        proofs: list[str | None] = ["pendant"] * len(big)
        for comp in graph.components(rest, cnb):
            cl = sorted(comp)
            loc = {j: t for t, j in enumerate(cl)}
            sub = solve_component([cw[j] for j in cl], cxy[cl], [{loc[v] for v in cnb[j] if v in loc} for j in cl],
                                  floor, ceiling, apart={loc[a]: {loc[b] for b in bs if b in loc}
                                                         for a, bs in capart.items() if a in loc}, **kw)
            groups += [[i for t in g for i in members[cl[t]]] for g in sub.groups]
            proofs += [sub.proof_of(t) for t in range(len(sub.groups))]
        viols = [violation(sum(w[i] for i in g), floor, ceiling) for g in groups]
        return Partition(groups, float(sum(viols)), int(sum(v > 0 for v in viols)), _sse(groups, w, xy),
                         proof="pendant", group_proof=proofs, pendant_parts=[members[j] for j in big])
    part = solve_component(cw, cxy, cnb, floor, ceiling, apart=capart, **kw)
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
    """True if any keep-apart pair shares a label."""
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
    apart = apart or {}
    nbm = [sum(1 << u for u in nb[i]) for i in range(n)]
    apm = [sum(1 << u for u in apart.get(i, ())) for i in range(n)]
    memo: dict[int, list[int] | None] = {}
    counter = [0]

    class Budget(Exception):
        pass

    def subsets(v, mask):
        """Connected subsets of mask containing v (v lowest), weight ≤ ceiling (ESU enumeration)."""
        def ext_rec(s, s_w, ext, seen, conflict):
            counter[0] += 1
            if counter[0] > budget:
                raise Budget
            yield s, s_w
            while ext:
                low = ext & -ext
                ext ^= low
                u = low.bit_length() - 1
                nw = s_w + w[u]
                if nw > ceiling or (conflict >> u) & 1:
                    continue
                new = nbm[u] & mask & ~seen
                yield from ext_rec(s | low, nw, ext | new, seen | nbm[u] | low, conflict | apm[u])

        vb = 1 << v
        yield from ext_rec(vb, w[v], nbm[v] & mask, (nbm[v] & mask) | vb, apm[v])

    def parts_can_fit(mask):
        """Each connected part of mask must hold a whole number of in-bounds groups."""
        left = mask
        while left:
            low = left & -left
            comp, frontier = low, low
            while frontier:
                nxt = 0
                f = frontier
                while f:
                    b = f & -f
                    f ^= b
                    nxt |= nbm[b.bit_length() - 1]
                nxt &= mask & ~comp
                comp |= nxt
                frontier = nxt
            left &= ~comp
            tot = 0.0
            c = comp
            while c:
                b = c & -c
                c ^= b
                tot += w[b.bit_length() - 1]
            if not feasible_group_counts(tot, floor, ceiling):
                return False
        return True

    def solve(mask):
        if mask == 0:
            return []
        if mask in memo:
            return memo[mask]
        memo[mask] = None
        v = (mask & -mask).bit_length() - 1
        for s, s_w in subsets(v, mask):
            if s_w < floor or not parts_can_fit(mask & ~s):
                continue
            rest = solve(mask & ~s)
            if rest is not None:
                memo[mask] = [s, *rest]
                return memo[mask]
        return None

    if sum(w) < floor or any(x > ceiling for x in w):
        return None, True
    try:
        masks = solve((1 << n) - 1)
    except Budget:
        return None, False
    if masks is None:
        return None, True
    return [[i for i in range(n) if (m >> i) & 1] for m in masks], True
