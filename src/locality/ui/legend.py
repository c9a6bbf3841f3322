"""Map legends drawn beside a folium map."""

from __future__ import annotations

import html

import streamlit as st

from locality.outputs.maps import Legend

#: Above this many entries a legend scrolls in a box instead of running down the page.
SCROLL_AFTER = 14


def legend_html(legend: Legend, max_height_px: int = 360) -> str:
    """Return one legend as HTML: every entry, a coloured dot and its label (escaped), scrolling when long."""
    rows = "<br>".join(
        f"<span style='display:inline-block;width:12px;height:12px;border-radius:6px;background:{html.escape(col)};"
        f"border:1px solid #555;margin-right:6px;vertical-align:-1px'></span>{html.escape(label)}"
        for label, col in legend.items)
    if len(legend.items) <= SCROLL_AFTER:
        return f"<div class='lp-legend'>{rows}</div>"
    return (f"<div class='lp-legend' role='list' tabindex='0' aria-label='{html.escape(legend.title)}' "
            f"style='max-height:{max_height_px}px;overflow-y:auto;border:1px solid #d8dde0;padding:4px 6px;"
            f"border-radius:4px;font-size:0.88rem;line-height:1.5'>{rows}</div>")


def show_legends(legends: list[Legend], note: str | None = None, max_height_px: int = 360) -> None:
    """Draw each legend as coloured dots with labels: every entry, in a scrolling box when there are many."""
    for lg in legends:
        many = f" ({len(lg.items)}{'; each is named on the map, more as you zoom in' if lg.labelled else ''})" \
            if len(lg.items) > SCROLL_AFTER else ""
        st.markdown(f"**{html.escape(lg.title)}**{many}")
        st.markdown(legend_html(lg, max_height_px), unsafe_allow_html=True)
    if note:
        st.caption(note)
