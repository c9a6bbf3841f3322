"""Catchments built from whole LSOAs, and the adjacency graph between practice units.

A *unit* is what the grouping engine moves around: one site (co-located practices always
stay together), or several sites merged by a lock. Each unit's catchment is the set of the
area's LSOAs nearest (by centroid) to one of its sites, with exclaves handed to a
neighbour so that every catchment is one connected piece. Two units are adjacent when
their catchments share an LSOA boundary.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from locality import graph
from locality.geography import nearest_in, squared_distances


@dataclass
class Territory:
    """LSOA catchments for a set of units.

    Attributes
    ----------
    owner : ndarray of int
        For each LSOA, the index of the unit whose catchment holds it.
    lsoa_neighbours : list of set of int
        Rook adjacency between the area's LSOAs (indices).
    unit_neighbours : list of set of int
        Adjacency between units.
    anchor : ndarray of int
        For each unit, the LSOA its main site sits in (or the nearest one).
    """

    owner: np.ndarray
    lsoa_neighbours: list[set[int]]
    unit_neighbours: list[set[int]]
    anchor: np.ndarray

    def lsoas_of(self, units) -> np.ndarray:
        """Return the LSOA indices in the catchments of ``units``."""
        return np.flatnonzero(np.isin(self.owner, np.fromiter(units, dtype=np.int64)))

    def is_connected(self, units) -> bool:
        """Return True if the catchments of ``units`` form one connected territory.

        Units with an empty catchment count as connected when their anchor LSOA lies
        in, or next to, the territory.
        """
        units = set(units)
        lsoas = set(self.lsoas_of(units).tolist())
        if lsoas and not graph.connected(lsoas, self.lsoa_neighbours):
            return False
        for u in units:
            if not np.any(self.owner == u):
                a = int(self.anchor[u])
                if lsoas and a not in lsoas and not (self.lsoa_neighbours[a] & lsoas):
                    return False
        return True


def lsoa_neighbour_sets(n: int, pairs_a: np.ndarray, pairs_b: np.ndarray) -> list[set[int]]:
    """Return the neighbour sets of ``n`` nodes from index pairs (either order)."""
    nb: list[set[int]] = [set() for _ in range(n)]
    for a, b in zip(pairs_a.tolist(), pairs_b.tolist(), strict=True):
        nb[a].add(b)
        nb[b].add(a)
    return nb


def build_territory(lsoa_xy: np.ndarray, lsoa_neighbours: list[set[int]], site_xy: np.ndarray,
                    site_unit: np.ndarray, site_lsoa: np.ndarray, n_units: int,
                    registered: np.ndarray | None = None) -> Territory:
    """Assign each LSOA to the unit of its nearest site, then make every catchment connected.

    Parameters
    ----------
    lsoa_xy : (n_lsoa, 2) array
        LSOA centroids (BNG metres).
    lsoa_neighbours : list of set
        LSOA adjacency (indices).
    site_xy : (n_sites, 2) array
        Site locations (BNG metres). Sites without a location must be dropped before.
    site_unit : (n_sites,) int array
        The unit each site belongs to.
    site_lsoa : (n_sites,) int array
        The index of the LSOA each site sits in, or -1 if outside the area.
    n_units : int
        Number of units.
    registered : (n_lsoa, n_units) array, optional
        The units' registered patients living in each LSOA (NHS England's LSOA file). Where given,
        an LSOA any of them lives in goes to the unit holding most of its patients (ties: nearest
        site); the others stay with their nearest site.

    Returns
    -------
    Territory
        A unit whose nearest-centroid catchment is empty takes its own site's LSOA when
        that leaves the LSOA's owner another one. A piece of a catchment cut off from the
        piece holding its anchor (or, without one, from its largest piece) goes to the
        neighbouring unit it shares most LSOA boundaries with, so every catchment is one
        piece (up to 10 rounds; an isolated LSOA with no neighbour stays where it is).
    """
    d2 = squared_distances(lsoa_xy, site_xy)
    owner = site_unit[nearest_in(d2)].astype(np.int64)
    if registered is not None:
        owner = most_registered(registered, owner)
    anchor = _anchors(d2, site_unit, site_lsoa, n_units)
    _claim_site_lsoas(owner, anchor)
    _hand_on_exclaves(owner, anchor, lsoa_neighbours)
    unit_nb = _unit_adjacency(owner, anchor, lsoa_neighbours, n_units)
    return Territory(owner=owner, lsoa_neighbours=lsoa_neighbours, unit_neighbours=unit_nb, anchor=anchor)


def most_registered(registered: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """Return, per row (LSOA), the column (unit or group) holding most patients; ``fallback`` where none.

    A tie keeps ``fallback`` when it is among the largest, else the lowest column.
    """
    best = registered.max(axis=1)
    owner = np.argmax(registered, axis=1).astype(np.int64)
    keep = (best <= 0) | (registered[np.arange(len(fallback)), fallback] >= best)
    return np.where(keep, fallback, owner).astype(np.int64)


def hand_on_exclaves(owner: np.ndarray, anchor: np.ndarray, lsoa_neighbours: list[set[int]]) -> None:
    """Keep each owner's piece holding its anchor (or its largest), hand the other pieces on (in place)."""
    _hand_on_exclaves(owner, anchor, lsoa_neighbours)


