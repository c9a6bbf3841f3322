"""The ``growth`` section of a scenario file: the planning year, its housing trajectory and the new builds.

The trajectory is held in full, so that a file stands alone and re-runs as saved.
"""

from __future__ import annotations

from locality.growth.planning import PlanningYear
from locality.sites.new_build import NewBuild

_NEW_BUILD_KEYS = ("name", "postcode", "easting", "northing", "gia_m2", "clinical_rooms", "cost_gbp", "source")


def growth_section(plan: PlanningYear | None, for_year: bool = False, new_builds: tuple[NewBuild, ...] = ()) -> dict | None:
    """Return the scenario file's ``growth`` section (None when there is no planning year and no new build)."""
    if plan is None and not new_builds:
        return None
    return {"planning_year": plan.to_dict() if plan is not None else None, "grouped_for_year": bool(for_year),
            "projection": plan is not None, "new_builds": [n.to_dict() for n in new_builds]}


def from_section(section: dict | None) -> tuple[PlanningYear | None, bool, tuple[NewBuild, ...]]:
    """Return the planning year, whether the grouping is made for it, and the new builds of a ``growth`` section.

    Raises
    ------
    LocalityError
        A figure out of range, a missing source (as the page and the CLI would refuse it).
    """
    if not section:
        return None, False, ()
    plan = PlanningYear.from_dict(section.get("planning_year"))
    new = tuple(NewBuild(**{k: v for k, v in n.items() if k in _NEW_BUILD_KEYS}) for n in section.get("new_builds") or [])
    return plan, bool(section.get("grouped_for_year", False)), new
