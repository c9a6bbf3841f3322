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
    """Turn index pairs into a list of neighbour sets."""
    nb: list[set[int]] = [set() for _ in range(n)]
    for a, b in zip(pairs_a.tolist(), pairs_b.tolist(), strict=True):
        nb[a].add(b)
        nb[b].add(a)
    return nb


def build_territory(lsoa_xy: np.ndarray, lsoa_neighbours: list[set[int]], site_xy: np.ndarray,
                    site_unit: np.ndarray, site_lsoa: np.ndarray, n_units: int) -> Territory:
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
    """
    n = len(lsoa_xy)
    d2 = ((lsoa_xy[:, None, :] - site_xy[None, :, :]) ** 2).sum(axis=2)
    owner = site_unit[np.argmin(d2, axis=1)].astype(np.int64)
    # anchor: the LSOA a unit's (first) site sits in, else the LSOA nearest to it
    anchor = np.full(n_units, -1, dtype=np.int64)
    nearest_lsoa = np.argmin(d2, axis=0)
    for s in range(len(site_xy)):
        u = site_unit[s]
        if anchor[u] < 0:
            anchor[u] = site_lsoa[s] if site_lsoa[s] >= 0 else nearest_lsoa[s]
    # a site's own LSOA belongs to its unit when the nearest-centroid rule left that unit empty
    for u in range(n_units):
        if not np.any(owner == u) and anchor[u] >= 0:
            a = anchor[u]
            if np.sum(owner == owner[a]) > 1:
                owner[a] = u
    # exclaves: keep each unit's component holding its anchor (or its largest), hand the rest on
    for _ in range(10):
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
                if comp is keep:
                    continue
                votes: dict[int, int] = defaultdict(int)
                for i in comp:
                    for j in lsoa_neighbours[i]:
                        if owner[j] != u:
                            votes[int(owner[j])] += 1
                if votes:
                    new = max(sorted(votes), key=lambda k: votes[k])
                    owner[list(comp)] = new
                    changed = True
        if not changed:
            break
    unit_nb: list[set[int]] = [set() for _ in range(n_units)]
    for i in range(n):
        for j in lsoa_neighbours[i]:
            a, b = owner[i], owner[j]
            if a != b:
                unit_nb[a].add(int(b))
                unit_nb[b].add(int(a))
    # units with an empty catchment touch the owner of their anchor LSOA and its neighbours
    for u in range(n_units):
        if not np.any(owner == u) and anchor[u] >= 0:
            a = int(anchor[u])
            for w in {int(owner[a])} | {int(owner[j]) for j in lsoa_neighbours[a]}:
                if w != u:
                    unit_nb[u].add(w)
                    unit_nb[w].add(u)
    return Territory(owner=owner, lsoa_neighbours=lsoa_neighbours, unit_neighbours=unit_nb, anchor=anchor)
