"""NHS payments 2022-23 per group, PCN and area: totals, per patient, missing practices named."""

from __future__ import annotations

import pandas as pd
import pytest

from locality import funding, store
from locality.grouping import GroupingOptions
from locality.grouping.area import group_area


@pytest.fixture()
def paid(national_con):
    if store.info(national_con)["payments_practices"] == 0:
        pytest.skip("the store was built without NHS Payments to General Practice 2022-23")
    return national_con


def test_area_with_a_practice_missing_from_the_file(paid):
    g = group_area(paid, "36L", GroupingOptions(30_000, 50_000))
    f = g.funding
    codes = set(g.result.assignment["practice_code"])
    pay = store.payments(paid, codes)
    missing = sorted(codes - set(pay["practice_code"]))
    assert len(missing) == 2
    area = f["area"].iloc[0]
    assert area["practices"] == len(codes) and area["covered"] == len(codes) - 2
    assert all(m in area["missing"] for m in missing)
    assert area["total_payments"] == pytest.approx(pay["total_payments"].sum())
    assert area["global_sum_per_weighted"] == pytest.approx(pay["global_sum"].sum() / pay["weighted_patients"].sum())
    # the groups and today's PCNs add up to the area
    for key in ("groups", "pcns"):
        assert f[key]["total_payments"].sum() == pytest.approx(area["total_payments"])
        assert f[key]["covered"].sum() == area["covered"]
    js = g.to_json()["funding"]
    assert "2022-23" in js["source"] and len(js["groups"]) == len(g.result.groups)
    table = funding.printable(f["groups"])
    assert any("2022-23" in c for c in table.columns)


def test_no_file_no_table():
    members = pd.DataFrame({"practice_code": ["A", "B"], "practice_name": ["Aa", "Bb"], "group": ["G1", "G1"]})
    pay = pd.DataFrame({"practice_code": ["A"], "registered_patients": [100.0], "weighted_patients": [120.0],
                        "global_sum": [9000.0], "total_payments": [15000.0]})
    t = funding.funding_table(members, pay).iloc[0]
    assert (t["covered"], t["missing"]) == (1, "B Bb")
    assert t["total_per_registered"] == pytest.approx(150.0) and t["global_sum_per_weighted"] == pytest.approx(75.0)


def test_cost_released_says_how_much_is_estimated(paid):
    from locality.sites.options import SiteOptions
    from locality.sites.pipeline import appraise_sites
    from tests.cases import ASCOT

    a = appraise_sites(paid, SiteOptions(practices=tuple(ASCOT)))
    o = a.all_options().set_index("k")
    pay = store.payments(paid, ASCOT).set_index("practice_code")["premises_payments"]
    assert pay["K81655"] < 0  # a negative adjustment: reported, not used
    assert any("K81655" in n and "Negative" in n for n in a.notes)
    assert o.loc[1, "cost_released_gbp"] == pytest.approx(pay["K81010"] + pay["K81028"])
    assert (o["cost_released_estimated_gbp"] == o["cost_released_gbp"]).all()
    old = appraise_sites(paid, SiteOptions(practices=tuple(ASCOT), estimate_costs=False))
    assert old.all_options()["cost_released_gbp"].isna().all()
