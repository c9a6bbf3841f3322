"""Readers for access to GP practices by LSOA: CDRC's AHAH v3 and ONS's postcode → LSOA 2011 lookup."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from locality.sources.checks import Col, read_csv


def read_ahah(path: Path | str) -> pd.DataFrame:
    """Read CDRC's Access to Healthy Assets & Hazards v3: drive time to the nearest GP by LSOA 2011.

    Returns
    -------
    pandas.DataFrame
        ``lsoa11_code, ahah_gp_minutes`` (English LSOAs, E01…): minutes by car on OS Open Roads
        to the nearest GP practice (NHS Digital, February 2022), median over the LSOA's postcodes.
    """
    df = read_csv(path, [Col("lsoa11"), Col("gp", "float")])
    df = df.rename(columns={"lsoa11": "lsoa11_code", "gp": "ahah_gp_minutes"})
    return df[df["lsoa11_code"].str.startswith("E01")].reset_index(drop=True)


def read_postcode_lsoa11(path: Path | str) -> pd.DataFrame:
    """Read ONS's postcode → OA/LSOA 2011 best-fit lookup (May 2022; live English postcodes).

    Returns
    -------
    pandas.DataFrame
        ``postcode`` ("AB1 2CD"), ``usertype`` (0: small user, i.e. residential; 1: large user)
        and ``lsoa11_code``.
    """
    df = read_csv(path, [Col("pcds"), Col("usertype", "int"), Col("lsoa11cd")])
    return df.rename(columns={"pcds": "postcode", "lsoa11cd": "lsoa11_code"})
