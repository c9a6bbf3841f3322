"""The planner's own assumptions: age-weighted demand and floor areas estimated from a benchmark."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from locality import scenarios, store
from locality.assumptions import AGE_BANDS, AgeWeights, AreaBenchmark, AssumptionError
from locality.errors import SitesError
from locality.sites import Capacity, SiteOptions, appraise_sites
from locality.sites.labels import area_heading, demand_label, people_label
from locality.sites.labels import area_released_text as sites_text
from locality.sites.premises import capacities
from tests.cases import ASCOT, REGISTER

FLAT = dict.fromkeys(AGE_BANDS, 1.0)
OLDER = {**FLAT, "age_65_plus": 3.0}


@pytest.fixture(scope="module")
def con(small_store):
    c = store.connect(small_store)
    yield c
    c.close()


@pytest.mark.parametrize(("weights", "source", "message"), [
    ({**FLAT, "age_65_plus": -1}, "src", "65\\+ must be a number of 0 or more"),
    ({k: v for k, v in FLAT.items() if k != "age_0_15"}, "src", "missing for 0-15"),
    ({**FLAT, "age_90_plus": 1}, "src", "Unknown age band"),
    (dict.fromkeys(AGE_BANDS, 0.0), "src", "above 0"),
    (FLAT, "  ", "needs its source"),
    ({**FLAT, "age_16_24": float("nan")}, "src", "16-24 must be a number"),
])
def test_bad_age_weights_say_what_is_wrong(weights, source, message):
    with pytest.raises(AssumptionError, match=message):
        AgeWeights(weights, source)


def test_age_weights_parse_and_round_trip():
    w = AgeWeights.parse("0-15=1.5, 16-24=0.8,25-34=0.9,35-49=1,50-64=1.4,65+=2.5", "A study (2020), table 3")
    assert w.weights["age_0_15"] == 1.5 and w.weights["age_65_plus"] == 2.5
    assert AgeWeights.from_dict(w.to_dict()) == w
    assert w.label().startswith("0-15 ×1.5, 16-24 ×0.8")
    with pytest.raises(AssumptionError, match="not band=number"):
        AgeWeights.parse("0-15:1.5", "src")
    with pytest.raises(AssumptionError, match="not band=number"):
        AgeWeights.parse("65+=lots", "src")
    with pytest.raises(AssumptionError, match="65\\+ is given twice"):
        AgeWeights.parse("0-15=1,16-24=1,25-34=1,35-49=1,50-64=1,65+=3,65+=1", "src")
    assert AgeWeights.from_dict(None) is None and AreaBenchmark.from_dict(None) is None
    with pytest.raises(AssumptionError, match="65\\+ is given twice"):
        AgeWeights.from_dict({"weights": {**{v: 1 for v in AGE_BANDS.values()}, "age_65_plus": 2}, "source": "src"})


def test_bad_benchmarks_say_what_is_wrong():
    with pytest.raises(AssumptionError, match="above 0"):
        AreaBenchmark(0, "src")
    with pytest.raises(AssumptionError, match="needs its source"):
        AreaBenchmark(0.08, "")
    b = AreaBenchmark(0.08, "A guide (2019)")
    assert AreaBenchmark.from_dict(b.to_dict()) == b
    assert b.label() == "0.08 m² per registered patient (80 m² per 1,000)"


def appraise(con, practices=ASCOT, register=None, **options):
    """The site appraisal of ``practices`` with these options."""
    return appraise_sites(con, SiteOptions(practices=tuple(practices), **options), register)


def test_age_weighted_demand_is_each_band_times_its_weight(con):
    plain = appraise(con)
    flat = appraise(con, age_weights=AgeWeights(FLAT, "flat"))
    older = appraise(con, age_weights=AgeWeights(OLDER, "older"))
    only_old = appraise(con, age_weights=AgeWeights({**dict.fromkeys(AGE_BANDS, 0.0),
                                                                  "age_65_plus": 1.0}, "65+ only"))
    d = plain.demand.points
    assert d[list(AGE_BANDS)].sum(axis=1).tolist() == d["residents"].tolist()  # the bands add up
    # weighted demand is in residents of England's average age mix: Σ band × weight ÷ England's mean weight
    england = con.execute("SELECT sum(residents), sum(age_65_plus) FROM lsoa").fetchone()
    old_share = england[1] / england[0]
    np.testing.assert_allclose(flat.demand.points["weight"], d["residents"])
    assert flat.demand.age_weight_mean == pytest.approx(1.0)
    assert older.demand.age_weight_mean == pytest.approx(1 + 2 * old_share)
    np.testing.assert_allclose(older.demand.points["weight"], (d["residents"] + 2 * d["age_65_plus"]) / (1 + 2 * old_share))
    np.testing.assert_allclose(only_old.demand.points["weight"], d["age_65_plus"] / old_share)
    # so the scale of the weights does not matter, only their ratios
    tenfold = appraise(con, age_weights=AgeWeights({b: 10 * w for b, w in OLDER.items()}, "x10"))
    np.testing.assert_allclose(tenfold.demand.points["weight"], older.demand.points["weight"])
    # Ascot is older than England: weighting the over-65s up raises its demand above its head count
    assert older.demand.points["weight"].sum() > d["residents"].sum()
    assert people_label(older) == "age-weighted residents" and "weighted by age" in demand_label(older)
    # the options weigh each LSOA's travel by the weighted demand
    for inst in (plain, older, only_old):
        row = inst.table.iloc[0]
        travel = inst.nearest_kept(row["kept"])
        assert row["mean_travel"] == pytest.approx(np.average(travel, weights=inst.demand.points["weight"]))
    assert only_old.table.iloc[0]["mean_travel"] != pytest.approx(plain.table.iloc[0]["mean_travel"])


def test_age_weights_need_residents_as_demand(con):
    with pytest.raises(SitesError, match="Age weights apply to residents"):
        appraise(con, demand="registered", age_weights=AgeWeights(OLDER, "older"))


def test_floor_areas_estimated_from_list_size(con):
    bench = AreaBenchmark(0.1, "test benchmark")
    inst = appraise(con, area_benchmark=bench)
    s = inst.sites
    assert s["gia_estimated"].all() and s["source"].str.endswith("floor area estimated").all()
    np.testing.assert_allclose(s["gia_m2"], (s["patients"] * 0.1).round(0))
    opts = inst.table
    for row in opts.itertuples():
        assert row.area_released_m2 == pytest.approx(s.set_index("site_id").loc[row.closed, "gia_m2"].sum())
    assert inst.area_estimated == "all" and area_heading(inst, "GIA") == "GIA (m², estimated)"
    assert (opts["area_released_estimated_m2"] == opts["area_released_m2"]).all()
    assert sites_text(opts.iloc[0]).endswith("m² (estimated)")
    # capacity per m² on estimated areas: at 1 / benchmark patients per m², each site holds its own list
    cap = capacities(s, Capacity("m2", 10))
    np.testing.assert_allclose(cap, s["patients"], atol=5)
    # every list fits its own site, but residents are not lists: the shortfall is what is left over
    loose = appraise(con, area_benchmark=bench, capacity=Capacity("m2", 10, respect=False)).table
    keep_all = loose.iloc[-1]
    assert keep_all["shortfall_m2"] == pytest.approx(keep_all["shortfall_patients"] / 10)
    # without a benchmark nothing is estimated
    bare = appraise(con)
    assert bare.sites["gia_m2"].isna().all() and not bare.sites["gia_estimated"].any()
    assert bare.area_benchmark is None and bare.table["area_released_m2"].isna().all()


def test_a_register_keeps_its_areas_and_only_blanks_are_estimated(con):
    from locality.sources.estates import read_register

    text = REGISTER.replace("SL5 9NU,,,K81076,180,", "SL5 9NU,,,K81076,,")  # S4 has no floor area
    reg = read_register(text.encode(), "ascot.csv", con)
    inst = appraise(con, register=reg, area_benchmark=AreaBenchmark(0.05, "test benchmark"))
    s = inst.sites.set_index("site_id")
    assert s.loc[["S1", "S2", "S3"], "gia_m2"].tolist() == [650, 720, 1400]
    assert not s.loc[["S1", "S2", "S3"], "gia_estimated"].any() and s.loc["S4", "gia_estimated"]
    assert s.loc["S4", "gia_m2"] == round(s.loc["S4", "patients"] * 0.05)
    # only what comes from S4 is called estimated
    assert inst.area_estimated == "some" and area_heading(inst, "Area released") == "Area released (m², some estimated)"
    row = inst.option(3)
    est = row["area_released_m2"] if row["closed"] == ["S4"] else 0.0
    assert row["area_released_estimated_m2"] == est
    def closing(*ids):
        return appraise(con, register=reg, area_benchmark=AreaBenchmark(0.05, "test benchmark"),
                   keep_counts=(4 - len(ids),), must_close=ids).table.iloc[0]

    assert sites_text(closing("S1")) == "650 m²"
    assert sites_text(closing("S4")) == f"{s.loc['S4', 'gia_m2']:,.0f} m² (estimated)"
    both = closing("S1", "S4")
    assert both["area_released_estimated_m2"] == s.loc["S4", "gia_m2"]
    assert sites_text(both) == f"{650 + s.loc['S4', 'gia_m2']:,.0f} m² ({s.loc['S4', 'gia_m2']:,.0f} m² of it estimated)"
    from locality.outputs import boardpack

    run = scenarios.run_scenario(con, scenarios.new_scenario("Mixed", "U2G6B", "", None, {
        "practices": ASCOT, "register": reg, "register_name": "ascot", "area_benchmark": AreaBenchmark(0.05, "bench")}))
    table = boardpack.options_table(run)
    assert {"Area released (m², some estimated)", "Of which estimated (m²)"} <= set(table.columns)
    pack = boardpack.board_pack(con, run)
    params = dict(pack.parameters)
    assert "K81655 Ascot Medical Centre" in params["Practices in the site appraisal"]  # at a shared site
    assert sum("K81076's 9,351 registered patients are shared equally among its 2 sites (S3, S4)" in n
               for n in pack.notes) == 1
    full = appraise(con, register=read_register(REGISTER.encode(), "ascot.csv", con), area_benchmark=AreaBenchmark(0.05, "test benchmark"))
    assert full.area_benchmark is None  # nothing was estimated, so nothing is labelled estimated


def test_a_scenario_carries_its_assumptions_and_sources(con):
    from locality.outputs import boardpack

    sites = {"practices": ASCOT, "chosen_k": 2, "age_weights": AgeWeights(OLDER, "Older-weighted study (2021)"),
             "area_benchmark": AreaBenchmark(0.09, "Space guide (2018), p. 4")}
    run = scenarios.run_scenario(con, scenarios.new_scenario("Assumed", "U2G6B", "", None, sites))
    doc = run.document()
    assert doc["sites"]["age_weights"]["weights"]["65+"] == 3.0
    assert doc["sites"]["area_benchmark"] == {"m2_per_patient": 0.09, "source": "Space guide (2018), p. 4"}
    assert run.sites.demand.age_weights is not None and run.sites.sites["gia_estimated"].all()
    head = scenarios.headline(run)
    assert head["Estate released"].endswith("m² (estimated)") and head["Mean travel"].endswith("(age-weighted)")
    assert doc["version"] == 2
    imp = scenarios.import_scenario(con, scenarios.dumps(doc))
    assert imp.identical, imp.differences
    plain = scenarios.run_scenario(con, scenarios.new_scenario("Plain", "U2G6B", "", None,
                                                               {"practices": ASCOT, "chosen_k": 2}))
    notes = scenarios.compare(run, plain).notes
    assert any("age weights differ" in n and "Older-weighted study (2021)" in n for n in notes)
    assert any("floor-area benchmark differ" in n for n in notes)
    assert scenarios.compare(run, run).notes == []
    tenfold = {**sites, "age_weights": AgeWeights({k: 10 * w for k, w in OLDER.items()}, "Another study")}
    same = scenarios.run_scenario(con, scenarios.new_scenario("Tenfold", "U2G6B", "", None, tenfold))
    assert scenarios.compare(run, same).notes == []  # the same figures once scaled: like for like
    params = dict(boardpack.board_pack(con, run).parameters)
    assert params["Residents weighted by age"].endswith("Source: Older-weighted study (2021)")
    assert "Space guide (2018), p. 4" in params["Floor areas estimated from list size"]
    assert params["Demand"].endswith("weighted by age")
    assert "Area released (m², estimated)" in boardpack.options_table(run).columns
    for change, field in ((lambda d: d["sites"]["age_weights"].update(source="   "), "age_weights.source"),
                          (lambda d: d["sites"]["age_weights"]["weights"].update({"90+": 4}), "age_weights.weights"),
                          (lambda d: d["sites"]["age_weights"]["weights"].pop("0-15"), "sites.age_weights: .*0-15"),
                          (lambda d: d["sites"]["area_benchmark"].update(m2_per_patient=80), "m2_per_patient")):
        bad = json.loads(scenarios.dumps(doc))
        change(bad)
        with pytest.raises(scenarios.ScenarioError, match=f"bad.json: .*{field}"):
            scenarios.loads(json.dumps(bad), "bad.json")


def test_files_without_assumptions_stay_version_1_and_re_run_identically(con):
    """A file as the release before the assumptions wrote it (no such keys, version 1) still re-runs the same."""
    doc = scenarios.run_scenario(con, scenarios.new_scenario("Old", "U2G6B", "", None,
                                                             {"practices": ASCOT, "chosen_k": 2})).document()
    assert doc["version"] == 1
    del doc["sites"]["age_weights"], doc["sites"]["area_benchmark"]
    imp = scenarios.import_scenario(con, json.dumps(doc))
    assert imp.identical, imp.differences
    assert imp.run.sites.demand.age_weights is None and imp.run.sites.area_estimated == "none"


def test_cli_with_assumptions(small_store):
    env = {**os.environ, "PYTHONPATH": "src"}
    base = [sys.executable, "-m", "locality", "sites", "--practices", ",".join(ASCOT), "--store", str(small_store)]
    r = subprocess.run([*base, "--age-weights", "0-15=1,16-24=1,25-34=1,35-49=1,50-64=1,65+=3", "--json"],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 2 and "needs its source" in r.stderr
    r = subprocess.run([*base, "--area-source", "Guide (2019)"], capture_output=True, text=True, env=env)
    assert r.returncode == 2 and "without --area-per-patient" in r.stderr
    r = subprocess.run([*base, "--age-weights", "0-15=1,16-24=1,25-34=1,35-49=1,50-64=1,65+=3",
                        "--age-weights-source", "Study (2021)", "--area-per-patient", "0.1", "--area-source",
                        "Guide (2019)", "--keep", "2", "--json"], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["age_weights"]["source"] == "Study (2021)" and out["area_benchmark"]["m2_per_patient"] == 0.1
    assert all(s["gia_estimated"] for s in out["sites"])
    sites = pd.DataFrame(out["sites"]).set_index("site_id")
    assert out["options"][0]["area_released_m2"] == pytest.approx(sites.loc[out["closed"], "gia_m2"].sum())
    plain = json.loads(subprocess.run([*base, "--json"], capture_output=True, text=True, env=env).stdout)
    assert out["people"] > plain["people"]  # over-65s count three times


def test_figure_parts_split_the_qualifier():
    assert scenarios.figure_parts("1,927 m (age-weighted)") == ("1,927 m", "age-weighted")
    assert scenarios.figure_parts("1 site(s), 709 m² (estimated)") == ("1 site(s), 709 m²", "estimated")
    assert scenarios.figure_parts("2 of 3") == ("2 of 3", "")
    assert scenarios.figure_parts("1 site(s)") == ("1 site(s)", "")


def test_saved_assumptions_on_the_scenarios_and_present_pages(con, open_page):
    from locality.store import userdata

    sites = {"practices": ASCOT, "chosen_k": 2, "age_weights": AgeWeights(OLDER, "Older-weighted study (2021)"),
             "area_benchmark": AreaBenchmark(0.09, "Space guide (2018), p. 4")}
    userdata.save_scenario(scenarios.run_scenario(con, scenarios.new_scenario("Assumed", "U2G6B", "", None,
                                                                              sites)).document())
    at = open_page("pages/scenarios.py")
    labels = [m.label for m in at.metric]
    assert "Mean travel (age-weighted)" in labels and "Estate released (estimated)" in labels
    captions = " ".join(c.value for c in at.caption)
    assert "Source: Older-weighted study (2021)" in captions and "Source: Space guide (2018), p. 4" in captions
    at.switch_page("pages/present.py").run()
    assert not at.exception, at.exception
    html = " ".join(md.value for md in at.markdown)
    assert "Mean travel · age-weighted" in html and "Space guide (2018), p. 4" in html


def test_shared_list_notes_only_name_practices_in_the_appraisal(con):
    """A register row may list practices outside the appraisal (here K81019, on two rows): no note, no crash."""
    from locality.sources.estates import read_register

    text = REGISTER.replace("K81076;K81655,", "K81076;K81655;K81019,").replace(",K81076,180,", ",K81076;K81019,180,")
    inst = appraise(con, register=read_register(text.encode(), "ascot.csv", con))
    assert [n.split("'")[0] for n in inst.notes] == ["K81076"]
