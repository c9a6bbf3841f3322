"""Reader for a planner's travel-time matrix: ``lsoa21_code, site_id, minutes``.

One checked reader for a matrix uploaded on the Hubs & estates page, given to the CLI
(``--matrix``) or embedded in a scenario file: duplicate pairs, minutes that are not finite,
negative or beyond a day, and LSOA codes the store does not know are refused with the rows at
fault listed. Which site ids a matrix must hold depends on the sites appraised, so
:func:`locality.travel.matrix.from_matrix` refuses unknown site ids there.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from locality.errors import SourceError
from locality.sources.checks import Col, check_frame, parse_csv_bytes
from locality.sources.tables import TableProblems, check_size, decode_text

#: The largest matrix file read (bytes): every LSOA of a large sub-ICB (about 1,200) to 120 sites.
MAX_FILE_BYTES = 10_000_000
#: Minutes above this (a day) are refused: no journey to a GP site takes longer.
MAX_MINUTES = 24 * 60
COLUMNS = ["lsoa21_code", "site_id", "minutes"]


def rows_text(rows: np.ndarray, limit: int = 8) -> str:
    """Return row numbers as ``"rows 3, 7 and 9"`` (at most ``limit`` shown, then how many more)."""
    shown = [str(int(r)) for r in rows[:limit]]
    more = f" and {len(rows) - limit:,} more" if len(rows) > limit else ""
    if len(shown) == 1 and not more:
        return f"row {shown[0]}"
    return f"rows {', '.join(shown[:-1])} and {shown[-1]}" if not more else f"rows {', '.join(shown)}{more}"


def read_travel_matrix(data: bytes, filename: str, con: duckdb.DuckDBPyConnection | None = None) -> pd.DataFrame:
    """Read a travel matrix CSV: ``lsoa21_code, site_id, minutes`` (one row per origin LSOA and site).

    Parameters
    ----------
    data : bytes
        The file's contents (at most :data:`MAX_FILE_BYTES`).
    filename : str
        The file's name, as the planner knows it (used in messages).
    con : DuckDB connection, optional
        The store: LSOA codes it does not hold are refused.

    Returns
    -------
    DataFrame
        ``lsoa21_code, site_id, minutes`` as read. ``attrs``: ``notes`` (the encoding and separator
        assumed), ``file`` and ``first_row`` (for messages about its rows later).

    Raises
    ------
    SourceError
        Naming the file, the rows and the column at fault.
    """
    try:
        check_size(data, MAX_FILE_BYTES)
        text, notes = decode_text(data)
    except TableProblems as exc:
        p = exc.problems[0]
        raise SourceError(filename, p.message, row=p.row if p.row > 1 else None) from None
    header = text.split("\n", 1)[0]
    sep = max((",", ";", "\t"), key=header.count)
    if sep != ",":
        notes.append(f"Columns are separated by {'semicolons' if sep == ';' else 'tabs'} (read as such).")
        text = "\n".join(",".join(f'"{c}"' if "," in c else c for c in ln.split(sep)) for ln in text.split("\n"))
    frame = parse_csv_bytes(text.encode("utf-8"), filename)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    dup = frame.columns[frame.columns.duplicated()]
    if len(dup):
        raise SourceError(filename, "column appears twice", row=1, column=str(dup[0]))
    df = check_frame(frame, [Col("lsoa21_code"), Col("site_id"), Col("minutes", "float")], filename)
    df["lsoa21_code"] = df["lsoa21_code"].str.strip().str.upper()
    df["site_id"] = df["site_id"].str.strip()
    check_matrix(df, filename, con)
    df = df.reset_index(drop=True)
    df.attrs.update(notes=notes, file=filename, first_row=2)
    return df


def check_matrix(df: pd.DataFrame, filename: str, con: duckdb.DuckDBPyConnection | None = None,
                 first_row: int = 2) -> None:
    """Refuse non-finite, negative or over-long minutes, duplicate pairs and unknown LSOA codes.

    ``first_row`` is the number given to the frame's first row (2 for a file with a header,
    1 for the rows embedded in a scenario file).
    """
    rows = np.arange(len(df)) + first_row
    minutes = pd.to_numeric(df["minutes"], errors="coerce").to_numpy(dtype=float)
    for bad, what in ((~np.isfinite(minutes), "is not a finite number"),
                      (minutes < 0, "is negative"),
                      (minutes > MAX_MINUTES, f"is more than {MAX_MINUTES:,} (a day)")):
        if bad.any():
            raise SourceError(filename, f"minutes {what} on {rows_text(rows[bad])} "
                                        f"(first: {minutes[bad][0]!r})", column="minutes")
    dup = df.duplicated(["lsoa21_code", "site_id"], keep=False).to_numpy()
    if dup.any():
        first = df[dup].iloc[0]
        raise SourceError(filename, f"the same LSOA and site appear more than once, on {rows_text(rows[dup])} "
                                    f"(first: {first['lsoa21_code']} → {first['site_id']})", column="lsoa21_code")
    if con is not None:
        from locality.store import known

        have = known.known_lsoas(con, df["lsoa21_code"])
        unknown = ~df["lsoa21_code"].isin(have).to_numpy()
        if unknown.any():
            raise SourceError(filename, f"LSOA code(s) not in the LSOA 2021 boundaries, e.g. "
                                        f"{df['lsoa21_code'][unknown].iloc[0]!r}, on {rows_text(rows[unknown])}",
                              column="lsoa21_code")
