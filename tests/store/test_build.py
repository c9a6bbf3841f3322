"""The store (built from the one-ICB raw copy): sites, geography, parameterised queries and atomic builds."""

from __future__ import annotations

import hashlib
import os
import shutil

import pytest

from locality import store
from locality.errors import SourceError
from locality.settings import source_config, source_keys
from locality.store.build import build_store


def test_co_located_practices_share_a_site(con):
    info = store.info(con)
    assert info["sites"] < info["practices"]
    assert info["shared_sites"] > 0
    n_practices = con.execute("SELECT count(*) FROM practice").fetchone()[0]
    assert con.execute("SELECT sum(practices) FROM site").fetchone()[0] == n_practices


def test_east_berkshire(con):
    p = store.practices(con, "sub_icb", "U2G6B")
    assert len(p) == 41
    assert p["patients"].sum() == 497_911
    assert p["pcn_code"].nunique() == 11  # ten PCNs plus the "Unallocated" placeholder
    assert p["lat"].between(51.3, 51.6).all() and p["lon"].between(-0.9, -0.4).all()
    a = store.area(con, "U2G6B")
    assert a["area_type"] == "sub_icb" and "Slough" in a["covers"]


def test_lsoas_of_the_new_sub_icb_cover_the_published_approximation(con, raw_dir):
    import pandas as pd

    approx = raw_dir / "ons_boundaries_via_geographr" / "derived_lookup_lsoa21_to_subicb_icb_2026_approx.csv"
    if not approx.is_file():
        pytest.skip("cross-check file not present")
    d = pd.read_csv(approx, usecols=["lsoa21_code", "SUB_ICB_LOCATION_CODE"])
    ours = store.lsoas(con, "sub_icb", "U2G6B", with_geometry=False)
    theirs = set(d.loc[d["SUB_ICB_LOCATION_CODE"] == "U2G6B", "lsoa21_code"])
    assert theirs <= set(ours["lsoa21_code"])
    # everywhere the approximation assigns a sub-ICB, we agree
    allours = con.execute("SELECT lsoa21_code, sub_icb_code FROM lsoa").df().merge(d, on="lsoa21_code")
    known = allours[allours["SUB_ICB_LOCATION_CODE"].notna() & ~allours["SUB_ICB_LOCATION_CODE"].str.startswith("UNASS")]
    assert (known["sub_icb_code"] == known["SUB_ICB_LOCATION_CODE"]).all()


def test_provenance_records_each_file(con, small_raw_dir):
    prov = con.execute("SELECT key, path, sha256, rows, licence, publisher, edition FROM data_source").df()
    assert set(source_keys()) <= set(prov["key"]) <= set(source_keys(optional=True))
    assert {"list_may2025", "list_jan2021"} <= set(prov["key"])  # the older list editions, found and recorded
    assert prov.set_index("key").loc["list_jan2021", "edition"] == "extract 2021-01-01"
    row = prov.set_index("key").loc["practice_map"]
    digest = hashlib.sha256((small_raw_dir / source_config()["practice_map"]["path"]).read_bytes()).hexdigest()
    assert row["sha256"] == digest and row["rows"] == store.info(con)["practices"] and row["licence"] == "OGL v3"
    assert prov.set_index("key").loc["codepoint", "edition"] == "version 2025.2.0"


def test_queries_are_parameterised(con):
    assert store.practices(con, "sub_icb", "U2G6B' OR '1'='1").empty


def test_failed_build_leaves_the_previous_store_untouched(small_store, small_raw_dir, tmp_path):
    raw_dir = small_raw_dir
    out = tmp_path / "locality.duckdb"
    shutil.copy(small_store, out)
    before = hashlib.sha256(out.read_bytes()).hexdigest()
    broken = tmp_path / "raw"
    for key in source_keys():
        rel = source_config()[key]["path"]
        (broken / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(raw_dir / rel, broken / rel)
    census = broken / source_config()["census_population"]["path"]
    lines = census.read_text().splitlines(keepends=True)
    census.unlink()
    fields = lines[100].split(",")
    fields[2] = "x" + fields[2]  # corrupt age_0_15 on file line 101
    lines[100] = ",".join(fields)
    census.write_text("".join(lines))
    with pytest.raises(SourceError) as e:
        build_store(broken, out, progress=lambda _m: None)
    assert (e.value.row, e.value.column) == (101, "age_0_15")
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["locality.duckdb", "raw"]
