"""The national store: totals, ungeocoded practices and provenance pinned to the July 2026 edition."""

from __future__ import annotations

import hashlib

import pytest

from locality import store
from locality.settings import source_config, source_keys

pytestmark = pytest.mark.national


def test_store_totals_match_the_july_2026_publication(national_con):
    info = store.info(national_con)
    assert info["practices"] == 6139
    assert info["total_patients"] == 63_436_508
    assert info["extract_date"] == "2026-07-01"
    assert info["pcns"] == 1298 and info["pcn_placeholders"] == 1
    assert info["sub_icbs"] == 106
    assert info["icbs"] == 36
    assert info["lsoas"] == 33_755


def test_every_practice_is_kept_and_ungeocoded_ones_are_flagged(national_con):
    con = national_con
    info = store.info(con)
    assert info["practices_geocoded"] == 6135
    assert info["practices_geocoded"] + info["practices_location_estimated"] + info["practices_not_located"] == 6139
    rows = con.execute("SELECT practice_code, location_source FROM practice WHERE NOT geocoded ORDER BY 1").fetchall()
    assert [r[0] for r in rows] == ["K84002", "P84678", "Y00081", "Y02645"]
    assert all("estimate" in r[1] for r in rows)


def test_co_located_practices_share_a_site(national_con):
    con = national_con
    info = store.info(con)
    assert info["sites"] < info["practices"]
    assert info["shared_sites"] > 0
    n_practices = con.execute("SELECT count(*) FROM practice").fetchone()[0]
    assert con.execute("SELECT sum(practices) FROM site").fetchone()[0] == n_practices
    # Y00081 and Y02645 share WF17 1DR (absent from Code-Point Open): one site, still flagged.
    sites = con.execute("SELECT DISTINCT site_id FROM practice WHERE practice_code IN ('Y00081','Y02645')").fetchall()
    assert len(sites) == 1
    assert con.execute("SELECT shared, geocoded FROM site WHERE site_id = ?", [sites[0][0]]).fetchone() == (True, False)


def test_provenance_records_each_file(national_con, raw_dir):
    prov = national_con.execute("SELECT key, path, sha256, rows, licence, publisher, edition FROM data_source").df()
    assert sorted(prov["key"]) == sorted(source_keys(optional=True))  # the optional files are in the raw data
    row = prov.set_index("key").loc["practice_map"]
    digest = hashlib.sha256((raw_dir / source_config()["practice_map"]["path"]).read_bytes()).hexdigest()
    assert row["sha256"] == digest and row["rows"] == 6139 and row["licence"] == "OGL v3"
    assert prov.set_index("key").loc["codepoint", "edition"] == "version 2025.2.0"
