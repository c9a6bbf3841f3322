"""Small graph helpers on neighbour sets (a list or dict mapping each node to its neighbours)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any


def components(nodes, neighbours) -> list[set]:
    """Return the connected components of the subgraph induced by ``nodes``."""
    left = set(nodes)
    out = []
    while left:
        start = left.pop()
        comp = {start}
        stack = [start]
        while stack:
            v = stack.pop()
            for w in neighbours[v]:
                if w in left:
                    left.discard(w)
                    comp.add(w)
                    stack.append(w)
        out.append(comp)
    return out


def connected(nodes, neighbours) -> bool:
    """Return True if ``nodes`` induce a connected subgraph (an empty set counts as connected)."""
    return len(components(nodes, neighbours)) <= 1


class UnionFind:
    """Disjoint sets over a fixed collection of orderable items (path halving, smallest root wins).

    Each set is named by its *root*, and the root of a merged set is the smaller of the
    two roots, so after any sequence of unions every set's root is its smallest item.

    Parameters
    ----------
    items : iterable of hashable, orderable items
        The items, each starting in a set of its own (for example ``range(n)``).

    Examples
    --------
    >>> uf = UnionFind(range(4))
    >>> uf.union(3, 1), uf.union(1, 3)
    (True, False)
    >>> [uf.find(i) for i in range(4)]
    [0, 1, 2, 1]
    """

    def __init__(self, items: Iterable[Hashable]):
        self._parent: dict[Any, Any] = {x: x for x in items}

    def find(self, a: Hashable) -> Any:
        """Return the root of ``a``'s set (halving the path on the way)."""
        parent = self._parent
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(self, a: Hashable, b: Hashable) -> bool:
        """Merge the sets of ``a`` and ``b``; return False if they were already one set."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        lo, hi = (ra, rb) if ra < rb else (rb, ra)
        self._parent[hi] = lo
        return True

    def roots(self) -> list[Any]:
        """Return the root of every item, in the order the items were given."""
        return [self.find(x) for x in list(self._parent)]
