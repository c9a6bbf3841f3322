"""Territory: each LSOA to its nearest site, exclaves handed on so every catchment is one piece."""

from __future__ import annotations

import random

import numpy as np
import pytest

from locality import graph, store
from locality.grouping import GroupingOptions, GroupingProblem
from locality.grouping.territory import build_territory, lsoa_neighbour_sets


def _path(n: int) -> list[set[int]]:
    return lsoa_neighbour_sets(n, np.arange(n - 1), np.arange(1, n))


def _catchments(terr, n_units):
    return [set(np.flatnonzero(terr.owner == u).tolist()) for u in range(n_units)]


def test_nearest_site_takes_each_lsoa():
    # a strip 0-1-2-3; sites at either end
    xy = np.array([[0, 0], [10, 0], [20, 0], [30, 0]], dtype=float)
    terr = build_territory(xy, _path(4), np.array([[1.0, 0], [29.0, 0]]), np.array([0, 1]), np.array([0, 3]), 2)
    assert terr.owner.tolist() == [0, 0, 1, 1]
    assert terr.unit_neighbours == [{1}, {0}]
    assert terr.anchor.tolist() == [0, 3]
    assert terr.is_connected([0]) and terr.is_connected([1]) and terr.is_connected([0, 1])


def test_an_exclave_goes_to_the_neighbour_it_touches():
    # strip 0-1-2-3, but LSOA 3's centroid lies next to site A (unit 0): nearest-site would
    # leave unit 0's catchment in two pieces ({0, 1} and {3}); LSOA 3 touches only unit 1's LSOA 2
    xy = np.array([[0, 0], [9, 0], [20, 0], [1, 0]], dtype=float)
    sites = np.array([[0.0, 0], [20.0, 0]])
    nearest = np.argmin(((xy[:, None] - sites[None]) ** 2).sum(axis=2), axis=1)
    assert nearest.tolist() == [0, 0, 1, 0]  # the raw rule makes an exclave
    terr = build_territory(xy, _path(4), sites, np.array([0, 1]), np.array([0, 2]), 2)
    assert terr.owner.tolist() == [0, 0, 1, 1]
    assert all(graph.connected(c, terr.lsoa_neighbours) for c in _catchments(terr, 2))


def test_the_piece_holding_the_anchor_is_kept_and_votes_decide_the_rest():
    # a 3x3 grid; unit 0's site sits in the middle of the top row, unit 1 at the bottom left,
    # unit 2 at the bottom right. LSOA 8 (bottom right corner) is placed next to unit 0's site:
    # it is cut off from unit 0's piece, and borders unit 1's LSOA 7 and unit 2's LSOA 5 (one
    # boundary each: a tie, which goes to the lower unit).
    #   0 1 2
    #   3 4 5
    #   6 7 8
    nb = lsoa_neighbour_sets(9, np.array([0, 1, 3, 4, 6, 7, 0, 1, 2, 3, 4, 5]),
                             np.array([1, 2, 4, 5, 7, 8, 3, 4, 5, 6, 7, 8]))
    xy = np.array([[0, 20], [10, 20], [20, 20], [0, 10], [10, 10], [20, 10], [0, 0], [10, 0], [10, 19]],
                  dtype=float)
    sites = np.array([[10.0, 20], [0.0, 0], [20.0, 5]])
    terr = build_territory(xy, nb, sites, np.array([0, 1, 2]), np.array([1, 6, 5]), 3)
    assert terr.owner.tolist() == [0, 0, 0, 1, 0, 2, 1, 1, 1]
    assert all(graph.connected(c, nb) for c in _catchments(terr, 3))
    assert terr.is_connected([0]) and terr.is_connected([1]) and terr.is_connected([2])


def test_a_unit_left_without_lsoas_claims_the_one_its_site_is_in():
    # two sites in LSOA 0, the second slightly further from every centroid: nearest-site gives it
    # nothing, and unit 0 can spare LSOA 0 (it keeps LSOA 1)
    xy = np.array([[0, 0], [5, 0], [20, 0]], dtype=float)
    sites = np.array([[0.0, 0], [-0.5, 0], [20.0, 0]])
    terr = build_territory(xy, _path(3), sites, np.array([0, 1, 2]), np.array([0, 0, 2]), 3)
    assert terr.owner.tolist() == [1, 0, 2]
    assert terr.unit_neighbours == [{1, 2}, {0}, {0}]


def test_a_unit_that_cannot_claim_stays_empty_but_touches_its_anchor():
    # LSOA 0 is unit 0's only LSOA, so unit 1 (same LSOA) cannot take it: it stays without a
    # catchment, next to the owner of its anchor and that LSOA's neighbours
    xy = np.array([[0, 0], [20, 0], [30, 0]], dtype=float)
    sites = np.array([[0.0, 0], [0.5, 0], [30.0, 0]])
    terr = build_territory(xy, _path(3), sites, np.array([0, 1, 2]), np.array([0, 0, 2]), 3)
    assert terr.owner.tolist() == [0, 2, 2]
    assert terr.unit_neighbours[1] == {0, 2}
    assert terr.lsoas_of([1]).tolist() == []
    assert terr.is_connected([1]) and terr.is_connected([0, 1])
    assert terr.is_connected([1, 2])  # its anchor LSOA 0 borders unit 2's LSOA 1


