"""The small graph helpers the grouping engine uses: components, connectivity, union-find."""

from __future__ import annotations

import random

from locality import graph


def test_union_find_merges_and_names_each_set_by_its_smallest_item():
    uf = graph.UnionFind(range(6))
    assert uf.union(4, 2) and uf.union(2, 5) and uf.union(0, 3)
    assert not uf.union(5, 4)  # already one set
    assert uf.roots() == [0, 1, 2, 0, 2, 2]
    assert uf.find(5) == uf.find(4) == 2 and uf.find(1) == 1


def test_union_find_on_any_orderable_items():
    uf = graph.UnionFind(["c", "a", "b", "d"])
    uf.union("d", "b")
    uf.union("c", "d")
    assert uf.roots() == ["b", "a", "b", "b"]


def test_union_find_agrees_with_components():
    rng = random.Random(1)
    for _ in range(20):
        n = rng.randint(1, 30)
        edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(rng.randint(0, n))]
        nb: list[set[int]] = [set() for _ in range(n)]
        uf = graph.UnionFind(range(n))
        for a, b in edges:
            nb[a].add(b)
            nb[b].add(a)
            uf.union(a, b)
        by_root: dict[int, set[int]] = {}
        for i, r in enumerate(uf.roots()):
            by_root.setdefault(r, set()).add(i)
        assert sorted(map(sorted, by_root.values())) == sorted(map(sorted, graph.components(range(n), nb)))
        assert all(r == min(s) for r, s in by_root.items())


def test_components_and_connected():
    nb = {1: {2}, 2: {1, 3}, 3: {2}, 4: set()}
    assert sorted(map(sorted, graph.components(nb, nb))) == [[1, 2, 3], [4]]
    assert graph.connected([1, 3, 2], nb) and not graph.connected([1, 3], nb) and graph.connected([], nb)
