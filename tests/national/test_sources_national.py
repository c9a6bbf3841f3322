"""Readers on the national July 2026 files: every practice, patient, postcode and LSOA of the edition."""

from __future__ import annotations

import pytest

from locality import sources

pytestmark = pytest.mark.national


def test_practice_map_reads_every_practice(raw):
    df = sources.read_practice_map(raw("practice_map"))
    assert len(df) == 6139
    assert df["practice_code"].is_unique
    assert df["extract_date"].dt.strftime("%Y-%m-%d").unique().tolist() == ["2026-07-01"]
    east_berks = df[df["sub_icb_location_code"] == "U2G6B"]
    assert len(east_berks) == 41


def test_practice_age_bands_add_up(raw):
    df = sources.read_practice_age(raw("practice_age"))
    total = df[(df.sex == "ALL") & (df.age_band == "ALL")]
    bands = df[(df.sex != "ALL") & (df.age_band != "ALL")]
    assert total["patients"].sum() == 63_436_508
    assert bands["patients"].sum() == 63_436_508
    assert total["practice_code"].nunique() == 6139


def test_codepoint_reads_the_product_zip(raw):
    df = sources.read_codepoint(raw("codepoint"))
    assert len(df) > 1_700_000
    sl4 = df.set_index("postcode").loc["SL0 0AA"]
    assert (sl4["easting"], sl4["northing"]) == (503627, 181366)


def test_lsoa_boundaries_and_lookups(raw):
    g = sources.read_lsoa_boundaries(raw("lsoa_boundaries"))
    assert len(g) == 33_755 and g["lsoa21_code"].str.startswith("E01").all()
    lu = sources.read_lsoa_subicb_lookup(raw("lsoa_subicb_lookup"))
    assert set(g["lsoa21_code"]) == set(lu["lsoa21_code"])
    lad = sources.read_lsoa_lad_lookup(raw("lsoa_lad_lookup"))
    assert lad["lsoa21_code"].is_unique


def test_census_iod_ruc_and_practice_imd(raw):
    census = sources.read_census_population(raw("census_population"))
    bands = [c for c in census.columns if c.startswith("age_")]
    assert (census[bands].sum(axis=1) == census["total"]).all()
    iod = sources.read_iod2025(raw("iod2025"))
    assert iod["imd_decile"].between(1, 10).all() and len(iod) == 33_755
    ind = sources.read_iod2025_indicators(raw("iod2025_indicators"))
    assert {"patient_to_gp_ratio", "connectivity_score"} <= set(ind.columns)
    ruc = sources.read_rural_urban(raw("rural_urban"))
    assert set(ruc["ruc"].unique()) >= {"Urban", "Rural"}
    imd = sources.read_practice_imd(raw("practice_imd"))
    assert imd["imd_score"].notna().sum() > 6000
