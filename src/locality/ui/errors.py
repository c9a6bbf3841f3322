"""The pages' error boundary: a short message for every error, the details folded away.

``app.py`` runs the chosen page inside :func:`error_boundary`, so no traceback reaches a
planner: an error Locality Planner raises on purpose (a :class:`~locality.errors.LocalityError`)
shows its message; anything else shows one sentence saying what failed and a "Details"
expander holding the error type, message and traceback for whoever supports the app.
With ``LOCALITY_DEBUG=1`` (the page tests set it) unexpected errors raise as they are.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from locality.boundary import debugging
from locality.errors import LocalityError
from locality.outputs.safe_text import markdown_text


def show_error(exc: BaseException, doing: str = "This page") -> None:
    """Show ``exc`` as one clear message, with its details folded in an expander when it is unexpected."""
    if isinstance(exc, LocalityError):
        st.error(markdown_text(str(exc)))
        return
    st.error(f"{doing} stopped on an unexpected problem ({type(exc).__name__}). Nothing was saved by the step "
             "that failed. Try again, or change the last setting; if it happens again, report it with the details "
             "below.")
    with st.expander("Details"):
        st.code("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)), language="text")


@contextmanager
def error_boundary(doing: str = "This page") -> Iterator[None]:
    """Run a block and show any error it raises with :func:`show_error` (Streamlit's stop and rerun pass through)."""
    try:
        yield
    except Exception as exc:  # the boundary: every error becomes a message, never a raw traceback
        if debugging() and not isinstance(exc, LocalityError):
            raise
        show_error(exc, doing)


def show_read_notes(frame) -> None:
    """Show what a checked reader assumed (``attrs["notes"]``) and what it warns about (``attrs["warnings"]``)."""
    for note in frame.attrs.get("notes", []):
        st.caption(markdown_text(note))
    warnings = frame.attrs.get("warnings", [])
    if warnings:
        st.warning("Check these sites (the register was read; nothing is wrong with the file itself):\n\n"
                   + "\n".join(f"- {markdown_text(w)}" for w in warnings))
