"""Reader for a planner's travel-time matrix: ``lsoa21_code, site_id, minutes``."""

from __future__ import annotations

import pandas as pd

from locality.errors import SourceError
from locality.sources.checks import Col, check_frame, parse_csv_bytes


def read_travel_matrix(data: bytes, filename: str) -> pd.DataFrame:
    """Read a travel matrix CSV: ``lsoa21_code, site_id, minutes`` (one row per origin LSOA and site).

    Parameters
    ----------
    data : bytes
        The file's contents.
    filename : str
        The file's name, as the planner knows it (used in messages).

    Returns
    -------
    DataFrame
        ``lsoa21_code, site_id, minutes`` as read.

    Raises
    ------
    SourceError
        Naming the file, row and column of a missing column, blank or non-numeric value.
    """
    if not data.strip():
        raise SourceError(filename, "file is empty")
    df = check_frame(parse_csv_bytes(data, filename),
                     [Col("lsoa21_code"), Col("site_id"), Col("minutes", "float")], filename)
    neg = df["minutes"] < 0
    if neg.any():
        i = int(neg.to_numpy().nonzero()[0][0])
        raise SourceError(filename, f"negative minutes {df['minutes'].iloc[i]}", row=i + 2, column="minutes")
    return df
