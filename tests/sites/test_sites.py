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
from locality.errors import SitesError
from locality.sites import Capacity, SiteOptions, appraise_sites
from locality.sites.appraisal import scores, sensitivity, weights_from_file, weights_to_file
from tests.cases import ASCOT, REGISTER


@pytest.fixture(scope="module")
def con(small_store):
    c = store.connect(small_store)
    yield c
    c.close()


def run(con, practices=ASCOT, register=None, matrix=None, **options):
    """The site appraisal of ``practices`` with these options."""
    return appraise_sites(con, SiteOptions(practices=tuple(practices), **options), register, matrix)


def test_ascot_options_are_sensible(con):
    a = run(con)
    # K81076 and K81655 share SL5 7GB: four practices on three sites in the public data
    assert len(a.sites) == 3 and a.demand.points["residents"].sum() > 10_000
    assert a.unit == "m" and a.demand.kind == "residents" and "Census 2021" in a.demand.provenance
    opts = a.table
    assert list(opts["k"]) == [1, 2, 3] and (opts["status"] == "ok").all() and a.infeasible == ()
    assert opts["mean_travel"].is_monotonic_decreasing
    assert (opts["within_2km"].diff().dropna() >= 0).all()
    assert (opts["gap"] <= 0.005).all()
    for row in opts.itertuples():
        assert len(row.kept) == row.k and sorted(row.kept + row.closed) == sorted(a.sites["site_id"])
    assert opts.iloc[-1]["closed"] == []
    # files and JSON carry the unit in the travel columns' names
    assert {"mean_travel_m", "p90_travel_m"} <= set(a.all_options().columns)


def test_flags_and_capacity(con):
    ids = list(run(con).sites["site_id"])
    opts = run(con, keep_counts=(1, 2), must_keep=(ids[0],), must_close=(ids[2],)).table
    assert all(ids[0] in r and ids[2] not in r for r in opts["kept"])
    reg = run(con).sites.assign(gia_m2=1.0)  # a register with 1 m² per site, so capacity = rate
    residents = run(con).demand.points["residents"].sum()
    capped = _register_run(con, reg, capacity=Capacity("m2", residents * 0.55, respect=True, against="residents"))
    assert [i.k for i in capped.infeasible] == [1]  # one site is too small, two are enough
    assert capped.infeasible[0].reason == "the largest allowed sites cannot hold the demand"
    assert capped.infeasible[0].status.startswith("not possible")
    assert list(capped.table["k"]) == [2, 3] and capped.status_of(1).startswith("not possible")


def _register_run(con, sites, **options):
    """Appraise ``sites`` (a frame of postcode sites) as if they were an estates register."""
    reg = sites[["site_id", "postcode", "easting", "northing", "gia_m2"]].assign(
        site_name=sites["site_id"], practices=sites["practices"].str.replace(",", ";"), clinical_rooms=None,
        tenure=None, lease_end=None, condition=None, running_cost_gbp=None, must_keep=False, must_close=False)
    return run(con, register=reg, **options)


def test_bad_requests(con):
    with pytest.raises(SitesError, match="Unknown practice code"):
        run(con, ["K81010", "ZZ999"])
    with pytest.raises(SitesError, match="circuity"):
        run(con, circuity=0.5)
    with pytest.raises(SitesError, match="Unknown site_id"):
        run(con, must_keep=("SITE-NOPE",))
    with pytest.raises(SitesError, match="Give practice codes or an area code"):
        SiteOptions()
    with pytest.raises(SitesError, match="Capacity basis"):
        Capacity("hectare", 1.0)
    with pytest.raises(SitesError, match="needs a rate above 0"):
        Capacity("m2")


@pytest.mark.parametrize(("options", "message"), [
    ({"circuity": float("nan")}, "circuity factor must be a number"),
    ({"circuity": float("inf")}, "circuity factor must be a number"),
    ({"circuity": "1.3"}, "circuity factor must be a number"),
    ({"practices": "K81010"}, "practices must be a list of codes"),
    ({"practices": (1,)}, "practices must be a list of codes"),
    ({"must_keep": "S1"}, "must_keep must be a list of codes"),
    ({"keep_counts": ("a",)}, "whole numbers of 1 or more"),
    ({"keep_counts": (0,)}, "whole numbers of 1 or more"),
    ({"area": 5}, "The area must be a code"),
])
def test_options_of_the_wrong_kind_get_a_message(options, message):
    with pytest.raises(SitesError, match=message):
        SiteOptions(**{"practices": ("K81010",), **options})


def test_a_scenario_section_holds_no_area_or_keep_counts():
    opts = SiteOptions.from_scenario({"practices": ["K81010"], "area": "U2G6B", "keep_counts": 2})
    assert opts.area is None and opts.keep_counts is None and opts.practices == ("K81010",)


