"""NHS England's older registered-list totals: ``gp-reg-pat-prac-all.csv``, one row per practice.

*Patients Registered at a GP Practice* has published the same totals file for years, with the
commissioner column renamed when CCGs gave way to sub-ICB locations (July 2022):

- January 2021 and before: ``PUBLICATION, EXTRACT_DATE, TYPE, CCG_CODE, ONS_CCG_CODE, CODE, POSTCODE,
  SEX, AGE, NUMBER_OF_PATIENTS``;
- from July 2022 (the May 2025 file here): ``… SUB_ICB_LOCATION_CODE, ONS_SUB_ICB_LOCATION_CODE …``.

Both are read by :func:`read_list_totals`; the commissioner's code is kept only as published
(``commissioner_code`` and ``commissioner_kind``), because 2021's CCG codes do not map one to one on
today's sub-ICBs: a practice's area at each edition is placed from its postcode instead (the build).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from locality.errors import SourceError
from locality.sources.checks import Col, one_edition, read_csv
from locality.sources.nhs import EXTRACT_DATE_FORMATS
from locality.sources.os_codepoint import normalise_postcode

#: The commissioner column of each layout, and what it names.
COMMISSIONER_COLUMNS = {"SUB_ICB_LOCATION_CODE": "sub-ICB location", "CCG_CODE": "CCG"}

LIST_TOTAL_COLS = [
    Col("EXTRACT_DATE", "date", fmt=EXTRACT_DATE_FORMATS),
    Col("TYPE"),
    Col("CODE"),
    Col("POSTCODE", required=False),
    Col("SEX"),
    Col("AGE"),
    Col("NUMBER_OF_PATIENTS", "int"),
]

#: The largest list a practice can plausibly hold (the largest in England is about 120,000).
MAX_PRACTICE_LIST = 1_000_000


def read_list_totals(path: Path | str) -> pd.DataFrame:
    """Read a ``gp-reg-pat-prac-all.csv`` totals file (CCG-coded or sub-ICB-coded).

    Parameters
    ----------
    path : Path or str
        The CSV as published (or a ``.zip``/``.gz`` holding it).

    Returns
    -------
    pandas.DataFrame
        One row per practice: ``extract_date, practice_code, postcode, commissioner_code, patients``;
        ``attrs["commissioner_kind"]`` is ``"CCG"`` or ``"sub-ICB location"``.

    Raises
    ------
    SourceError
        A column missing (neither commissioner column), a value of the wrong type, more than one
        extract date, no practice total rows, a practice twice, or a negative or implausible list
        (the message names the file, row and column).
    """
    name = Path(path).name
    df = read_csv(path, LIST_TOTAL_COLS, usecols_only=False)
    found = [c for c in COMMISSIONER_COLUMNS if c in df.columns]
    if not found:
        raise SourceError(name, "missing column: neither SUB_ICB_LOCATION_CODE nor CCG_CODE (found: "
                          f"{', '.join(map(str, df.columns[:12]))})", column="SUB_ICB_LOCATION_CODE")
    com = found[0]
    line = pd.Series(range(2, len(df) + 2), index=df.index)
    one_edition(df, name)
    keep = ((df["TYPE"].str.upper() == "GP") & (df["SEX"].str.upper() == "ALL") & (df["AGE"].str.upper() == "ALL"))
    gp = df[keep.to_numpy(dtype=bool)]
    if gp.empty:
        raise SourceError(name, "no practice totals (rows with TYPE = GP, SEX = ALL, AGE = ALL)", column="TYPE")
    _check_rows(gp, line, name, com)
    out = pd.DataFrame({
        "extract_date": gp["EXTRACT_DATE"].to_numpy(),
        "practice_code": gp["CODE"].str.strip().str.upper().to_numpy(),
        "postcode": normalise_postcode(gp["POSTCODE"]).to_numpy(),
        "commissioner_code": gp[com].astype(object).to_numpy(),
        "patients": gp["NUMBER_OF_PATIENTS"].astype("int64").to_numpy(),
    })
    out.attrs["commissioner_kind"] = COMMISSIONER_COLUMNS[com]
    return out


def _check_rows(gp: pd.DataFrame, line: pd.Series, name: str, com: str) -> None:
    blank = gp[com].isna() | (gp[com].astype(str).str.strip() == "")
    if blank.any():
        raise SourceError(name, "value is blank", row=int(line[blank[blank].index[0]]), column=com)
    dup = gp["CODE"].str.strip().str.upper().duplicated()
    if dup.any():
        i = dup[dup].index[0]
        raise SourceError(name, f"practice {gp.loc[i, 'CODE']} appears twice", row=int(line[i]), column="CODE")
    n = gp["NUMBER_OF_PATIENTS"]
    bad = (n < 0) | (n > MAX_PRACTICE_LIST)
    if bad.any():
        i = bad[bad].index[0]
        raise SourceError(name, f"a practice list of {int(n[i]):,} is not possible (0 to {MAX_PRACTICE_LIST:,})",
                          row=int(line[i]), column="NUMBER_OF_PATIENTS")
