"""Map legends drawn beside a folium map."""

from __future__ import annotations

import html

import streamlit as st

from locality.outputs.maps import Legend


def show_legends(legends: list[Legend], max_items: int = 24, note: str | None = None) -> None:
    """Draw each legend as coloured dots with labels."""
    for lg in legends:
        st.markdown(f"**{html.escape(lg.title)}**")
        items = lg.items[:max_items]
        st.markdown("<br>".join(
            f"<span style='display:inline-block;width:12px;height:12px;border-radius:6px;background:{col};"
            f"border:1px solid #555;margin-right:6px'></span>{html.escape(label)}" for label, col in items
        ), unsafe_allow_html=True)
        if len(lg.items) > len(items):
            st.caption(f"… and {len(lg.items) - len(items)} more")
    if note:
        st.caption(note)
