"""NHS England's registered patients by practice and LSOA (``gp-reg-pat-prac-lsoa-*.csv``).

*Patients Registered at a GP Practice* publishes every month, for every practice in England, how
many of its patients live in each LSOA (``gp-reg-pat-prac-lsoa-all.csv``, and by sex in
``gp-reg-pat-prac-lsoa-male-female.zip``). The file is read as published:

- ``LSOA_CODE`` is an English LSOA code (``E01…``): an LSOA 2021 code in recent editions (every
  English code of the July 2026 file is one), an LSOA **2011** code in older ones. A code that is
  an LSOA 2021 code is kept as it is (an unchanged LSOA 2011 has the same code); an LSOA 2011 code
  that 2021 no longer has is mapped with the ONS LSOA 2011 → 2021 lookup, and one that was split
  (or changed irregularly) shares its patients among its LSOA 2021s in proportion to their Census
  2021 residents.
- Welsh (``W01…``), Scottish (``S01…``) and Northern Irish codes, the placeholders for patients
  without a usable postcode (values beginning ``EMP``, ``CLO``, ``L99``, or ``NO2011``) and any
  English code neither lookup knows are never dropped silently: :func:`to_lsoa21` returns them,
  counted per practice, beside the placed patients, so every practice's total is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from locality.errors import SourceError
from locality.sources.checks import Col, one_edition, read_csv
from locality.sources.nhs import EXTRACT_DATE_FORMATS

REGISTERED_LSOA_COLS = [
    Col("PUBLICATION", required=False),
    Col("EXTRACT_DATE", "date", fmt=EXTRACT_DATE_FORMATS),
    Col("PRACTICE_CODE"),
    Col("PRACTICE_NAME", required=False),
    Col("LSOA_CODE"),
    Col("SEX"),
    Col("NUMBER_OF_PATIENTS", "int"),
]

#: The values of ``SEX`` in the published files.
SEXES = ("ALL", "FEMALE", "MALE")

#: Kinds of code that cannot be placed in an English LSOA 2021, and how they are reported.
UNPLACED_KINDS = {
    "wales": "Welsh LSOA (W01)",
    "scotland": "Scottish data zone (S01)",
    "northern_ireland": "Northern Irish area (N)",
    "no_postcode": "no usable postcode (EMPTY, CLOSED, L99…)",
    "unknown_lsoa": "English code in neither the LSOA 2011 nor the LSOA 2021 lookup",
}


def read_registered_lsoa(path: Path | str) -> pd.DataFrame:
    """Read one published LSOA file (``all``, ``female`` or ``male``; national or a subset).

    Parameters
    ----------
    path : Path or str
        The CSV as published (or a zip holding it).

    Returns
    -------
    pandas.DataFrame
        Columns ``extract_date, practice_code, practice_name, lsoa_code, sex, patients``, one row
        per published row.

    Raises
    ------
    SourceError
        A missing column, a blank or non-numeric value, a negative count, an unknown ``SEX``, or a
        practice and LSOA given twice for one sex; the message names the file, row and column.
    """
    label = Path(path).name
    df = read_csv(path, REGISTERED_LSOA_COLS)
    one_edition(df, Path(path).name)
    sex = df["SEX"].str.upper()
    _fail_at(label, ~sex.isin(SEXES), "SEX", lambda v: f"SEX must be one of {', '.join(SEXES)}, found {v!r}", df["SEX"])
    _fail_at(label, df["NUMBER_OF_PATIENTS"] < 0, "NUMBER_OF_PATIENTS",
             lambda v: f"a count of patients cannot be negative (found {v})", df["NUMBER_OF_PATIENTS"])
    key = pd.DataFrame({"p": df["PRACTICE_CODE"], "l": df["LSOA_CODE"].str.upper(), "s": sex})
    _fail_at(label, key.duplicated(), "LSOA_CODE",
             lambda v: f"practice and LSOA {v} are given twice for one sex",
             key["p"] + " / " + key["l"])
    return pd.DataFrame({
        "extract_date": df["EXTRACT_DATE"].to_numpy(),
        "practice_code": df["PRACTICE_CODE"].to_numpy(),
        "practice_name": df["PRACTICE_NAME"].to_numpy(),
        "lsoa_code": key["l"].to_numpy(),
        "sex": sex.to_numpy(),
        "patients": df["NUMBER_OF_PATIENTS"].astype("int64").to_numpy(),
    })


def _fail_at(label: str, bad: pd.Series, column: str, message, values: pd.Series) -> None:
    bad = bad.fillna(False).to_numpy(dtype=bool)
    if bad.any():
        i = int(bad.nonzero()[0][0])
        raise SourceError(label, message(values.iloc[i]), row=i + 2, column=column)


def code_kind(codes: pd.Series) -> pd.Series:
    """Return the kind of each ``LSOA_CODE``: ``england`` or one of :data:`UNPLACED_KINDS`'s keys.

    ``england`` means a code of the form ``E01`` + six digits; whether the lookups know it is
    decided by :func:`to_lsoa21`.
    """
    c = codes.astype(str).str.upper().str.strip()
    kind = np.select(
        [c.str.fullmatch(r"E01\d{6}"), c.str.fullmatch(r"W01\d{6}"), c.str.fullmatch(r"S01\d{6}"),
         c.str.fullmatch(r"N\d{8}")],
        ["england", "wales", "scotland", "northern_ireland"], default="no_postcode")
    return pd.Series(kind, index=codes.index)


@dataclass(frozen=True)
class Placed:
    """Registered patients placed in LSOA 2021s, and those that could not be.

    Attributes
    ----------
    placed : DataFrame
        ``practice_code, sex, lsoa21_code, patients`` (float: a split LSOA 2011 shares its patients).
    unplaced : DataFrame
        ``practice_code, sex, kind, patients, codes`` (``kind`` a key of :data:`UNPLACED_KINDS`;
        ``codes`` the distinct published codes, comma-separated).
    splits : DataFrame
        ``lsoa11_code, lsoa21_code, share``: how each LSOA 2011 found in the file was shared out.
    """

    placed: pd.DataFrame
    unplaced: pd.DataFrame
    splits: pd.DataFrame


def to_lsoa21(rows: pd.DataFrame, lsoa11: pd.DataFrame, residents: pd.DataFrame) -> Placed:
    """Map the published rows to LSOA 2021, apportioning splits by Census 2021 residents.

    Parameters
    ----------
    rows : DataFrame
        From :func:`read_registered_lsoa` (any mix of sexes and files).
    lsoa11 : DataFrame
        ``lsoa11_code, lsoa21_code`` (the ONS LSOA 2011 → 2021 lookup,
        :func:`locality.sources.read_lsoa11_lsoa21`).
    residents : DataFrame
        ``lsoa21_code, residents`` (Census 2021 usual residents; also the set of LSOA 2021 codes).

    Returns
    -------
    Placed
        The placed and the unplaced patients; per practice and sex their sum is the file's total.
    """
    kind = code_kind(rows["lsoa_code"])
    res = residents.drop_duplicates("lsoa21_code").set_index("lsoa21_code")["residents"].astype(float)
    lu = lsoa11[["lsoa11_code", "lsoa21_code"]].drop_duplicates()
    lu = lu[lu["lsoa21_code"].isin(res.index)].copy()
    lu["res"] = lu["lsoa21_code"].map(res).fillna(0.0)
    tot = lu.groupby("lsoa11_code")["res"].transform("sum")
    n = lu.groupby("lsoa11_code")["res"].transform("size")
    lu["share"] = np.where(tot > 0, lu["res"] / tot.where(tot > 0, 1.0), 1.0 / n)
    # An LSOA 2021 code is kept as it is (it is also the unchanged LSOA 2011 code); only the 2011
    # codes that 2021 no longer has (split, merged, irregular) go through the lookup.
    direct = rows["lsoa_code"].isin(res.index)
    known11 = ~direct & rows["lsoa_code"].isin(lu["lsoa11_code"])
    kind = kind.where(~((kind == "england") & ~known11 & ~direct), "unknown_lsoa")

    eng = rows[(kind == "england") & known11]
    via = eng.merge(lu[["lsoa11_code", "lsoa21_code", "share"]], left_on="lsoa_code", right_on="lsoa11_code")
    via["patients"] = via["patients"] * via["share"]
    same = rows[(kind == "england") & direct].assign(lsoa21_code=lambda d: d["lsoa_code"])
    placed = (pd.concat([via[["practice_code", "sex", "lsoa21_code", "patients"]],
                         same[["practice_code", "sex", "lsoa21_code", "patients"]].astype({"patients": float})])
              .groupby(["practice_code", "sex", "lsoa21_code"], as_index=False)["patients"].sum())
    off = rows[kind != "england"].assign(kind=kind[kind != "england"])
    unplaced = (off.groupby(["practice_code", "sex", "kind"], as_index=False)
                .agg(patients=("patients", "sum"), codes=("lsoa_code", lambda s: ",".join(sorted(set(s))))))
    unplaced["patients"] = unplaced["patients"].astype("int64")
    used = lu[lu["lsoa11_code"].isin(set(eng["lsoa_code"]))]
    return Placed(placed.reset_index(drop=True), unplaced.reset_index(drop=True),
                  used[["lsoa11_code", "lsoa21_code", "share"]].reset_index(drop=True))
