"""Site options for real practices, the CLI, and the weighted appraisal."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from locality import store
from locality.sites import SitesError, apply_travel_matrix, appraise, build_instance
from locality.sites.appraisal import scores, sensitivity
from tests.cases import ASCOT, REGISTER


@pytest.fixture(scope="module")
def con(national_store):
    c = store.connect(national_store)
    yield c
    c.close()


def test_ascot_options_are_sensible(con):
    inst = build_instance(con, ASCOT)
    # K81076 and K81655 share SL5 7GB: four practices on three sites in the public data
    assert len(inst.sites) == 3 and inst.demand["residents"].sum() > 10_000
    opts = appraise(inst)
    assert list(opts["k"]) == [1, 2, 3] and (opts["status"] == "ok").all()
    assert opts["mean_travel_m"].is_monotonic_decreasing
    assert (opts["within_2km"].diff().dropna() >= 0).all()
    assert (opts["gap"] <= 0.005).all()
    for row in opts.itertuples():
        assert len(row.kept) == row.k and sorted(row.kept + row.closed) == sorted(inst.sites["site_id"])
    assert opts.iloc[-1]["closed"] == []


def test_flags_and_capacity(con):
    inst = build_instance(con, ASCOT)
    ids = list(inst.sites["site_id"])
    opts = appraise(inst, [1, 2], must_keep=[ids[0]], must_close=[ids[2]])
    assert all(ids[0] in r and ids[2] not in r for r in opts["kept"])
    cap = [inst.demand["residents"].sum() * 0.55] * len(ids)  # one site is too small, two are enough
    opts = appraise(inst, [1, 2, 3], capacity=cap)
    assert opts.iloc[0]["status"].startswith("not possible")
    assert (opts.iloc[1:]["status"] == "ok").all()


def test_bad_requests(con):
    with pytest.raises(SitesError, match="Unknown practice code"):
        build_instance(con, ["K81010", "ZZ999"])
    with pytest.raises(SitesError, match="circuity"):
        build_instance(con, ASCOT, circuity=0.5)
    inst = build_instance(con, ASCOT)
    with pytest.raises(SitesError, match="Unknown site_id"):
        appraise(inst, must_keep=["SITE-NOPE"])


def test_circuity_scales_travel(con):
    a = appraise(build_instance(con, ASCOT, circuity=1.0), [2])
    b = appraise(build_instance(con, ASCOT, circuity=1.3), [2])
    assert b["mean_travel_m"].iloc[0] == pytest.approx(1.3 * a["mean_travel_m"].iloc[0])
    assert b["kept"].iloc[0] == a["kept"].iloc[0]


def test_the_default_circuity_is_the_stores_derived_factor(con):
    from locality import store

    default = store.default_circuity(con)
    assert 1.1 <= default.factor <= 1.6 and "IoD2019" in default.label
    assert "Indices of Deprivation 2019" in default.source
    inst = build_instance(con, ASCOT)
    assert inst.circuity == default.factor
    straight = build_instance(con, ASCOT, circuity=1.0)
    assert inst.cost == pytest.approx(default.factor * straight.cost)


def test_cli_sites_json(national_store):
    r = subprocess.run([sys.executable, "-m", "locality", "sites", "--practices", ",".join(ASCOT), "--keep", "2",
                        "--json"], capture_output=True, text=True, timeout=300,
                       env={**os.environ, "LOCALITY_STORE": str(national_store)})
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert len(d["kept"]) == 2 and len(d["closed"]) == 1 and d["gap"] == 0
    assert d["mean_travel_m"] > 0


def _table():
    return pd.DataFrame({"k": [1, 2, 3], "mean_travel_m": [3000.0, 1500.0, 1400.0],
                         "p90_travel_m": [5000.0, 2500.0, 2400.0], "within_2km": [40.0, 80.0, 85.0],
                         "closed": [["a", "b"], ["a"], []]})


def test_scores_rank_by_weights():
    t = _table()
    assert scores(t, {"sites_released": 1})["k"].iloc[0] == 1
    assert scores(t, {"mean_travel_m": 1})["k"].iloc[0] == 3
    s = scores(t, {"mean_travel_m": 1, "sites_released": 1})
    assert s["k"].iloc[0] == 2 and s["score"].between(0, 1).all()
    with pytest.raises(ValueError, match="positive weight"):
        scores(t, {"mean_travel_m": 0})


def test_sensitivity_shares():
    t = _table()
    share = sensitivity(t, {"mean_travel_m": 1, "sites_released": 1}, samples=300)
    assert share.sum() == pytest.approx(1.0)
    assert share.idxmax() == 2
    dominant = sensitivity(t, {"mean_travel_m": 1}, samples=50)
    assert dominant[3] == pytest.approx(1.0)




def test_register_sites_give_area_cost_and_capacity(con):
    from locality.sources.estates import read_register

    reg = read_register(REGISTER.encode(), "ascot.csv", con)
    inst = build_instance(con, ASCOT, register=reg)
    assert sorted(inst.sites["site_id"]) == ["S1", "S2", "S3", "S4"]  # four practices on four sites
    assert inst.sites["patients"].sum() == pytest.approx(7065 + 8867 + 9351 + 7236)
    opts = appraise(inst)
    assert list(opts["k"]) == [1, 2, 3, 4]
    one = opts.iloc[0]
    assert one["area_released_m2"] == pytest.approx(2950 - sum(
        inst.sites.set_index("site_id").loc[one["kept"], "gia_m2"]))
    assert opts.iloc[-1]["cost_released_gbp"] == 0
    from locality.sites import capacities

    cap = capacities(inst, "m2", 10)  # 10 patients per m²
    capped = appraise(inst, capacity=cap, respect_capacity=True, patients_per_m2=10)
    loose = appraise(inst, capacity=cap, respect_capacity=False, patients_per_m2=10)
    for c, lo in zip(capped.itertuples(), loose.itertuples(), strict=True):
        if c.status == "ok":
            assert all(v <= 100.0 + 1e-6 for v in c.capacity_use.values())
            assert c.mean_travel_m >= lo.mean_travel_m - 1e-6
        if lo.status == "ok" and lo.shortfall_patients > 0:
            assert lo.shortfall_m2 == pytest.approx(lo.shortfall_patients / 10)


def test_register_flags_are_honoured(con):
    from locality.sources.estates import read_register

    reg = read_register(REGISTER.replace("S4,Sunninghill branch,SL5 9NU,,,K81076,180,3,leasehold,2027-06-30,D,"
                                         "40000,,", "S4,Sunninghill branch,SL5 9NU,,,K81076,180,3,leasehold,"
                                         "2027-06-30,D,40000,yes,").encode(), "ascot.csv", con)
    opts = appraise(build_instance(con, ASCOT, register=reg))
    assert all("S4" in kept for kept in opts["kept"])


def test_practice_missing_from_register(con):
    from locality.sources.estates import read_register

    reg = read_register(REGISTER.encode(), "ascot.csv", con)
    with pytest.raises(SitesError, match="not in the estates register: K81019"):
        build_instance(con, [*ASCOT, "K81019"], register=reg)


def _matrix_for(inst, speed_m_per_min=500.0):
    rows = [(lsoa, site, float(inst.cost[i, j]) / speed_m_per_min)
            for i, lsoa in enumerate(inst.demand["lsoa21_code"]) for j, site in enumerate(inst.sites["site_id"])]
    return pd.DataFrame(rows, columns=["lsoa21_code", "site_id", "minutes"])


def test_travel_matrix_replaces_distance(con):
    from locality.sites import apply_travel_matrix, read_travel_matrix

    inst = build_instance(con, ASCOT)
    matrix = read_travel_matrix(_matrix_for(inst).to_csv(index=False).encode(), "ascot_minutes.csv")
    timed = apply_travel_matrix(inst, matrix)
    assert timed.unit == "min"
    by_km, by_min = appraise(inst), appraise(timed)
    assert list(by_km["kept"]) == list(by_min["kept"])  # time proportional to distance: same choices
    assert by_min["mean_travel_min"].to_numpy() == pytest.approx(by_km["mean_travel_m"].to_numpy() / 500)
    assert {"within_10min", "within_15min", "within_20min"} <= set(by_min.columns)


def test_incomplete_or_bad_matrix(con):
    from locality.errors import SourceError
    from locality.sites import apply_travel_matrix, read_travel_matrix

    inst = build_instance(con, ASCOT)
    m = _matrix_for(inst)
    with pytest.raises(SitesError, match="lacks 1 LSOA × site pair"):
        apply_travel_matrix(inst, m.iloc[1:])
    text = m.to_csv(index=False).replace(str(m["minutes"].iloc[4]), "soon", 1)
    with pytest.raises(SourceError) as e:
        read_travel_matrix(text.encode(), "matrix.csv")
    assert (e.value.row, e.value.column) == (6, "minutes")


def test_registered_list_demand_sits_at_each_practice(con):
    inst = build_instance(con, ASCOT, circuity=1.0, demand="registered")
    lists = con.execute("SELECT sum(patients) FROM practice WHERE practice_code IN (?, ?, ?, ?)", ASCOT).fetchone()[0]
    assert inst.demand_kind == "registered" and list(inst.demand["practice_code"]) == sorted(ASCOT)
    assert inst.demand["weight"].sum() == lists
    options = appraise(inst).set_index("k")
    # keeping every site: every list stays at its own surgery
    assert options.loc[3, "mean_travel_m"] == 0 and options.loc[3, "within_1km"] == 100
    # keeping one: the patient-weighted distance from each practice to the kept site
    one = options.loc[1]
    kept = inst.sites["site_id"].tolist().index(one["kept"][0])
    expect = np.average(inst.cost[:, kept], weights=inst.demand["weight"])
    assert one["mean_travel_m"] == pytest.approx(expect) and one["mean_travel_m"] > 0
    with pytest.raises(SitesError, match="residents as demand"):
        apply_travel_matrix(inst, pd.DataFrame({"lsoa21_code": ["x"], "site_id": ["y"], "minutes": [1.0]}))
    with pytest.raises(SitesError, match="Demand must be one of"):
        build_instance(con, ASCOT, demand="workload")


def test_cli_sites_registered_demand(national_store):
    r = subprocess.run([sys.executable, "-m", "locality", "sites", "--practices", ",".join(ASCOT), "--keep", "1",
                        "--demand", "registered", "--json", "--store", str(national_store)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["demand"] == "registered" and out["demand_points"] == 4 and out["people"] > 20_000
    assert len(out["kept"]) == 1
