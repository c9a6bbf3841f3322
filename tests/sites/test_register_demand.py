"""Registered-list demand at the register's sites, capacity against registered patients, and the shortfall hint."""

from __future__ import annotations

import pytest

from locality import store
from locality.errors import SitesError
from locality.sites import Capacity, SiteOptions, appraise_sites
from locality.sites.capacity import capacity_shortfall
from locality.sources.estates import read_register
from tests.cases import ASCOT, REGISTER, REGISTER5


@pytest.fixture(scope="module")
def con(small_store):
    c = store.connect(small_store)
    yield c
    c.close()


def _run(con, register=REGISTER5, **options):
    reg = read_register(register.encode(), "ascot.csv", con)
    return appraise_sites(con, SiteOptions(practices=tuple(ASCOT), **options), reg)


def test_registered_demand_sits_at_the_register_sites(con):
    a = _run(con, demand="registered")
    assert len(a.sites) == 5
    pts = a.demand.points
    # one point per (practice, register site): K81028 on S2 and S5, K81076 on S3 and S4
    assert sorted(zip(pts["practice_code"], pts["site_id"], strict=True)) == [
        ("K81010", "S1"), ("K81028", "S2"), ("K81028", "S5"), ("K81076", "S3"), ("K81076", "S4"), ("K81655", "S3")]
    assert a.demand.total == pytest.approx(a.sites["patients"].sum())
    assert "estates-register sites" in a.demand.provenance
    every = a.option(5)
    assert every["mean_travel"] == pytest.approx(0.0, abs=1e-6)  # keeping every site moves nobody
    assert every["p90_travel"] == pytest.approx(0.0, abs=1e-6)
    # closing S3 (Green Meadows and Ascot MC) now costs its patients a journey
    closes_s3 = [r for r in a.table.itertuples() if r.k == 4 and "S3" in r.closed]
    assert not closes_s3 or closes_s3[0].mean_travel > 0
    four = a.option(4)
    assert four["mean_travel"] > 0 and "S3" in four["kept"]


def test_registered_demand_without_a_register_is_still_at_the_practice(con):
    a = appraise_sites(con, SiteOptions(practices=tuple(ASCOT), demand="registered"))
    assert len(a.demand.points) == 4 and "practice's address" in a.demand.provenance
    assert a.option(3)["mean_travel"] == pytest.approx(0.0, abs=1e-6)


def test_capacity_is_compared_with_registered_patients_by_default(con):
    assert Capacity("m2", 10.0).against == "registered"
    res = _run(con, register=REGISTER, capacity=Capacity("m2", 1.0, against="residents"))
    reg = _run(con, register=REGISTER, capacity=Capacity("m2", 1.0))
    residents = res.demand.points["residents"].sum()
    registered = reg.sites["patients"].sum()
    assert registered > residents * 1.1  # Ascot: 32,519 registered for 26,755 residents
    # with every site kept, use is load / capacity: the registered basis carries registered patients
    use_res = sum(res.option(4)["capacity_use"][s] * cap for s, cap in zip(*_caps(res), strict=True)) / 100
    use_reg = sum(reg.option(4)["capacity_use"][s] * cap for s, cap in zip(*_caps(reg), strict=True)) / 100
    assert use_res == pytest.approx(residents, rel=0.01)
    assert use_reg == pytest.approx(registered, rel=0.01)


def _caps(a):
    return list(a.sites["site_id"]), list(a.sites["gia_m2"].astype(float))


def test_all_infeasible_capacity_says_the_shortfall_and_the_rate_that_works(con):
    a = _run(con, register=REGISTER, capacity=Capacity("m2", 10.0, respect=True))
    assert a.table.empty and len(a.infeasible) == 4
    short = capacity_shortfall(a)
    registered = a.sites["patients"].sum()
    gia = a.sites["gia_m2"].astype(float).sum()  # 2,950 m²
    assert short is not None and short.patients == pytest.approx(registered)
    assert short.held == pytest.approx(10 * gia)
    assert short.needed[4] == pytest.approx(registered / gia, abs=0.1) and short.needed[4] >= registered / gia
    assert short.needed[1] > short.needed[2] > short.needed[3] > short.needed[4]
    text = short.message()
    assert f"{registered:,.0f} registered patients" in text and f"{short.needed[4]:,.1f} patients per m²" in text
    # the rate it names does work
    ok = _run(con, register=REGISTER, capacity=Capacity("m2", short.needed[4], respect=True))
    assert list(ok.table["k"]) == [4] and capacity_shortfall(ok) is None


def test_a_flag_clash_names_the_sites(con):
    with pytest.raises(SitesError, match=r"S1 \(Kings Corner Surgery\)"):
        _run(con, must_keep=("S1",), must_close=("S1",))
