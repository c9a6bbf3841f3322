"""The grouping engine on sub-ICBs and local authorities outside the small store's ICB (July 2026 national store)."""

from __future__ import annotations

import pytest

from locality import store
from locality.grouping import GroupingOptions, group_practices
from tests.cases import grouping_inputs_by_code
from tests.grouping.test_grouping import (
    _check_invariants,
    check_cli_by_local_authority_and_bad_area,
    check_co_located_apart_refused,
    check_same_seed_same_result,
)

pytestmark = pytest.mark.national


@pytest.fixture(scope="module")
def inputs(national_store):
    con = store.connect(national_store)
    yield grouping_inputs_by_code(con)
    con.close()


@pytest.mark.parametrize("code,floor,ceiling", [
    ("E09000002", 50_000, 70_000), ("W2U3Z", 30_000, 50_000), ("06T", 30_000, 50_000), ("07K", 50_000, 70_000),
])
def test_bounds_and_contiguity_on_real_areas(inputs, code, floor, ceiling):
    p, lsoa, adj = inputs(code)
    r = group_practices(p, lsoa, adj, GroupingOptions(floor, ceiling))
    _check_invariants(r, p, adj, floor, ceiling)
    assert r.unforced == []


def test_same_seed_same_result(inputs):
    check_same_seed_same_result(inputs, "W2U3Z")


def test_practice_above_the_ceiling_is_a_forced_exception(inputs):
    p, lsoa, adj = inputs("W2U3Z")
    r = group_practices(p, lsoa, adj, GroupingOptions(30_000, 50_000))
    reasons = {e.reason for e in r.exceptions}
    assert "Practice E84066 alone has 118,653 patients, above the 50,000 ceiling." in reasons
    assert all(e.forced for e in r.exceptions)


def test_exhaustive_proof_on_a_lumpy_area(inputs):
    p, lsoa, adj = inputs("07K")
    r = group_practices(p, lsoa, adj, GroupingOptions(50_000, 70_000))
    kinds = {e.kind for e in r.exceptions}
    assert kinds & {"no_contiguous_fit", "no_contiguous_fit_pendant", "pendant"}
    assert all(e.forced for e in r.exceptions)


def test_keeping_co_located_practices_apart_is_refused(inputs):
    check_co_located_apart_refused(inputs, "W2U3Z")


def test_cli_group_by_local_authority_and_bad_area(national_store):
    check_cli_by_local_authority_and_bad_area(national_store, "E09000002")  # Barking & Dagenham
