"""Grouping: practices into contiguous groups within a population floor and ceiling.

- :mod:`~locality.grouping.problem`: options, problem and result (the engine's public shape);
- :mod:`~locality.grouping.territory`: each LSOA to its nearest site, exclaves repaired;
- :mod:`~locality.grouping.partition`: the search (spanning-tree bisection, repair, annealing) and
  the exhaustive proofs;
- :mod:`~locality.grouping.compare` and :mod:`~locality.grouping.summary`: against today's PCNs;
- :mod:`~locality.grouping.area`: an area of the store grouped and compared, ready for pages and files.
"""

from locality.grouping.problem import (
    GroupException,
    GroupingError,
    GroupingOptions,
    GroupingProblem,
    GroupingResult,
    group_practices,
)
from locality.vocabulary import PRESETS

__all__ = ["PRESETS", "GroupException", "GroupingError", "GroupingOptions", "GroupingProblem", "GroupingResult",
           "group_practices"]
