"""Typed diagnostics: exception kinds, their payloads, and one reason template per kind."""

from __future__ import annotations

import json

import pytest

from locality import settings
from locality.grouping import GroupException, partition
from locality.grouping.explain import TEMPLATES, Diagnosis, ExceptionKind, GroupFacts, reason

K = ExceptionKind


def _facts(practices=("A1", "B2"), patients=(30_000, 25_000), locked=(), floor=30_000, ceiling=50_000):
    return GroupFacts(name="G03", patients=sum(patients), practices=practices, practice_patients=patients,
                      locked_pcns=locked, floor=floor, ceiling=ceiling)


def test_kinds_are_their_json_strings():
    assert K.ISLAND == "island" and f"{K.ISLAND}" == "island" and str(K.NOT_CONTIGUOUS) == "not_contiguous"
    assert json.dumps([K.PENDANT]) == '["pendant"]'
    assert {k.value for k in K} == {
        "above_ceiling_unit", "above_ceiling_unit_enclosing", "area_below_floor", "island", "pendant",
        "no_contiguous_fit_pendant", "no_group_count_fits", "no_contiguous_fit", "target_count", "unresolved",
        "not_contiguous"}


def test_every_kind_has_one_template():
    assert set(TEMPLATES) == set(K)


def test_only_target_count_and_unresolved_are_not_forced():
    assert {k for k in K if not k.forced} == {K.TARGET_COUNT, K.UNRESOLVED}
    assert Diagnosis(K.ISLAND).forced and not Diagnosis(K.UNRESOLVED, budget_hit=True).forced


def test_a_diagnosis_is_a_frozen_value():
    d = Diagnosis(K.NO_CONTIGUOUS_FIT, part_units=12)
    assert d == Diagnosis(K.NO_CONTIGUOUS_FIT, part_units=12) and hash(d) == hash(Diagnosis(K.NO_CONTIGUOUS_FIT, part_units=12))
    with pytest.raises(AttributeError):
        d.part_units = 3  # type: ignore[misc]


@pytest.mark.parametrize("diagnosis,facts,expected", [
    (Diagnosis(K.ABOVE_CEILING_UNIT), _facts(("E84066",), (118_653,)),
     "Practice E84066 alone has 118,653 patients, above the 50,000 ceiling."),
    (Diagnosis(K.ABOVE_CEILING_UNIT), _facts(("A1", "B2"), (30_000, 25_000)),
     "Practices A1, B2 share a site (or are locked together) and have 55,000 patients, above the 50,000 ceiling."),
    (Diagnosis(K.ABOVE_CEILING_UNIT), _facts(("A1", "B2"), (30_000, 25_000), locked=("U1", "U2")),
     "PCNs U1 and U2, kept whole, have together 55,000 patients, above the 50,000 ceiling."),
    (Diagnosis(K.ABOVE_CEILING_UNIT_ENCLOSING, codes=("B2", "C3")), _facts(("A1", "B2", "C3"), (52_000, 4_000, 1_000)),
     "Practice A1 alone has 52,000 patients, above the 50,000 ceiling. Practices B2, C3 can reach the rest of "
     "the area only through it, so they join it: one group outside the band instead of two (57,000 patients in all)."),
    (Diagnosis(K.AREA_BELOW_FLOOR), _facts(("A1", "B2"), (10_000, 9_911)),
     "The whole area has 19,911 patients, below the 30,000 floor: it can only be one group."),
    (Diagnosis(K.ISLAND), _facts(("A1", "B2"), (10_000, 2_000)),
     "Practices A1, B2 are cut off from the rest of the area (no shared LSOA boundary) and have 12,000 "
     "patients, below the floor."),
    (Diagnosis(K.PENDANT), _facts(("A1", "B2"), (40_000, 20_000)),
     "Practices A1, B2 can reach the rest of the area only through one another (too few patients on their own "
     "beyond each link), so any grouping keeps them together: 60,000 patients, above the ceiling."),
    (Diagnosis(K.NO_CONTIGUOUS_FIT_PENDANT, codes=("C3", "D4")), _facts(("A1",), (20_000,)),
     "No grouping of this part of the area fits 30,000–50,000: practices C3, D4 can only be grouped together and "
     "exceed the ceiling. The best grouping found leaves this group at 20,000 patients, below the floor."),
    (Diagnosis(K.NO_GROUP_COUNT_FITS, part_patients=55_000.4), _facts(),
     "55,000 patients in this connected part cannot be split into groups of 30,000–50,000: no number of groups fits."),
    (Diagnosis(K.NO_CONTIGUOUS_FIT, part_units=7), _facts(("A1",), (51_000,)),
     "No contiguous grouping of the 7 sites in this connected part of the area fits 30,000–50,000: every grouping "
     "was checked. This group has 51,000 patients, above the ceiling."),
    (Diagnosis(K.TARGET_COUNT, target_groups=2), _facts(("A1", "B2"), (60_000, 1)),
     "With 2 groups, as requested, this group has 60,001 patients, above the ceiling."),
    (Diagnosis(K.UNRESOLVED), _facts(("A1",), (29_999,)),
     "The search found no in-bounds grouping here; 29,999 patients, below the floor. Not proven forced."),
    (Diagnosis(K.UNRESOLVED, budget_hit=True), _facts(("A1",), (29_999,)),
     "The search found no in-bounds grouping here; 29,999 patients, below the floor. Not proven forced "
     "(the exhaustive check stopped at its budget)."),
    (Diagnosis(K.NOT_CONTIGUOUS), _facts(),
     "G03's territory is in more than one piece: geography (or a lock) forces it."),
])
def test_reason_templates(diagnosis, facts, expected):
    assert reason(diagnosis, facts) == expected


