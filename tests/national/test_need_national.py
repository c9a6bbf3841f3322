"""Need on the national store: the stored age weights, the practice need index, and scenario files using them."""

from __future__ import annotations

import json

import pytest

from locality import scenarios, store
from locality.cli import main
from locality.sites.options import SiteOptions
from locality.sites.pipeline import appraise_sites
from locality.store.need_weights import NeedFit, fit_age_weights
from tests.cases import ASCOT


@pytest.fixture()
def paid(national_con):
    if store.info(national_con)["payments_practices"] == 0:
        pytest.skip("the store was built without NHS Payments to General Practice 2022-23")
    return national_con


def test_stored_weights_are_the_deterministic_fit(paid):
    stored = NeedFit.from_meta(store.meta(paid))
    lists = paid.execute("SELECT practice_code, sex, age_band, patients FROM practice_list").df()
    pay = paid.execute("SELECT * FROM practice_payments").df()
    again = fit_age_weights(lists, pay)
    assert stored.practices == again.practices > 6000
    assert stored.weights == pytest.approx(again.weights, abs=1e-6)
    assert stored.r2 == pytest.approx(again.r2, abs=1e-6)
    for b, (lo, hi) in stored.interval.items():
        assert lo <= stored.weights[b] <= hi
    ages = store.default_age_weights(paid)
    assert ages.weights == pytest.approx(stored.weights) and "2022-23" in ages.source and "R²" in ages.source


def test_need_index_weights_ascot_registered_lists(paid):
    plain = appraise_sites(paid, SiteOptions(practices=tuple(ASCOT), demand="registered"))
    need = appraise_sites(paid, SiteOptions(practices=tuple(ASCOT), demand="registered", need_index=True))
    pay = store.payments(paid, ASCOT).set_index("practice_code")
    idx = pay["weighted_patients"] / pay["registered_patients"]
    lists = plain.demand.points.set_index("practice_code")["weight"]
    assert need.demand.total == pytest.approx(sum(lists[c] * idx.get(c, 1.0) for c in lists.index))
    assert need.demand.total != pytest.approx(plain.demand.total)
    assert "2022-23" in need.demand.provenance and plain.demand.method == "modelled"


def test_cli_default_age_weights_and_need_index(paid, capsys, national_store):
    assert main(["sites", "--practices", ",".join(ASCOT), "--age-weights", "default", "--json",
                 "--store", str(national_store)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["age_weights"]["source"].startswith("Derived from NHS England, NHS Payments to General Practice 2022-23")
    assert out["demand_method"] == "modelled"
    assert main(["sites", "--practices", ",".join(ASCOT), "--demand", "registered", "--need-index",
                 "--store", str(national_store)]) == 0
    assert "demand: Modelled" in capsys.readouterr().out


def test_scenario_with_the_new_demand_choices_round_trips(paid):
    p = store.practices(paid, "sub_icb", "71E")
    codes = list(p.loc[p["pcn_code"] == "U52802", "practice_code"])
    for sites in ({"practices": codes, "demand": "registered", "need_index": True, "chosen_k": 1},
                  {"practices": ASCOT, "age_weights": store.default_age_weights(paid), "chosen_k": 2}):
        doc = scenarios.new_scenario("New demand", "71E" if sites["practices"] is codes else "U2G6B", "", None, sites)
        run = scenarios.run_scenario(paid, doc)
        text = scenarios.dumps(run.document())
        imp = scenarios.import_scenario(paid, text)
        assert imp.identical, imp.differences
        assert imp.edition_differences == []
        files = run.edition["files"]
        assert "nhs-payments-gp-2022-23.csv" in files
        if sites["practices"] is codes:
            assert json.loads(text)["results"]["demand_method"]["sites"] == "registered"
            assert "gp-reg-pat-prac-lsoa-all.csv" in files
        else:
            assert "demand_method" not in json.loads(text)["results"]
            assert "gp-reg-pat-prac-lsoa-all.csv" not in files
