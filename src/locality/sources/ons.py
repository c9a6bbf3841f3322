"""ONS and MHCLG readers: LSOA 2021 boundaries, lookups, Census 2021, IoD2025, RUC."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from locality.sources.checks import Col, read_csv, read_geojson


def read_lsoa_boundaries(path: Path | str):
    """Read the LSOA (Dec 2021) boundaries for England.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``lsoa21_code, lsoa21_name, geometry`` (EPSG:4326).
    """
    return read_geojson(path, [Col("lsoa21_code"), Col("lsoa21_name")])


def read_lad_boundaries(path: Path | str):
    """Read the Local Authority District (May 2024) boundaries.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``lad_code, lad_name, geometry`` (EPSG:4326).
    """
    gdf = read_geojson(path, [Col("ltla24_code"), Col("ltla24_name")])
    return gdf.rename(columns={"ltla24_code": "lad_code", "ltla24_name": "lad_name"})


def read_lsoa_subicb_lookup(path: Path | str) -> pd.DataFrame:
    """Read the LSOA21 → sub-ICB location → ICB (2024) lookup.

    Returns
    -------
    pandas.DataFrame
        Columns ``lsoa21_code, sicbl_code`` (ONS E38 code), ``sicbl_code_nhs, sicbl_name,
        icb_code, icb_code_nhs, icb_name``.
    """
    cols = [Col("lsoa21_code"), Col("sicbl24_code"), Col("sicbl24_code_nhs"), Col("sicbl24_name"),
            Col("icb24_code"), Col("icb24_code_nhs"), Col("icb24_name")]
    df = read_csv(path, cols)
    df.columns = ["lsoa21_code", "sicbl_code", "sicbl_code_nhs", "sicbl_name", "icb_code", "icb_code_nhs", "icb_name"]
    return df


def read_lsoa_lad_lookup(path: Path | str) -> pd.DataFrame:
    """Read the LSOA11 → LSOA21 → LAD22 lookup and return one row per LSOA 2021.

    Returns
    -------
    pandas.DataFrame
        Columns ``lsoa21_code, lad_code, lad_name``.
    """
    df = read_csv(path, [Col("lsoa21_code"), Col("ltla22_code"), Col("ltla22_name")])
    df = df.drop_duplicates("lsoa21_code")
    df.columns = ["lsoa21_code", "lad_code", "lad_name"]
    return df.reset_index(drop=True)


def read_lsoa11_lsoa21(path: Path | str) -> pd.DataFrame:
    """Read the LSOA 2011 → LSOA 2021 part of the ONS lookup.

    Returns
    -------
    pandas.DataFrame
        Columns ``lsoa11_code, change_code, lsoa21_code`` (``U`` unchanged, ``S`` split, ``M`` merged,
        ``X`` irregular).
    """
    return read_csv(path, [Col("lsoa11_code"), Col("change_code"), Col("lsoa21_code")])


def read_iod2019_road_distance(path: Path | str) -> pd.DataFrame:
    """Read IoD2019 File 8's road distance to a GP surgery (km) by LSOA 2011.

    Returns
    -------
    pandas.DataFrame
        Columns ``lsoa11_code, road_km``.
    """
    df = read_csv(path, [Col("lsoa11_code"), Col("road_distance_to_a_gp_surgery_indicator_km", "float")])
    return df.rename(columns={"road_distance_to_a_gp_surgery_indicator_km": "road_km"})


CENSUS_BANDS = ["age_0_15", "age_16_24", "age_25_34", "age_35_49", "age_50_64", "age_65_plus"]


def read_census_population(path: Path | str) -> pd.DataFrame:
    """Read Census 2021 usual residents by LSOA 2021 and six age bands.

    Returns
    -------
    pandas.DataFrame
        Columns ``lsoa21_code``, the six ``age_*`` bands and ``total``.
    """
    cols = [Col("lsoa21_code")] + [Col(b, "int") for b in CENSUS_BANDS] + [Col("total", "int")]
    return read_csv(path, cols)


IOD_DOMAINS = ["IMD", "Income", "Employment", "Education", "Health", "Crime", "Housing_and_Services", "Environment"]


def read_iod2025(path: Path | str) -> pd.DataFrame:
    """Read the English Indices of Deprivation 2025 (scores, ranks, deciles) by LSOA 2021.

    Returns
    -------
    pandas.DataFrame
        ``lsoa21_code`` plus ``<domain>_score``, ``<domain>_rank`` and ``<domain>_decile``
        for the IMD and its seven domains, all lower-case.
    """
    cols = [Col("lsoa21_code")]
    for d in IOD_DOMAINS:
        cols += [Col(f"{d}_score", "float"), Col(f"{d}_rank", "int"), Col(f"{d}_decile", "int")]
    df = read_csv(path, cols)
    df.columns = [c.lower() for c in df.columns]
    return df


def read_iod2025_indicators(path: Path | str) -> pd.DataFrame:
    """Read the IoD2025 underlying indicators used here: patient-to-GP ratio and connectivity.

    Returns
    -------
    pandas.DataFrame
        Columns ``lsoa21_code, patient_to_gp_ratio, connectivity_score``.
    """
    cols = [Col("lsoa21_code"), Col("patient_to_gp_ratio", "float", required=False),
            Col("connectivity_score", "float", required=False)]
    return read_csv(path, cols)


def read_rural_urban(path: Path | str) -> pd.DataFrame:
    """Read the Rural-Urban Classification 2021 of LSOAs.

    Returns
    -------
    pandas.DataFrame
        Columns ``lsoa21_code, ruc21_code, ruc_class, ruc``.
    """
    df = read_csv(path, [Col("lsoa21_code"), Col("ruc21_code"), Col("classification"), Col("ruc")])
    return df.rename(columns={"classification": "ruc_class"})