def test_circuity_scales_travel(con):
    a = run(con, circuity=1.0, keep_counts=(2,)).table
    b = run(con, circuity=1.3, keep_counts=(2,)).table
    assert b["mean_travel"].iloc[0] == pytest.approx(1.3 * a["mean_travel"].iloc[0])
    assert b["kept"].iloc[0] == a["kept"].iloc[0]


def test_the_default_circuity_is_the_stores_derived_factor(con):
    default = store.default_circuity(con)
    assert 1.1 <= default.factor <= 1.6 and "IoD2019" in default.label
    assert "Indices of Deprivation 2019" in default.source
    a = run(con)
    assert a.travel.circuity == default.factor and a.travel.unit == "m"
    straight = run(con, circuity=1.0)
    assert a.travel.cost == pytest.approx(default.factor * straight.travel.cost)


def test_options_round_trip_as_plain_data():
    from locality.assumptions import AreaBenchmark

    opts = SiteOptions(practices=(" k81010", "K81028", "K81028"), circuity=1.2, must_keep=("S1",),
                       capacity=Capacity("m2", 10, True), area_benchmark=AreaBenchmark(0.08, "a cited source"))
    assert opts.practices == ("K81010", "K81028")
    d = opts.to_dict()
    assert d["capacity"] == {"basis": "m2", "rate": 10.0, "respect": True, "against": "registered"} and d["practices"] == ["K81010", "K81028"]
    assert d["area_benchmark"] == {"m2_per_patient": 0.08, "source": "a cited source"}
    assert SiteOptions.from_dict(d) == opts


def test_cli_sites_json(small_store):
    r = subprocess.run([sys.executable, "-m", "locality", "sites", "--practices", ",".join(ASCOT), "--keep", "2",
                        "--json"], capture_output=True, text=True, timeout=300,
                       env={**os.environ, "LOCALITY_STORE": str(small_store)})
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert len(d["kept"]) == 2 and len(d["closed"]) == 1 and d["gap"] == 0
    assert d["mean_travel_m"] > 0


def _table():
    return pd.DataFrame({"k": [1, 2, 3], "mean_travel": [3000.0, 1500.0, 1400.0],
                         "p90_travel": [5000.0, 2500.0, 2400.0], "within_2km": [40.0, 80.0, 85.0],
                         "closed": [["a", "b"], ["a"], []]})


def test_scores_rank_by_weights():
    t = _table()
    assert scores(t, {"sites_released": 1})["k"].iloc[0] == 1
    assert scores(t, {"mean_travel": 1})["k"].iloc[0] == 3
    s = scores(t, {"mean_travel": 1, "sites_released": 1})
    assert s["k"].iloc[0] == 2 and s["score"].between(0, 1).all()
    with pytest.raises(SitesError, match="positive weight"):
        scores(t, {"mean_travel": 0})


def test_weights_are_filed_with_the_unit_of_travel():
    w = {"mean_travel": 5.0, "p90_travel": 2.0, "within_15min": 5.0, "sites_released": 1.0}
    filed = weights_to_file(w, "min")
    assert filed == {"mean_travel_min": 5.0, "p90_travel_min": 2.0, "within_15min": 5.0, "sites_released": 1.0}
    assert weights_from_file(filed, "min") == w
    # a weight filed for the other unit is not one of this run's criteria
    assert weights_from_file({"mean_travel_m": 5, "mean_travel_min": 1}, "m") == {"mean_travel": 5.0}


def test_sensitivity_shares():
    t = _table()
    share = sensitivity(t, {"mean_travel": 1, "sites_released": 1}, samples=300)
    assert share.sum() == pytest.approx(1.0)
    assert share.idxmax() == 2
    dominant = sensitivity(t, {"mean_travel": 1}, samples=50)
    assert dominant[3] == pytest.approx(1.0)


def test_register_sites_give_area_cost_and_capacity(con):
    from locality.sources.estates import read_register

    reg = read_register(REGISTER.encode(), "ascot.csv", con)
    a = run(con, register=reg)
    assert sorted(a.sites["site_id"]) == ["S1", "S2", "S3", "S4"]  # four practices on four sites
    assert a.sites["patients"].sum() == pytest.approx(7065 + 8867 + 9351 + 7236)
    opts = a.table
    assert list(opts["k"]) == [1, 2, 3, 4]
    one = opts.iloc[0]
    assert one["area_released_m2"] == pytest.approx(2950 - sum(
        a.sites.set_index("site_id").loc[one["kept"], "gia_m2"]))
    assert opts.iloc[-1]["cost_released_gbp"] == 0
    capped = run(con, register=reg, capacity=Capacity("m2", 10, respect=True))  # 10 patients per m²
    loose = run(con, register=reg, capacity=Capacity("m2", 10, respect=False))
    assert len(loose.table) == 4
    for c in capped.table.itertuples():
        assert all(v <= 100.0 + 1e-6 for v in c.capacity_use.values())
        assert c.mean_travel >= loose.option(c.k)["mean_travel"] - 1e-6
    for lo in loose.table.itertuples():
        if lo.shortfall_patients > 0:
            assert lo.shortfall_m2 == pytest.approx(lo.shortfall_patients / 10)


