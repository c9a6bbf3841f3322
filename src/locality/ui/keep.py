"""Widget values that survive a visit to another page, and a page that stops before drawing them.

Streamlit forgets a widget's value in any run that does not draw it: a visit to another page,
or this page stopping early ("By hand" with no practice chosen, every option over capacity).
The browser then shows the widget's default even where the server put the old value back into
``st.session_state`` (Hubs & estates weights came back as 0). Widgets created with
``**kept(key, …)`` use Streamlit's own ``persist_state="session"``, which keeps the value for
the whole session and tells the browser to show it when the widget is drawn again; the
widget's initial value is used only the first time.
"""

from __future__ import annotations

import streamlit as st


def remember() -> None:
    """Do nothing: kept widgets persist by themselves (kept so that pages calling it first still work)."""


def kept(key: str, options=None, **initial) -> dict:
    """Keyword arguments for a widget whose value survives leaving the page or the page stopping early.

    Parameters
    ----------
    key : str
        The widget's key.
    options : sequence, optional
        The widget's options now: a kept value no longer among them is dropped, so the widget
        starts again from its initial value.
    **initial
        The widget's initial-value argument (``value=…``, ``index=…``, ``default=…``), used
        only when there is no value to put back.
    """
    if options is not None and key in st.session_state:
        v = st.session_state[key]
        fits = all(x in options for x in v) if isinstance(v, list | tuple) else v in options
        if not fits:
            del st.session_state[key]
    return {"key": key, "persist_state": "session", **initial}
