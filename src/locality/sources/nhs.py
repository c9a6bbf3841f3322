"""NHS England readers: registered patients (mapping, age bands) and ODS epraccur."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from locality.errors import SourceError
from locality.sources.checks import Col, one_edition, read_csv

EXTRACT_DATE_FORMATS = "%d%b%Y|%Y-%m-%d|%d-%b-%Y|%d/%m/%Y"

PRACTICE_MAP_COLS = [
    Col("EXTRACT_DATE", "date", fmt=EXTRACT_DATE_FORMATS),
    Col("PRACTICE_CODE"),
    Col("PRACTICE_NAME"),
    Col("PRACTICE_POSTCODE", required=False),
    Col("PCN_CODE"),
    Col("PCN_NAME"),
    Col("ONS_SUB_ICB_LOCATION_CODE"),
    Col("SUB_ICB_LOCATION_CODE"),
    Col("SUB_ICB_LOCATION_NAME"),
    Col("ONS_ICB_CODE"),
    Col("ICB_CODE"),
    Col("ICB_NAME"),
    Col("ONS_COMM_REGION_CODE"),
    Col("COMM_REGION_CODE"),
    Col("COMM_REGION_NAME"),
]


def read_practice_map(path: Path | str) -> pd.DataFrame:
    """Read ``gp-reg-pat-prac-map.csv``: practice → PCN → sub-ICB → ICB → region.

    Parameters
    ----------
    path : Path or str
        The CSV as published (or its zip).

    Returns
    -------
    pandas.DataFrame
        One row per practice, lower-case columns, ``extract_date`` as a date.
    """
    df = read_csv(path, PRACTICE_MAP_COLS)
    one_edition(df, Path(path).name)
    dup = df["PRACTICE_CODE"].duplicated()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise SourceError(Path(path).name, f"practice {df['PRACTICE_CODE'].iloc[i]} appears twice", row=i + 2,
                          column="PRACTICE_CODE")
    df.columns = [c.lower() for c in df.columns]
    return df


PRACTICE_AGE_COLS = [
    Col("EXTRACT_DATE", "date", fmt=EXTRACT_DATE_FORMATS),
    Col("ORG_TYPE"),
    Col("ORG_CODE"),
    Col("SEX"),
    Col("AGE_GROUP_5"),
    Col("NUMBER_OF_PATIENTS", "int"),
]


def read_practice_age(path: Path | str) -> pd.DataFrame:
    """Read ``gp-reg-pat-prac-quin-age.zip``: registered patients by 5-year age band and sex.

    Only the practice rows (``ORG_TYPE = GP``) are returned, including the published
    ``ALL`` totals, so the caller can check that bands add up.

    Returns
    -------
    pandas.DataFrame
        Columns ``extract_date, practice_code, sex, age_band, patients``. ``attrs["org_totals"]``
        holds the file's published totals of every other organisation (PCN, sub-ICB, ICB,
        region, national): ``org_type, org_code, patients``, for the build's cross-checks.
    """
    df = read_csv(path, PRACTICE_AGE_COLS)
    one_edition(df, Path(path).name)
    agg = df[(df["ORG_TYPE"].str.upper() != "GP") & (df["SEX"].str.upper() == "ALL")
             & (df["AGE_GROUP_5"].str.upper() == "ALL")]
    gp = df[df["ORG_TYPE"].str.upper() == "GP"]
    if gp.empty:
        raise SourceError(Path(path).name, "no rows with ORG_TYPE = GP", column="ORG_TYPE")
    out = pd.DataFrame(
        {
            "extract_date": gp["EXTRACT_DATE"].to_numpy(),
            "practice_code": gp["ORG_CODE"].to_numpy(),
            "sex": gp["SEX"].str.upper().to_numpy(),
            "age_band": gp["AGE_GROUP_5"].str.upper().to_numpy(),
            "patients": gp["NUMBER_OF_PATIENTS"].to_numpy(),
        }
    )
    out.attrs["org_totals"] = pd.DataFrame({"org_type": agg["ORG_TYPE"].str.upper().to_numpy(),
                                            "org_code": agg["ORG_CODE"].to_numpy(),
                                            "patients": agg["NUMBER_OF_PATIENTS"].to_numpy()})
    return out


#: Column names of the headerless ODS epraccur file (ODS standard layout).
EPRACCUR_NAMES = [
    "org_code", "name", "national_grouping", "health_geography", "address_1", "address_2",
    "address_3", "address_4", "address_5", "postcode", "open_date", "close_date", "status",
    "org_sub_type", "commissioner", "join_date", "left_date", "phone", "null_18", "null_19",
    "null_20", "amended", "null_22", "provider_purchaser", "null_24", "prescribing_setting",
    "null_26",
]

EPRACCUR_COLS = [
    Col("org_code"),
    Col("name"),
    Col("address_1", required=False),
    Col("address_2", required=False),
    Col("address_3", required=False),
    Col("address_4", required=False),
    Col("address_5", required=False),
    Col("postcode", required=False),
    Col("open_date", "date", required=False, fmt="%Y%m%d"),
    Col("close_date", "date", required=False, fmt="%Y%m%d"),
    Col("status"),
    Col("phone", required=False),
    Col("prescribing_setting", "int", required=False),
]


def read_epraccur(path: Path | str) -> pd.DataFrame:
    """Read ODS ``epraccur.csv`` (no header): status, address lines, open and close dates.

    Returns
    -------
    pandas.DataFrame
        Columns ``org_code, name, address_1..address_5, postcode, open_date, close_date,
        status, phone, prescribing_setting``.
    """
    return read_csv(path, EPRACCUR_COLS, names=EPRACCUR_NAMES)
