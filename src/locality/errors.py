"""Exception types raised by Locality Planner."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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


class GroupingError(LocalityError):
    """A grouping request that cannot be run as asked (the message says why)."""


class SitesError(LocalityError):
    """A site appraisal that cannot be run as asked (the message says why)."""


class InfeasibleReason(StrEnum):
    """Why a number of sites to keep cannot be had."""

    FLAGGED_BOTH = "flagged both must-keep and must-close"
    TOO_MANY_MUST_KEEP = "more must-keep sites than sites to keep"
    TOO_FEW_MAY_STAY = "fewer sites may stay open than sites to keep"
    NONE_KEPT = "no site kept"
    CAPACITY_SHORT = "the largest allowed sites cannot hold the demand"
    NO_CHOICE_FITS = "no choice of sites meets the capacities and flags"
    SOLVER_STOPPED = "the solver stopped before finding a choice"


class InfeasibleError(LocalityError):
    """The flags (or capacities) leave no valid choice of k sites.

    Parameters
    ----------
    message : str
        What is wrong, with the figures.
    reason : InfeasibleReason
        The kind of problem, for code that acts on it.
    """

    def __init__(self, message: str, reason: InfeasibleReason):
        self.reason = reason
        super().__init__(message)


class CircuityError(LocalityError):
    """The circuity factor cannot be estimated from the data given (the message says why)."""


class AssumptionError(LocalityError):
    """An age weighting or floor-area benchmark that cannot be used (the message says why)."""


class ScenarioError(LocalityError):
    """A scenario file or request that cannot be used (the message names the field)."""


class UserDataError(LocalityError):
    """A save, rename or delete that cannot be done as asked (the message says why)."""


class ExportError(LocalityError):
    """A map, board pack or report that cannot be made as asked (the message says why).

    For example an unknown map or file format, or a map whose data the pack does not hold.
    """


@dataclass(frozen=True)
class RegisterProblem:
    """One problem in a register file."""

    row: int
    column: str
    message: str
    sheet: str | None = None  # the workbook sheet, for an XLSX file

    def __str__(self) -> str:
        """``row 3, column gia_m2: not a number`` (``sheet 'Sites', row 3, …`` in a workbook)."""
        where = f"sheet {self.sheet!r}, " if self.sheet else ""
        return f"{where}row {self.row}, column {self.column}: {self.message}"


class RegisterError(LocalityError):
    """A register file was rejected; ``problems`` lists every row and column at fault."""

    def __init__(self, file: str, problems: list[RegisterProblem]):
        self.file = file
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{file}: {len(problems)} problem(s): {shown}{more}")


class TrajectoryError(RegisterError):
    """A housing-trajectory file was rejected; ``problems`` lists every row and column at fault."""