def test_an_isolated_lsoa_stays_with_its_nearest_site():
    # LSOA 3 has no neighbour at all (an island): nobody to hand it to, so unit 1 keeps it,
    # and its catchment is honestly reported as in two pieces
    xy = np.array([[0, 0], [10, 0], [20, 0], [40, 0]], dtype=float)
    nb = [*_path(3), set()]
    terr = build_territory(xy, nb, np.array([[0.0, 0], [20.0, 0]]), np.array([0, 1]), np.array([0, 2]), 2)
    assert terr.owner.tolist() == [0, 0, 1, 1]
    assert not terr.is_connected([1])
    assert terr.is_connected([0])


def test_an_isolated_lsoa_alone_with_its_site_is_one_piece():
    xy = np.array([[0, 0], [10, 0], [50, 0]], dtype=float)
    nb = [*_path(2), set()]
    terr = build_territory(xy, nb, np.array([[0.0, 0], [50.0, 0]]), np.array([0, 1]), np.array([0, 2]), 2)
    assert terr.owner.tolist() == [0, 0, 1]
    assert terr.is_connected([1]) and terr.unit_neighbours == [set(), set()]


def _grid(rows, cols):
    a, b = [], []
    for r in range(rows):
        for c in range(cols):
            i = r * cols + c
            if c + 1 < cols:
                a.append(i)
                b.append(i + 1)
            if r + 1 < rows:
                a.append(i)
                b.append(i + cols)
    return lsoa_neighbour_sets(rows * cols, np.array(a), np.array(b))


def _random_case(seed):
    rng = random.Random(seed)
    rows, cols = rng.randint(3, 9), rng.randint(3, 9)
    n = rows * cols
    # centroids jittered far off their grid cells, so the nearest-site rule makes exclaves
    xy = np.array([[c * 10 + rng.uniform(-12, 12), r * 10 + rng.uniform(-12, 12)]
                   for r in range(rows) for c in range(cols)])
    n_sites = rng.randint(2, min(8, n))
    cells = rng.sample(range(n), n_sites)
    sites = xy[cells] + np.array([[rng.uniform(-3, 3), rng.uniform(-3, 3)] for _ in cells])
    units = np.array([rng.randrange(max(1, n_sites - 1)) for _ in cells])
    n_units = int(units.max()) + 1
    return xy, _grid(rows, cols), sites, units, np.array(cells), n_units


@pytest.mark.parametrize("seed", range(30))
def test_every_catchment_is_one_piece_on_a_connected_grid(seed):
    xy, nb, sites, units, cells, n_units = _random_case(seed)
    terr = build_territory(xy, nb, sites, units, cells, n_units)
    for u, catchment in enumerate(_catchments(terr, n_units)):
        assert graph.connected(catchment, nb), (seed, u)
        assert terr.is_connected([u])
    # adjacency between units is exactly "catchments share a boundary" (plus empty units' anchors)
    for u in range(n_units):
        for v in terr.unit_neighbours[u]:
            assert u in terr.unit_neighbours[v]


def test_same_inputs_same_territory():
    for seed in range(5):
        a = build_territory(*_random_case(seed))
        b = build_territory(*_random_case(seed))
        assert a.owner.tolist() == b.owner.tolist() and a.unit_neighbours == b.unit_neighbours
        assert a.anchor.tolist() == b.anchor.tolist()


def test_every_catchment_is_connected_on_a_real_slice(small_store):
    con = store.connect(small_store)
    try:
        p, lsoa, adj = store.grouping_inputs(con, store.area_type_of(con, "U2G6B"), "U2G6B")
    finally:
        con.close()
    ug = GroupingProblem(p, lsoa, adj, GroupingOptions(30_000, 50_000)).unit_graph()
    terr = ug.territory
    assert len(terr.owner) == len(lsoa) and set(terr.owner.tolist()) <= set(range(len(ug.weights)))
    # independent check on the store's adjacency, by code
    codes = lsoa["lsoa21_code"].to_numpy()
    nb: dict[str, set[str]] = {c: set() for c in codes}
    for a, b in zip(adj["a"], adj["b"], strict=True):
        nb[a].add(b)
        nb[b].add(a)
    for u in range(len(ug.weights)):
        catchment = set(codes[terr.owner == u].tolist())
        assert graph.connected(catchment, nb), u
        assert terr.is_connected([u])


def test_the_random_grids_do_make_exclaves():
    # the property test above is only worth something if the raw nearest-site rule breaks catchments
    broken = 0
    for seed in range(30):
        xy, nb, sites, units, _cells, n_units = _random_case(seed)
        owner = units[np.argmin(((xy[:, None] - sites[None]) ** 2).sum(axis=2), axis=1)]
        broken += any(not graph.connected(set(np.flatnonzero(owner == u).tolist()), nb) for u in range(n_units))
    assert broken >= 15
