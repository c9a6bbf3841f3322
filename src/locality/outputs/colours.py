"""Colours for groups on a map: neighbours always differ, on screen and in print alike."""

from __future__ import annotations

import numpy as np
import shapely

#: A qualitative palette (Tableau 20, reordered so neighbours differ) for PCNs and groups.
CATEGORY_COLOURS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#7f7f7f", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94",
    "#f7b6d2", "#9edae5", "#dbdb8d", "#393b79",
]


def neighbour_colours(geoms, palette: list[str] = CATEGORY_COLOURS, touch_m: float = 50.0) -> list[str]:
    """Choose a colour for each polygon such that polygons within ``touch_m`` of each other differ.

    Greedy, in the given order: each polygon takes the least-used colour that none of its
    already-coloured neighbours has (so no colour repeats until all have been used). The same
    polygons in the same order always get the same colours, which keeps the app's maps and the
    board pack's maps alike.

    Parameters
    ----------
    geoms : sequence of shapely geometries
        In a metric CRS (British National Grid).
    palette : list of str
    touch_m : float
        Distance (metres) under which two polygons count as neighbours.

    Returns
    -------
    list of str
        One hex colour per polygon.
    """
    arr = np.asarray(list(geoms), dtype=object)
    if not len(arr):
        return []
    pairs = shapely.STRtree(arr).query(arr, predicate="dwithin", distance=touch_m)
    neighbours: dict[int, set[int]] = {i: set() for i in range(len(arr))}
    for a, b in zip(*pairs, strict=True):
        if a != b:
            neighbours[int(a)].add(int(b))
    used = [0] * len(palette)
    out: list[int] = []
    for i in range(len(arr)):
        taken = {out[j] for j in neighbours[i] if j < i}
        free = [c for c in range(len(palette)) if c not in taken] or list(range(len(palette)))
        choice = min(free, key=lambda c: (used[c], c))
        used[choice] += 1
        out.append(choice)
    return [palette[c] for c in out]
