"""Housing trajectories: the template, reading and checking a planner's CSV or XLSX of homes to be built.

Each row is a housing site: a reference and name; a postcode, or an easting and northing; the homes,
either one column per year (``2027``, ``2028``, …) or a total with a start and an end year (spread
evenly over those years); a status (permitted, allocated or other); and, optionally, the ODS code of
the practice its residents would register with (blank: the nearest practice site). It is read by the
same checked reader as estates registers (:mod:`locality.sources.tables`): every problem is reported
with its row (header = row 1) and column, and a file with any problem is refused whole.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from locality import store
from locality.errors import RegisterProblem, TrajectoryError
from locality.sources.os_codepoint import normalise_postcode
from locality.sources.tables import TableProblems, read_user_table

#: Template columns and what they hold (per-year columns, e.g. ``2027``, may be added).
COLUMNS: dict[str, str] = {
    "site_ref": "Your reference for the housing site (unique in the file), e.g. the local plan allocation",
    "site_name": "Name of the site",
    "postcode": "Postcode (or give easting and northing instead)",
    "easting": "British National Grid easting in metres (if no postcode)",
    "northing": "British National Grid northing in metres (if no postcode)",
    "dwellings": "Total homes, built evenly from start_year to end_year (or give one column per year)",
    "start_year": "First year homes are completed (with dwellings)",
    "end_year": "Last year homes are completed (with dwellings)",
    "status": "permitted, allocated or other",
    "practice": "ODS code of the practice new residents would register with (blank: the nearest practice site)",
}
REQUIRED = ("site_ref", "site_name", "status")
STATUSES = ("permitted", "allocated", "other")
#: Years a trajectory may cover.
YEARS = (2000, 2100)
#: The most homes one site may add in one year, and in all.
MAX_DWELLINGS_YEAR = 10_000
MAX_DWELLINGS = 100_000
MAX_ROWS = 5_000
MAX_FILE_BYTES = 2_000_000
MAX_XLSX_BYTES = 1_000_000
MAX_TEXT = {"site_ref": 64, "site_name": 200}
YEAR_COLUMN = re.compile(r"^(\d{4})$")
#: British National Grid bounds of England (metres), for an easting/northing given without a postcode.
BNG_BOUNDS = ((82_000, 656_000), (5_000, 658_000))

#: The columns of a checked trajectory (one row per site and year with homes).
TRAJECTORY_COLUMNS = ["site_ref", "site_name", "postcode", "easting", "northing", "status", "practice", "year",
                      "dwellings"]


def template_csv() -> str:
    """Return the trajectory template as CSV text: the header, a total-and-years row and a per-year row."""
    header = ",".join([*COLUMNS, "2027", "2028", "2029"])
    return (f"{header}\n"
            "H1,Land east of the village,MK43 0AJ,,,300,2027,2032,allocated,,,,\n"
            "H2,Former depot,,498000,242000,,,,permitted,E81043,40,60,60\n")


def template_help() -> pd.DataFrame:
    """Return what each template column holds, and whether it is required (for the page)."""
    return pd.DataFrame({"column": [*COLUMNS, "2027, 2028, …"],
                         "holds": [*COLUMNS.values(), "Homes completed in that year (instead of dwellings)"],
                         "required": [c in REQUIRED for c in COLUMNS] + [False]})


def read_trajectory(data: bytes, filename: str, con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Read and check a housing trajectory; geocode postcodes with the store's Code-Point Open table.

    Parameters
    ----------
    data, filename : bytes, str
        The uploaded file (``.csv`` or ``.xlsx``) and its name, used in messages.
    con : DuckDB connection
        The store (postcodes, practice codes).

    Returns
    -------
    DataFrame
        :data:`TRAJECTORY_COLUMNS`, one row per site and year with homes; ``attrs["notes"]`` says what
        was assumed.

    Raises
    ------
    TrajectoryError
        Listing every problem with its row and column (and sheet, for a workbook).
    """
    expected = [*COLUMNS, *(str(y) for y in range(2020, 2061))]
    try:
        t = read_user_table(data, filename, REQUIRED, expected,
                            MAX_XLSX_BYTES if filename.lower().endswith((".xlsx", ".xlsm")) else MAX_FILE_BYTES)
    except TableProblems as exc:
        raise TrajectoryError(filename, exc.problems) from None
    year_cols = {h: int(m.group(1)) for h in t.header if (m := YEAR_COLUMN.match(h or ""))}
    unknown = [h for h in dict.fromkeys(t.header) if h and h not in COLUMNS and h not in year_cols]
    notes = list(t.notes) + ([f"Columns not in the template were not read: {', '.join(unknown)}."] if unknown else [])
    idx = {h: j for j, h in reversed(list(enumerate(t.header))) if h in COLUMNS or h in year_cols}
    rows = [{c: (r[idx[c]].strip() if c in idx and idx[c] < len(r) else "") for c in [*COLUMNS, *year_cols]}
            for r in t.rows]
    return check_trajectory_rows(rows, t.where, year_cols, filename, con, notes)