def _anchors(d2: np.ndarray, site_unit: np.ndarray, site_lsoa: np.ndarray, n_units: int) -> np.ndarray:
    """Return each unit's anchor: the LSOA its first site sits in, else the LSOA nearest that site (-1: no site)."""
    anchor = np.full(n_units, -1, dtype=np.int64)
    nearest_lsoa = np.argmin(d2, axis=0)
    for s in range(d2.shape[1]):
        u = site_unit[s]
        if anchor[u] < 0:
            anchor[u] = site_lsoa[s] if site_lsoa[s] >= 0 else nearest_lsoa[s]
    return anchor


def _claim_site_lsoas(owner: np.ndarray, anchor: np.ndarray) -> None:
    """Give a unit left with no LSOA its anchor LSOA, unless that would empty the LSOA's owner (in place)."""
    for u in range(len(anchor)):
        if not np.any(owner == u) and anchor[u] >= 0:
            a = anchor[u]
            if np.sum(owner == owner[a]) > 1:
                owner[a] = u


def _hand_on_exclaves(owner: np.ndarray, anchor: np.ndarray, lsoa_neighbours: list[set[int]],
                      rounds: int = 10) -> None:
    """Keep each unit's piece holding its anchor (or its largest), hand the other pieces on (in place)."""
    for _ in range(rounds):
        changed = False
        members: dict[int, set[int]] = defaultdict(set)
        for i, u in enumerate(owner.tolist()):
            members[u].add(i)
        for u, lsoas in members.items():
            comps = graph.components(lsoas, lsoa_neighbours)
            if len(comps) == 1:
                continue
            keep = next((c for c in comps if anchor[u] in c), max(comps, key=len))
            for comp in comps:
                if comp is not keep and _hand_on(comp, u, owner, lsoa_neighbours):
                    changed = True
        if not changed:
            break


def _hand_on(piece: set[int], u: int, owner: np.ndarray, lsoa_neighbours: list[set[int]]) -> bool:
    """Give a piece of unit ``u``'s catchment to the neighbour it shares most boundaries with (ties: lowest unit).

    Returns False (and leaves it) when the piece touches no other unit.
    """
    votes: dict[int, int] = defaultdict(int)
    for i in piece:
        for j in lsoa_neighbours[i]:
            if owner[j] != u:
                votes[int(owner[j])] += 1
    if not votes:
        return False
    owner[list(piece)] = max(sorted(votes), key=lambda k: votes[k])
    return True


def _unit_adjacency(owner: np.ndarray, anchor: np.ndarray, lsoa_neighbours: list[set[int]],
                    n_units: int) -> list[set[int]]:
    """Return the units whose catchments share an LSOA boundary.

    A unit with an empty catchment touches the owner of its anchor LSOA and of that LSOA's neighbours.
    """
    unit_nb: list[set[int]] = [set() for _ in range(n_units)]
    for i in range(len(owner)):
        for j in lsoa_neighbours[i]:
            a, b = owner[i], owner[j]
            if a != b:
                unit_nb[a].add(int(b))
                unit_nb[b].add(int(a))
    for u in range(n_units):
        if not np.any(owner == u) and anchor[u] >= 0:
            a = int(anchor[u])
            for w in {int(owner[a])} | {int(owner[j]) for j in lsoa_neighbours[a]}:
                if w != u:
                    unit_nb[u].add(w)
                    unit_nb[w].add(u)
    return unit_nb
