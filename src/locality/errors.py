"""Exception types raised by Locality Planner."""

from __future__ import annotations


class LocalityError(Exception):
    """Base class for every error Locality Planner raises on purpose."""


class SourceError(LocalityError):
    """A raw file is missing, empty or malformed.

    Parameters
    ----------
    file : str
        The file's name (or path) as the user would recognise it.
    message : str
        What is wrong.
    row : int, optional
        1-based line number in the file (the header, when there is one, is line 1).
    column : str, optional
        The column at fault.
    """

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None):
        self.file = str(file)
        self.row = row
        self.column = column
        self.message = message
        where = [self.file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {message}")


class StoreError(LocalityError):
    """The store is missing, out of date, or a build failed."""


class AreaError(LocalityError):
    """An area code was not recognised."""
