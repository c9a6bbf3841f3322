"""Mark a repair's moved practices on a grouping map (today's PCNs or the proposal)."""

from __future__ import annotations

import folium
import pandas as pd

from locality.outputs.maps import Legend, marker_radius
from locality.outputs.safe_text import html_text

#: The ring drawn round a practice that changes PCN.
MOVED_COLOUR = "#d7301f"


def mark_moved(m: folium.Map, moves: pd.DataFrame, practices: pd.DataFrame) -> Legend:
    """Draw a ring round each practice that moves, with where it moves from and to.

    Parameters
    ----------
    m : folium.Map
    moves : DataFrame
        A repair's moves (:attr:`locality.grouping.repair.RepairOutcome.moves`).
    practices : DataFrame
        The area's practices with ``practice_code, practice_name, lat, lon``.

    Returns
    -------
    Legend
    """
    moved = moves[moves["kind"] == "move"].merge(practices[["practice_code", "lat", "lon"]], on="practice_code")
    layer = folium.FeatureGroup(name="Practices that move")
    for r in moved.dropna(subset=["lat", "lon"]).itertuples(index=False):
        to = r.to_pcn_name or f"new group {r.to_group}"
        tip = f"MOVES · {r.practice_code} {r.practice_name}: {r.from_pcn_name} → {to}"
        folium.CircleMarker(location=[r.lat, r.lon], radius=marker_radius(r.patients) + 4, weight=3,
                            color=MOVED_COLOUR, fill=False, tooltip=html_text(tip)).add_to(layer)
    layer.add_to(m)
    return Legend("Marked", [(f"practice that moves (ring): {len(moved)}", MOVED_COLOUR)])
