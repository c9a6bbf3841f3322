"""The command line does what the pages do: registers, capacity, names, chosen practices, finding practices."""

from __future__ import annotations

import json

import pytest

from locality.cli import main
from tests.cases import ASCOT, REGISTER, REGISTER5


def _cli(capsys, *args):
    """Run the CLI in this process; return (exit code, stdout, stderr)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def ascot5(tmp_path):
    path = tmp_path / "ascot5.csv"
    path.write_text(REGISTER5)
    return path


def test_sites_runs_the_ascot_register_case_end_to_end(capsys, small_store, ascot5):
    code, out, err = _cli(capsys, "sites", "--practices", ",".join(ASCOT).lower(), "--register", str(ascot5),
                          "--demand", "registered", "--capacity", "m2", "--rate", "10", "--json",
                          "--store", str(small_store))
    assert code == 0, err
    d = json.loads(out)
    assert [s["site_id"] for s in d["sites"]] == ["S1", "S2", "S3", "S4", "S5"]
    assert [o["k"] for o in d["options"]] == [1, 2, 3, 4, 5]
    assert d["people"] == 32_519 and d["capacity"]["against"] == "registered"
    assert {s["town"] for s in d["sites"]} == {"Ascot"}
    assert d["sites"][0]["label"] == "Kings Corner Surgery (Ascot)"
    every = d["options"][-1]
    assert every["mean_travel_m"] == pytest.approx(0, abs=1e-6)  # patients are seen at their register sites
    assert "Sunningdale branch (Ascot)" in every["kept_names"]
    assert all(o["mean_travel_m"] > 0 for o in d["options"][:-1])
    assert all("capacity_use" in o for o in d["options"])
    # the same case as text: names and towns, one line per k
    code, out, err = _cli(capsys, "sites", "--practices", ",".join(ASCOT), "--register", str(ascot5),
                          "--demand", "registered", "--store", str(small_store))
    assert code == 0, err
    assert "S3: Green Meadows and Ascot MC (Ascot), SL5 7GB" in out
    assert "keep 5: Kings Corner Surgery (Ascot) + Magnolia House (Ascot)" in out and "mean 0 m" in out
    assert "SITE-" not in out


def test_an_all_infeasible_capacity_says_the_rate_that_works(capsys, small_store, tmp_path):
    path = tmp_path / "ascot.csv"
    path.write_text(REGISTER)
    code, out, err = _cli(capsys, "sites", "--practices", ",".join(ASCOT), "--register", str(path), "--capacity",
                          "m2", "--rate", "10", "--within-capacity", "--json", "--store", str(small_store))
    assert code == 0, err
    d = json.loads(out)
    assert all(o["status"].startswith("not possible") for o in d["options"])
    # 32,519 registered patients on 2,950 m²: 11.1 per m² keeps every site
    assert "32,519 registered patients" in d["capacity_shortfall"] and "11.1 patients per m²" in d["capacity_shortfall"]


@pytest.mark.parametrize(("keep", "said"), [("0", "1 or more"), ("-1", "1 or more"), ("4", "only 3 sites")])
def test_bad_keep_values_exit_2_with_a_message(capsys, small_store, keep, said):
    code, out, err = _cli(capsys, "sites", "--practices", ",".join(ASCOT), "--keep", keep, "--store", str(small_store))
    assert code == 2 and said in err and out == ""


def test_a_flag_clash_names_the_site_and_exits_2(capsys, small_store, tmp_path):
    path = tmp_path / "ascot.csv"
    path.write_text(REGISTER)
    code, _, err = _cli(capsys, "sites", "--practices", ",".join(ASCOT), "--register", str(path), "--must-keep", "S2",
                        "--must-close", "s2", "--store", str(small_store))
    assert code == 2 and "S2 (Magnolia House)" in err and "[" not in err


def test_area_takes_several_codes_in_any_case_for_every_command(capsys, small_store):
    code, out, err = _cli(capsys, "sites", "--area", "u2g6b", "--keep", "30", "--demand", "registered", "--json",
                          "--store", str(small_store))
    assert code == 0, err
    assert len(json.loads(out)["sites"]) >= 30
    code, out, err = _cli(capsys, "group", "--area", "u2g6b", "--json", "--store", str(small_store))
    assert code == 0, err
    assert json.loads(out)["summary"]["area"] == "U2G6B"
    code, _, err = _cli(capsys, "practices", "ascot", "--area", "u2g6b", "--store", str(small_store))
    assert code == 0, err
    code, _, err = _cli(capsys, "group", "--area", "u2g6b,nope", "--store", str(small_store))
    assert code == 2 and "'NOPE'" in err


def test_group_a_chosen_list_and_leave_practices_out(capsys, small_store):
    five = [*ASCOT, "K81002"]
    code, out, err = _cli(capsys, "group", "--practices", ",".join(five), "--floor", "10000", "--ceiling", "30000",
                          "--json", "--store", str(small_store))
    assert code == 0, err
    d = json.loads(out)
    assert sorted(c for g in d["groups"] for c in g["practices"]) == sorted(five)
    assert {"movers", "pcns_today"} <= set(d)
    assert {r["pcn_name"] for r in d["pcns_today"]} >= {"ASCOT PCN"}
    assert all({"practice_code", "practice_name", "group", "pcn_group"} <= set(m) for m in d["movers"])
    assert len(d["movers"]) == d["summary"]["practices_moving"]
    code, out, err = _cli(capsys, "group", "--area", "U2G6B", "--exclude", "K81010,K81028", "--json",
                          "--store", str(small_store))
    assert code == 0, err
    grouped = {c for g in json.loads(out)["groups"] for c in g["practices"]}
    assert "K81010" not in grouped and "K81028" not in grouped and "K81076" in grouped
    code, _, err = _cli(capsys, "group", "--area", "U2G6B", "--exclude", "ZZZ99", "--store", str(small_store))
    assert code == 2 and "ZZZ99" in err


def test_practices_are_found_by_name_district_pcn_and_town(capsys, small_store):
    def found(*args):
        code, out, err = _cli(capsys, "practices", *args, "--json", "--store", str(small_store))
        assert code == 0, err
        return [r["practice_code"] for r in json.loads(out)["practices"]]

    assert sorted(found("Ascot PCN")) == sorted(ASCOT)
    assert sorted(found("sl5", "--area", "U2G6B")) == sorted(ASCOT)
    assert found("magnolia") == ["K81028"]
    assert set(found("ascot")) >= set(ASCOT)
    assert len(found("slough")) >= 10
    code, out, _ = _cli(capsys, "practices", "kings corner", "--store", str(small_store))
    assert code == 0 and "K81010  Kings Corner Surgery, Ascot, SL5 0AE" in out