def test_group_exception_json_holds_plain_strings():
    e = GroupException("G01", K.ISLAND, "why", True, 12_000, ["A1"])
    d = e.as_dict()
    assert type(d["kind"]) is str and d["kind"] == "island"
    assert json.loads(json.dumps(d)) == {"group": "G01", "kind": "island", "reason": "why", "forced": True,
                                         "patients": 12_000, "practices": ["A1"]}


def test_proofs_are_typed_and_compare_as_strings():
    assert partition.Proof.EXHAUSTIVE == "exhaustive" and {p.value for p in partition.Proof} == {
        "pendant", "arithmetic", "exhaustive"}
    w = [20_000.0, 15_000.0, 20_000.0]
    part = partition.solve_component(partition.Component(w, [[0, 0], [1, 0], [2, 0]], [{1}, {0, 2}, {1}],
                                                         30_000, 50_000))
    assert part.proof is partition.Proof.ARITHMETIC and part.proof_of(0) is partition.Proof.ARITHMETIC


def test_search_budget_defaults_come_from_settings():
    b = partition.SearchBudget()
    assert (b.restarts, b.iters_per_node, b.exhaustive_max_nodes, b.exhaustive_budget) == (6, 400, 40, 300_000)
    assert (b.bisect_trees, b.repair_steps, b.polish_passes) == (8, 100_000, 4)
    assert b.restarts == settings.GROUPING_RESTARTS and b.exhaustive_budget == settings.GROUPING_EXHAUSTIVE_BUDGET
    light = b.excess_only()
    assert (light.restarts, light.iters_per_node, light.exhaustive_max_nodes) == (2, 150, 0)
    assert light.exhaustive_budget == b.exhaustive_budget and partition.DEFAULT_BUDGET == b


def test_a_smaller_budget_is_honoured():
    # a ring of five (no pendant parts); three groups of 40–45 fit the total, but only 20 + 20 makes 40
    w = [20.0, 20.0, 20.0, 30.0, 30.0]
    nb = [{(i - 1) % 5, (i + 1) % 5} for i in range(5)]
    comp = partition.Component(w, [[i, 0] for i in range(5)], nb, 40, 45)
    full = partition.solve_component(comp)
    assert full.proof == partition.Proof.EXHAUSTIVE and full.complete
    tiny = partition.solve_component(comp, budget=partition.SearchBudget(exhaustive_budget=1))
    assert tiny.proof is None and not tiny.complete


def test_locked_pcns_are_named_and_a_shared_site_is_said():
    facts = GroupFacts(name="G03", patients=73_303, practices=("A1", "B2"), practice_patients=(40_000, 33_303),
                       locked_pcns=("U1", "U2"), floor=30_000, ceiling=50_000,
                       locked_pcn_names=("East One PCN", "East PCN"),
                       shared_sites=("A1 (East One PCN) and B2 (East PCN) share a site at RM10 9HU",))
    text = reason(Diagnosis(K.ABOVE_CEILING_UNIT), facts)
    assert text.startswith("PCNs East One PCN (U1) and East PCN (U2), kept whole, have together 73,303 patients")
    assert "one unit because practices share a site: A1 (East One PCN) and B2 (East PCN) share a site at RM10 9HU" \
        in text
    pendant = reason(Diagnosis(K.PENDANT), GroupFacts(
        name="G02", patients=55_613, practices=("A1", "C3"), practice_patients=(40_000, 15_613), locked_pcns=("U1",),
        floor=30_000, ceiling=50_000, locked_pcn_names=("North PCN",)))
    # proven only given the lock, and said so: not "any grouping"
    assert pendant.startswith("With PCN North PCN (U1) kept whole (your lock), practices A1, C3")
    assert "any grouping that keeps it whole keeps them together" in pendant
