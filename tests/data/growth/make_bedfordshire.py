"""Write ``bedfordshire_2035.json``: the Bedfordshire Section 106 worked example as a scenario file.

The practices serving Cranfield, Marston Moretaine and Wootton (Marston Forest Healthcare E81043,
Wootton Vale and Shortstown Surgery Y00560) with their neighbours (King Street Surgery E81038, and
Ampthill's Greensand Surgery E81002 and Houghton Close Surgery E81074); an ILLUSTRATIVE housing
trajectory (``bedfordshire_illustrative.csv``: made-up sites and numbers, not a real plan); one new-build
candidate at Cranfield (illustrative area, rooms and cost); every number of sites, at 1 July 2035, with
demand from today's lists plus the observed trend and the illustrative housing.

Run from the repository: ``python tests/data/growth/make_bedfordshire.py`` (needs the national store).
"""

from __future__ import annotations

import json
from pathlib import Path

from locality import store
from locality.growth.housing import Housing
from locality.growth.planning import PlanningYear
from locality.growth.scenario import growth_section
from locality.scenarios import new_scenario
from locality.scenarios.format import file_version
from locality.sites.new_build import NewBuild
from locality.sources.housing import read_trajectory

HERE = Path(__file__).parent
PRACTICES = ["E81043", "Y00560", "E81038", "E81002", "E81074"]
HUB = NewBuild("Cranfield new-build hub", postcode="MK43 0AJ", gia_m2=1_200, clinical_rooms=14, cost_gbp=6_500_000,
               source="Illustrative figures for the worked example (not a costed scheme)")


def bedfordshire_document(con) -> dict:
    """Return the worked example's scenario document (without results)."""
    raw = (HERE / "bedfordshire_illustrative.csv").read_bytes()
    housing = Housing.from_frame("Bedfordshire illustrative", read_trajectory(raw, "bedfordshire_illustrative.csv", con),
                                 illustrative=True)
    sites = {"practices": PRACTICES, "demand": "residents"}
    doc = new_scenario("Cranfield, Marston Moretaine and Wootton 2035 (illustrative growth)", "M1J4Y",
                       "Section 106 options appraisal: which premises serve these growing communities in 2035, with "
                       "a new-build candidate at Cranfield. The housing trajectory is ILLUSTRATIVE, not a real plan.",
                       None, sites)
    doc["growth"] = growth_section(PlanningYear(2035, "both", housing=housing), False, (HUB,))
    doc["version"] = file_version(doc)
    return doc


if __name__ == "__main__":
    con = store.connect()
    (HERE / "bedfordshire_2035.json").write_text(json.dumps(bedfordshire_document(con), indent=1))
