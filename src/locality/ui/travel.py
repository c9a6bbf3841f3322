"""The Hubs & estates page's travel selector: straight line × circuity, drive, walk or an uploaded matrix."""

from __future__ import annotations

import streamlit as st

from locality.ui.keep import kept

#: The choices, as the page words them.
CHOICES = {"straight": "Straight line × circuity", "drive": "Drive (road network)", "walk": "Walk (road network)",
           "matrix": "Uploaded matrix"}


def travel_input(prefix: str, network: str | None, why: str) -> str:
    """Draw the travel choice; drive and walk only where a built road network covers the points.

    Parameters
    ----------
    prefix : str
        Widget-key prefix of the page.
    network : str or None
        The built network covering the sites and demand points (:func:`locality.sites.pipeline.road_coverage`).
    why : str
        What that network is, or why drive and walk are not offered.

    Returns
    -------
    str
        ``straight``, ``drive``, ``walk`` or ``matrix``.
    """
    options = ["straight", *(["drive", "walk"] if network else []), "matrix"]
    choice = st.radio("Travel", options, format_func=CHOICES.get, **kept(f"{prefix}_travel", options, index=0),
                      help="Straight-line distance × a circuity factor (metres); drive or walk minutes routed by "
                           "Valhalla on an OpenStreetMap road network built with `python -m locality roads build`; "
                           "or minutes from a matrix you upload below.")
    if network:
        st.caption(f"Drive and walk: {why}.")
    else:
        st.caption(f"Drive and walk are not offered: {why}.")
    return str(choice)
