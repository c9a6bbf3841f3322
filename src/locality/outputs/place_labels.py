"""Place names on the plain map background, and map shapes kept out of the keyboard's Tab order.

Maps are drawn without tiles (offline), so without labels nothing on them says where they are.
Town labels sit at the centre of each post town's practices (post towns from the ODS addresses,
:mod:`locality.places`); local-authority labels at the centre of each authority's practices.
Labels are plain text (not interactive, not focusable), escaped.
"""

from __future__ import annotations

import html

import folium
import pandas as pd

from locality.places import town_centres

#: Most town labels drawn on one map (the towns with the most practices first).
MAX_TOWN_LABELS = 40

_TOWN_STYLE = ("font: 600 12px/1.1 system-ui, sans-serif; color: #333; white-space: nowrap; "
               "text-shadow: 0 0 3px #fff, 0 0 3px #fff; pointer-events: none; display: inline-block; "
               "transform: translate(-50%, -50%);")
_LAD_STYLE = ("font: 700 13px/1.1 system-ui, sans-serif; color: #6b5b95; letter-spacing: .06em; "
              "text-transform: uppercase; white-space: nowrap; text-shadow: 0 0 3px #fff, 0 0 3px #fff; "
              "pointer-events: none; opacity: .85; display: inline-block; transform: translate(-50%, -160%);")

#: A script that takes every map shape out of the Tab order (a keyboard user reaches the page, not 300 circles).
UNTAB_SCRIPT = """
<script>
(function () {
  function untab(root) {
    root.querySelectorAll('.leaflet-interactive, .leaflet-marker-icon').forEach(function (el) {
      el.setAttribute('tabindex', '-1');
    });
  }
  function watch() {
    untab(document);
    new MutationObserver(function () { untab(document); })
      .observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', watch); } else { watch(); }
})();
</script>
"""


def _label(m: folium.Map, lat: float, lon: float, text: str, style: str, kind: str) -> None:
    folium.Marker([lat, lon], icon=folium.DivIcon(html=f'<div class="lp-{kind}-label" style="{style}">'
                                                       f'{html.escape(text)}</div>', icon_size=(0, 0)),
                  interactive=False, keyboard=False).add_to(m)


def add_place_labels(m: folium.Map, practices: pd.DataFrame, lad_names: dict[str, str] | None = None) -> int:
    """Label the map with post towns (and local authorities) at the centre of their practices.

    Parameters
    ----------
    m : folium.Map
    practices : DataFrame
        ``practice_code, lat, lon``, the address lines and (for authority labels) ``lad_code``.
    lad_names : dict, optional
        Local-authority code → name; given, each authority is labelled too.

    Returns
    -------
    int
        The number of labels drawn.
    """
    from locality.outputs.group_labels import declutter_labels
    declutter_labels(m)  # towns and councils never overlap each other (or a group's name)
    n = 0
    if lad_names and "lad_code" in practices:
        at = practices.dropna(subset=["lat", "lon"]).groupby("lad_code")[["lat", "lon"]].mean()
        for code, row in at.iterrows():
            if code in lad_names:
                _label(m, row["lat"], row["lon"], lad_names[code], _LAD_STYLE, "lad")
                n += 1
    for t in town_centres(practices).head(MAX_TOWN_LABELS).itertuples():
        _label(m, t.lat, t.lon, t.town, _TOWN_STYLE, "town")
        n += 1
    return n


def untab_shapes(m: folium.Map) -> None:
    """Take the map's shapes out of the Tab order (added once per map)."""
    m.get_root().html.add_child(folium.Element(UNTAB_SCRIPT))
