"""Grouping: practices into contiguous groups within a population floor and ceiling.

- :mod:`~locality.grouping.problem`: options, problem and result (the engine's public shape);
- :mod:`~locality.grouping.territory`: each LSOA to its nearest site, exclaves repaired;
- :mod:`~locality.grouping.partition`: the search (spanning-tree bisection, repair, annealing) within
  a :class:`~locality.grouping.partition.SearchBudget`, and the exhaustive proofs;
- :mod:`~locality.grouping.explain`: why a group is outside the band, as a typed
  :class:`ExceptionKind` with a :class:`Diagnosis`, and the one message template of each kind;
- :mod:`~locality.grouping.compare` and :mod:`~locality.grouping.summary`: against today's PCNs;
- :mod:`~locality.grouping.area`: an area of the store grouped and compared, ready for pages and files.
"""

from locality.grouping.explain import Diagnosis, ExceptionKind
from locality.grouping.problem import (
    GroupException,
    GroupingError,
    GroupingOptions,
    GroupingProblem,
    GroupingResult,
    group_practices,
)
from locality.vocabulary import PRESETS

__all__ = ["PRESETS", "Diagnosis", "ExceptionKind", "GroupException", "GroupingError", "GroupingOptions", "GroupingProblem", "GroupingResult",
           "group_practices"]
