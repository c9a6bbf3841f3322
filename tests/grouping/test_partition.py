"""The partition search and its proofs, checked against brute force on small graphs."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from locality.grouping import partition


def _set_partitions(items):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _set_partitions(rest):
        for i in range(len(part)):
            yield [*part[:i], [first, *part[i]], *part[i + 1:]]
        yield [[first], *part]


def _connected(nodes, nb):
    nodes = set(nodes)
    start = next(iter(nodes))
    seen, stack = {start}, [start]
    while stack:
        v = stack.pop()
        for u in nb[v]:
            if u in nodes and u not in seen:
                seen.add(u)
                stack.append(u)
    return seen == nodes


def _brute_force_feasible(w, nb, floor, ceiling, apart=None):
    apart = apart or {}
    for part in _set_partitions(list(range(len(w)))):
        if all(floor <= sum(w[i] for i in g) <= ceiling and _connected(g, nb)
               and not any(apart.get(i, set()) & set(g) for i in g) for g in part):
            return True
    return False


def _random_graph(n, rng):
    pts = [(rng.random(), rng.random()) for _ in range(n)]
    nb = [set() for _ in range(n)]
    order = list(range(n))
    for i in order[1:]:  # a random tree keeps it connected
        j = rng.randrange(i)
        nb[i].add(j)
        nb[j].add(i)
    for _ in range(n // 2):
        a, b = rng.sample(range(n), 2)
        nb[a].add(b)
        nb[b].add(a)
    return pts, nb


@pytest.mark.parametrize("seed", range(40))
def test_exhaustive_agrees_with_brute_force(seed):
    rng = random.Random(seed)
    n = rng.randint(3, 8)
    _pts, nb = _random_graph(n, rng)
    w = [rng.choice([4, 6, 9, 12, 15, 22]) * 1000.0 for _ in range(n)]
    floor, ceiling = 20_000.0, 30_000.0
    apart = {}
    if seed % 3 == 0:
        a, b = rng.sample(range(n), 2)
        apart = {a: {b}, b: {a}}
    found, complete = partition.exhaustive_partition(w, nb, floor, ceiling, apart)
    assert complete
    assert (found is not None) == _brute_force_feasible(w, nb, floor, ceiling, apart)
    if found is not None:
        assert sorted(i for g in found for i in g) == list(range(n))
        for g in found:
            assert floor <= sum(w[i] for i in g) <= ceiling and _connected(g, nb)


@pytest.mark.parametrize("seed", range(25))
def test_solver_finds_an_in_bounds_partition_whenever_one_exists(seed):
    rng = random.Random(100 + seed)
    n = rng.randint(4, 9)
    pts, nb = _random_graph(n, rng)
    w = [rng.choice([5, 8, 10, 14, 18]) * 1000.0 for _ in range(n)]
    floor, ceiling = 18_000.0, 30_000.0
    part = partition.solve_component(partition.Component(w, np.array(pts) * 10_000, nb, floor, ceiling), seed=seed)
    feasible = _brute_force_feasible(w, nb, floor, ceiling)
    assert (part.n_outside == 0) == feasible
    if not feasible:
        assert part.proof in {"exhaustive", "arithmetic", "pendant"}
    assert sorted(i for g in part.groups for i in g) == list(range(n))
    assert all(_connected(g, nb) for g in part.groups)


def test_pendant_merge_keeps_a_leaf_with_its_only_neighbour():
    # path 0-1-2-3: node 3 (5k) can only reach the rest through node 2
    w = [30_000.0, 30_000.0, 40_000.0, 5_000.0]
    nb = [{1}, {0, 2}, {1, 3}, {2}]
    rep = partition.pendant_merges(w, nb, floor=30_000)
    assert rep[3] == rep[2] and rep[0] != rep[2]
    part = partition.solve_component(partition.Component(w, np.zeros((4, 2)) + np.arange(4)[:, None], nb, 30_000, 50_000))
    assert part.n_outside == 0  # {2, 3} = 45k, {0}, {1}
    part = partition.solve_component(partition.Component(w, np.zeros((4, 2)) + np.arange(4)[:, None], nb, 30_000, 42_000))
    assert part.n_outside >= 1 and part.proof == "pendant"


def test_arithmetic_proof():
    # 55k cannot be split into groups of 30–50k: one group is too big, two are too small
    w = [20_000.0, 15_000.0, 20_000.0]
    nb = [{1}, {0, 2}, {1}]
    part = partition.solve_component(partition.Component(w, np.arange(6).reshape(3, 2) * 1.0, nb, 30_000, 50_000))
    assert part.proof == "arithmetic" and part.n_outside == 1


def test_feasible_group_counts():
    assert list(partition.feasible_group_counts(100_000, 30_000, 50_000)) == [2, 3]
    assert list(partition.feasible_group_counts(55_000, 30_000, 50_000)) == []


def test_same_seed_same_partition():
    rng = random.Random(7)
    pts, nb = _random_graph(40, rng)
    w = [rng.choice([5, 8, 10, 14]) * 1000.0 for _ in range(40)]
    a = partition.solve_component(partition.Component(w, np.array(pts) * 1e4, nb, 30_000, 50_000), seed=3)
    b = partition.solve_component(partition.Component(w, np.array(pts) * 1e4, nb, 30_000, 50_000), seed=3)
    assert a.groups == b.groups


def test_set_partition_helper_counts_bell_numbers():
    assert [sum(1 for _ in _set_partitions(list(range(n)))) for n in range(1, 6)] == [1, 2, 5, 15, 52]
    assert list(itertools.islice(_set_partitions([0]), 2)) == [[[0]]]


def test_keep_apart_holds_for_leftovers():
    # path 0-1-2-3; 0 and 3 must be apart: {0,1} and {2,3} is the only in-bounds answer
    w = [10.0, 10.0, 10.0, 10.0]
    nb = [{1}, {0, 2}, {1, 3}, {2}]
    part = partition.solve_component(partition.Component(w, np.arange(8).reshape(4, 2) * 1.0, nb, 15, 40, {0: {3}, 3: {0}}))
    assert sorted(sorted(g) for g in part.groups) == [[0, 1], [2, 3]] and part.n_outside == 0
