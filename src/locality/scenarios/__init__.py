"""Scenarios: named, saved parameter sets, the results they gave, and the data edition they used.

- :mod:`~locality.scenarios.format`: the JSON file (schema, checks, reading and writing);
- :mod:`~locality.scenarios.run`: re-running a scenario's engines on a store, and importing a file;
- :mod:`~locality.scenarios.compare`: headline figures and two scenarios side by side.
"""

from locality.scenarios.compare import (
    HEADLINE_ORDER,
    ScenarioComparison,
    assumption_differences,
    compare,
    figure_card,
    figure_parts,
    headline,
    headline_pairs,
    today_headline,
)
from locality.scenarios.format import (
    FORMAT,
    SCHEMA,
    VERSION,
    ScenarioError,
    dumps,
    edition,
    edition_differences,
    file_version,
    grouping_options,
    loads,
    new_scenario,
    validate,
)
from locality.scenarios.run import Imported, ScenarioRun, check_reproduced, import_scenario, run_scenario

__all__ = ["FORMAT", "HEADLINE_ORDER", "SCHEMA", "VERSION", "Imported", "ScenarioComparison", "ScenarioError",
           "ScenarioRun", "assumption_differences", "check_reproduced", "compare", "dumps", "edition",
           "edition_differences", "figure_card", "figure_parts", "file_version", "grouping_options", "headline",
           "headline_pairs", "import_scenario", "loads", "new_scenario", "run_scenario", "today_headline",
           "validate"]
