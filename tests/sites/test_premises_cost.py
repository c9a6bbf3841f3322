"""Premises running costs estimated from NHS Premises Payments 2022-23 where no register gives them."""

from __future__ import annotations

import pandas as pd
import pytest

from locality.sites.premises_cost import COST_LABEL, estimate_running_costs


def _sites():
    return pd.DataFrame({"site_id": ["S1", "S2", "S3", "S4"], "practices": ["A", "A,B", "C", "D"],
                         "running_cost_gbp": [None, None, 50_000.0, None], "source": ["register"] * 4})


def test_costs_are_shared_among_a_practice_s_sites_and_labelled():
    sites = _sites()
    pay = pd.DataFrame({"practice_code": ["A", "B", "C", "D"], "premises_payments": [100_000.0, 30_000.0, 80_000.0,
                                                                                      -2_000.0]})
    notes = estimate_running_costs(sites, pay)
    cost = sites.set_index("site_id")["running_cost_gbp"]
    assert cost["S1"] == pytest.approx(50_000) and cost["S2"] == pytest.approx(80_000)  # A halved, plus B
    assert cost["S3"] == 50_000  # the register's figure is kept
    assert pd.isna(cost["S4"])  # only a negative payment: not used, stays unknown
    assert sites["cost_estimated"].tolist() == [True, True, False, False]
    assert COST_LABEL in sites.loc[0, "source"] and "2022-23" in COST_LABEL
    assert any("Negative" in n and "D" in n for n in notes) and any("2 site(s)" in n for n in notes)


def test_missing_practices_are_reported_and_no_file_estimates_nothing():
    sites = _sites()
    notes = estimate_running_costs(sites, pd.DataFrame({"practice_code": ["A"], "premises_payments": [10_000.0]}))
    assert any("B" in n and "C" in n and "D" in n and "not in the file" in n for n in notes)
    assert sites["cost_estimated"].sum() == 2
    empty = _sites()
    assert estimate_running_costs(empty, pd.DataFrame(columns=["practice_code", "premises_payments"])) == []
    assert not empty["cost_estimated"].any() and empty["running_cost_gbp"].isna().sum() == 3
