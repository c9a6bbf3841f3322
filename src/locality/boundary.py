"""The command line's error boundary: one clear line on stderr and exit status 2, never a traceback.

Set ``LOCALITY_DEBUG=1`` to let unexpected errors raise with their traceback (for developers;
the pages' boundary in :mod:`locality.ui.errors` reads the same switch).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable

from locality.errors import LocalityError

#: The exit status of a run that stopped on an error.
ERROR_EXIT = 2


def debugging() -> bool:
    """Return True when ``LOCALITY_DEBUG`` asks for raw errors and tracebacks."""
    return os.environ.get("LOCALITY_DEBUG", "").strip().lower() in {"1", "true", "yes"}


def error_line(exc: BaseException) -> str:
    """Return the one line a user sees for ``exc``."""
    if isinstance(exc, LocalityError):
        return f"error: {exc}"
    if isinstance(exc, FileNotFoundError):
        return f"error: {exc.filename}: file not found"
    if isinstance(exc, IsADirectoryError):
        return f"error: {exc.filename}: is a folder, not a file"
    if isinstance(exc, PermissionError):
        return f"error: {exc.filename}: permission denied"
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"error: {where}{exc.strerror or exc}"
    return (f"error: unexpected {type(exc).__name__}: {exc}. Nothing was saved by the step that failed; "
            "set LOCALITY_DEBUG=1 to see the traceback, and report it.")


def one_line_errors(main: Callable[..., int]) -> Callable[..., int]:
    """Wrap a CLI entry point so every error prints one line on stderr and returns :data:`ERROR_EXIT`."""

    @functools.wraps(main)
    def run(*args, **kwargs) -> int:
        try:
            return main(*args, **kwargs)
        except KeyboardInterrupt:
            print("stopped.", file=sys.stderr)
            return 130
        except Exception as exc:  # the boundary: every error becomes one line
            if debugging() and not isinstance(exc, LocalityError):
                raise
            print(" ".join(error_line(exc).split()), file=sys.stderr)
            return ERROR_EXIT

    return run
