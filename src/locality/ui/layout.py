"""App-wide styles that keep every figure readable on a laptop screen (1366×768)."""

from __future__ import annotations

import streamlit as st

#: Streamlit cuts a metric's label to one line with "…" ("Neighbourhoods (LSO…" at 1366 px); let it wrap.
FIGURE_CSS = """<style>
[data-testid="stMetricLabel"] .stMarkdownEllipsis, [data-testid="stMetricLabel"] p {
  white-space: normal; overflow: visible; text-overflow: clip; }
[data-testid="stMetricValue"] > div { overflow: visible; text-overflow: clip; }
</style>"""


def readable_figures() -> None:
    """Let every metric's label and value show in full on a narrow screen (a style only: takes no space)."""
    st.html(FIGURE_CSS)