def test_register_flags_are_honoured(con):
    from locality.sources.estates import read_register

    reg = read_register(REGISTER.replace("S4,Sunninghill branch,SL5 9NU,,,K81076,180,3,leasehold,2027-06-30,D,"
                                         "40000,,", "S4,Sunninghill branch,SL5 9NU,,,K81076,180,3,leasehold,"
                                         "2027-06-30,D,40000,yes,").encode(), "ascot.csv", con)
    opts = run(con, register=reg).table
    assert all("S4" in kept for kept in opts["kept"])


def test_practice_missing_from_register(con):
    from locality.sources.estates import read_register

    reg = read_register(REGISTER.encode(), "ascot.csv", con)
    with pytest.raises(SitesError, match="not in the estates register: K81019"):
        run(con, [*ASCOT, "K81019"], register=reg)


def _matrix_for(a, speed_m_per_min=500.0):
    rows = [(lsoa, site, float(a.travel.cost[i, j]) / speed_m_per_min)
            for i, lsoa in enumerate(a.demand.points["lsoa21_code"]) for j, site in enumerate(a.sites["site_id"])]
    return pd.DataFrame(rows, columns=["lsoa21_code", "site_id", "minutes"])


def test_travel_matrix_replaces_distance(con):
    from locality.sources.travel_matrix import read_travel_matrix

    by_km = run(con)
    matrix = read_travel_matrix(_matrix_for(by_km).to_csv(index=False).encode(), "ascot_minutes.csv")
    by_min = run(con, matrix=matrix)
    assert by_min.unit == "min" and by_min.travel.circuity == 1.0 and "matrix" in by_min.travel.provenance
    assert "Travel is in minutes from the uploaded matrix." in by_min.notes
    assert list(by_km.table["kept"]) == list(by_min.table["kept"])  # time proportional to distance: same choices
    assert by_min.table["mean_travel"].to_numpy() == pytest.approx(by_km.table["mean_travel"].to_numpy() / 500)
    assert {"within_10min", "within_15min", "within_20min"} <= set(by_min.table.columns)
    assert by_min.within_columns == ["within_10min", "within_15min", "within_20min"]
    assert {"mean_travel_min", "p90_travel_min"} <= set(by_min.all_options().columns)


def test_incomplete_or_bad_matrix(con):
    from locality.errors import SourceError
    from locality.sources.travel_matrix import read_travel_matrix

    m = _matrix_for(run(con))
    with pytest.raises(SitesError, match="lacks 1 LSOA × site pair"):
        run(con, matrix=m.iloc[1:])
    text = m.to_csv(index=False).replace(str(m["minutes"].iloc[4]), "soon", 1)
    with pytest.raises(SourceError) as e:
        read_travel_matrix(text.encode(), "matrix.csv")
    assert (e.value.row, e.value.column) == (6, "minutes")


def test_registered_list_demand_sits_at_each_practice(con):
    a = run(con, circuity=1.0, demand="registered")
    lists = con.execute("SELECT sum(patients) FROM practice WHERE practice_code IN (?, ?, ?, ?)", ASCOT).fetchone()[0]
    points = a.demand.points
    assert a.demand.kind == "registered" and list(points["practice_code"]) == sorted(ASCOT)
    assert points["weight"].sum() == lists and "Patients Registered at a GP Practice" in a.demand.provenance
    options = a.table.set_index("k")
    # keeping every site: every list stays at its own surgery
    assert options.loc[3, "mean_travel"] == 0 and options.loc[3, "within_1km"] == 100
    # keeping one: the patient-weighted distance from each practice to the kept site
    one = options.loc[1]
    kept = a.sites["site_id"].tolist().index(one["kept"][0])
    expect = np.average(a.travel.cost[:, kept], weights=points["weight"])
    assert one["mean_travel"] == pytest.approx(expect) and one["mean_travel"] > 0
    with pytest.raises(SitesError, match="residents as demand"):
        run(con, demand="registered",
            matrix=pd.DataFrame({"lsoa21_code": ["x"], "site_id": ["y"], "minutes": [1.0]}))
    with pytest.raises(SitesError, match="Demand must be one of"):
        run(con, demand="workload")


def test_cli_sites_registered_demand(small_store):
    r = subprocess.run([sys.executable, "-m", "locality", "sites", "--practices", ",".join(ASCOT), "--keep", "1",
                        "--demand", "registered", "--json", "--store", str(small_store)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["demand"] == "registered" and out["demand_points"] == 4 and out["people"] > 20_000
    assert len(out["kept"]) == 1