def check_trajectory_rows(rows: list[dict[str, str]], lines: list, year_cols: dict[str, int], filename: str,
                          con: duckdb.DuckDBPyConnection, notes: list[str] | None = None) -> pd.DataFrame:
    """Check trajectory rows given as text (for an uploaded file and one embedded in a scenario file alike)."""
    problems: list[RegisterProblem] = []
    if len(rows) > MAX_ROWS:
        raise TrajectoryError(filename, [RegisterProblem(lines[MAX_ROWS][1], "-", f"more than {MAX_ROWS:,} rows",
                                                         lines[MAX_ROWS][0])])
    given = sorted({r["postcode"] for r in rows if r.get("postcode")})
    normal = dict(zip(given, normalise_postcode(pd.Series(given, dtype=object)), strict=True)) if given else {}
    found = store.postcode_coordinates(con, sorted({v for v in normal.values() if isinstance(v, str)}))
    known = store.practice_codes(con)
    seen: dict[str, int] = {}
    out: list[dict] = []
    for r, (sheet, line) in zip(rows, lines, strict=True):
        if not any(r.values()):
            continue

        def bad(col, msg, line=line, sheet=sheet):
            problems.append(RegisterProblem(line, col, msg, sheet))

        out += _check_row(r, line, bad, seen, year_cols, normal, found, known)
    if not out and not problems:
        problems.append(RegisterProblem(lines[0][1] if lines else 2, "-", "the file has no homes to build"))
    if problems:
        raise TrajectoryError(filename, problems)
    frame = pd.DataFrame(out, columns=TRAJECTORY_COLUMNS)
    frame.attrs["notes"] = list(notes or [])
    return frame


def _check_row(r: dict, line: int, bad, seen: dict, year_cols: dict, normal: dict, found: dict,
               known: set) -> list[dict]:
    ref, name = r["site_ref"], r["site_name"]
    for col in ("site_ref", "site_name"):
        if not r[col]:
            bad(col, "value is blank")
        elif len(r[col]) > MAX_TEXT[col]:
            bad(col, f"longer than {MAX_TEXT[col]} characters")
    if ref and ref in seen:
        bad("site_ref", f"site {ref!r} appears twice (rows {seen[ref]} and {line})")
    seen.setdefault(ref, line)
    status = r["status"].lower()
    if status not in STATUSES:
        bad("status", f"expected one of {', '.join(STATUSES)}, found {r['status']!r}")
    practice = r["practice"].upper() or None
    if practice and practice not in known:
        bad("practice", f"{r['practice']!r} is not a practice in the store (an ODS code such as E81043)")
    e, n, postcode = _location(r, bad, normal, found)
    by_year = _homes(r, bad, year_cols)
    return [{"site_ref": ref, "site_name": name, "postcode": postcode, "easting": e, "northing": n, "status": status,
             "practice": practice, "year": y, "dwellings": d} for y, d in by_year.items() if d > 0]


def _location(r: dict, bad, normal: dict, found: dict) -> tuple:
    if r["postcode"]:
        pc = normal.get(r["postcode"])
        if not isinstance(pc, str) or pc not in found:
            bad("postcode", f"{r['postcode']!r} is not a postcode in Code-Point Open")
            return None, None, None
        e, n = found[pc]
        return float(e), float(n), pc
    if not r["easting"] and not r["northing"]:
        bad("postcode", "give a postcode, or an easting and northing")
        return None, None, None
    vals = []
    for col, (lo, hi) in zip(("easting", "northing"), BNG_BOUNDS, strict=True):
        try:
            v = float(r[col])
        except ValueError:
            bad(col, f"expected a number of metres, found {r[col]!r}")
            continue
        if not lo <= v <= hi:
            bad(col, f"{v:,.0f} is outside England ({lo:,} to {hi:,} m)")
            continue
        vals.append(v)
    return (vals[0], vals[1], None) if len(vals) == 2 else (None, None, None)


def _whole(text: str, col: str, bad, lo: int, hi: int) -> int | None:
    try:
        v = float(text)
    except ValueError:
        bad(col, f"expected a whole number, found {text!r}")
        return None
    if not lo <= v <= hi or v != int(v):  # the range first: "inf" and "nan" fail it, and int() is never asked
        bad(col, f"expected a whole number from {lo:,} to {hi:,}, found {text!r}")
        return None
    return int(v)


def _homes(r: dict, bad, year_cols: dict) -> dict[int, float]:
    """Homes completed per year: from the per-year columns, or the total spread evenly over its years."""
    per_year = {y: r[c] for c, y in year_cols.items() if r.get(c)}
    total = r["dwellings"]
    if per_year and (total or r["start_year"] or r["end_year"]):
        bad("dwellings", "give either dwellings with start_year and end_year, or homes per year, not both")
        return {}
    if per_year:
        out = {}
        for c, y in year_cols.items():
            if r.get(c):
                v = _whole(r[c], c, bad, 0, MAX_DWELLINGS_YEAR)
                if v is not None and not YEARS[0] <= y <= YEARS[1]:
                    bad(c, f"year {y} is outside {YEARS[0]}–{YEARS[1]}")
                elif v is not None:
                    out[y] = float(v)
        return out
    if not total:
        bad("dwellings", "give dwellings with start_year and end_year, or homes per year (columns such as 2027)")
        return {}
    d = _whole(total, "dwellings", bad, 1, MAX_DWELLINGS)
    y0 = _whole(r["start_year"], "start_year", bad, *YEARS) if r["start_year"] else None
    y1 = _whole(r["end_year"], "end_year", bad, *YEARS) if r["end_year"] else None
    if r["start_year"] == "" or r["end_year"] == "":
        bad("start_year" if not r["start_year"] else "end_year", "needed with dwellings")
        return {}
    if d is None or y0 is None or y1 is None:
        return {}
    if y1 < y0:
        bad("end_year", f"{y1} is before start_year {y0}")
        return {}
    span = y1 - y0 + 1
    return {y: d / span for y in range(y0, y1 + 1)}
