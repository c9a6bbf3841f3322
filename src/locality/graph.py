"""Small graph helpers on neighbour sets (a list or dict mapping each node to its neighbours)."""

from __future__ import annotations


def components(nodes, neighbours) -> list[set]:
    """Connected components of the subgraph induced by ``nodes``."""
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
    """True if ``nodes`` induce a connected subgraph (an empty set counts as connected)."""
    return len(components(nodes, neighbours)) <= 1
