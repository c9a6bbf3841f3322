"""Widget values that survive a visit to another page.

Streamlit forgets a widget's value once a run of another page does not draw it. A page calls
:func:`remember` first, and creates each widget with ``**kept(key, …)``: the value the widget had
when the page was last shown is put back, and the widget's initial value is used only the first
time.
"""

from __future__ import annotations

import streamlit as st

_VALUES = "_kept_values"
_KEYS = "_kept_keys"


def remember() -> None:
    """Record the current value of every kept widget (call at the top of the page)."""
    values = st.session_state.setdefault(_VALUES, {})
    for key in st.session_state.get(_KEYS, ()):
        if key in st.session_state:
            values[key] = st.session_state[key]


def kept(key: str, options=None, **initial) -> dict:
    """Keyword arguments for a widget whose value survives leaving the page.

    Parameters
    ----------
    key : str
        The widget's key.
    options : sequence, optional
        The widget's options now: a remembered value no longer among them is dropped.
    **initial
        The widget's initial-value argument (``value=…``, ``index=…``, ``default=…``), used
        only when there is no value to put back.
    """
    st.session_state.setdefault(_KEYS, set()).add(key)
    values = st.session_state.get(_VALUES, {})
    if key not in st.session_state and key in values:
        v = values[key]
        fits = options is None or (all(x in options for x in v) if isinstance(v, list) else v in options)
        if fits:
            st.session_state[key] = v
    return {"key": key, **({} if key in st.session_state else initial)}
