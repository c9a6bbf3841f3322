"""Make every page start through ``app.py``'s navigation, even on a direct link.

Streamlit keeps its older "pages/ folder" mode for the first session of a freshly started
server: a bookmark to ``/localities`` then runs ``pages/localities.py`` on its own, with no
page config, store check or navigation. ``st.navigation`` (in ``app.py``) switches that
mode off for the process; a page that finds it still on switches it off and reruns, so the
run goes through ``app.py`` and lands on the same page.
"""

from __future__ import annotations

import streamlit as st


def through_app() -> None:
    """Call first in every page script."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
