"""OHID Fingertips readers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from locality.sources.checks import Col, read_csv

PRACTICE_IMD_COLS = [Col("PRACTICE_CODE"), Col("IMD_YEAR", "int"), Col("IMD_SCORE", "float", required=False)]


def read_practice_imd(path: Path | str) -> pd.DataFrame:
    """Read the Fingertips practice-level IMD score (indicator 94240, IMD 2025).

    Returns
    -------
    pandas.DataFrame
        Columns ``practice_code, imd_year, imd_score``.
    """
    df = read_csv(path, PRACTICE_IMD_COLS)
    df.columns = [c.lower() for c in df.columns]
    return df
