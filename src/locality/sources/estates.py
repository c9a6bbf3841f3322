"""Estates registers: the template, reading and checking a CSV or XLSX register.

No public estates data exists for GP premises, so floor areas, tenure, leases, condition and
running costs come only from a register the user uploads. Every problem in a file is reported
with its row (as numbered in the spreadsheet, header = row 1) and column; a file with any
problem is rejected whole.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable

import duckdb
import pandas as pd

from locality import store
from locality.errors import RegisterError, RegisterProblem
from locality.sources.os_codepoint import normalise_postcode

#: Template columns and what they hold.
COLUMNS: dict[str, str] = {
    "site_id": "Your identifier for the building (unique in the file)",
    "site_name": "Name of the building",
    "postcode": "Postcode (or give easting and northing instead)",
    "easting": "British National Grid easting in metres (if no postcode)",
    "northing": "British National Grid northing in metres (if no postcode)",
    "practices": "ODS codes of the practices using the site, separated by ; (one or many)",
    "gia_m2": "Gross internal area in square metres",
    "clinical_rooms": "Number of clinical rooms",
    "tenure": "freehold, leasehold, NHS Property Services, Community Health Partnerships or other",
    "lease_end": "Lease end date (YYYY-MM-DD or DD/MM/YYYY)",
    "condition": "Condition category A (as new) to D (life expired)",
    "running_cost_gbp": "Annual running cost in pounds",
    "must_keep": "yes if the site must stay open",
    "must_close": "yes if the site must close",
}
REQUIRED = ("site_id", "site_name", "practices")
TENURES = {"freehold": "freehold", "leasehold": "leasehold", "nhs property services": "NHS Property Services",
           "nhsps": "NHS Property Services", "community health partnerships": "Community Health Partnerships",
           "chp": "Community Health Partnerships", "other": "other"}
TRUE = {"yes", "y", "true", "1", "x"}
FALSE = {"no", "n", "false", "0", ""}


def template_csv() -> str:
    """Return the register template as CSV text: the header row and an example row."""
    header = ",".join(COLUMNS)
    example = ("S1,Kings Corner Surgery,SL5 0AE,,,K81010,650,9,leasehold,2031-03-31,B,98000,no,no")
    return f"{header}\n{example}\n"


def template_help() -> pd.DataFrame:
    """Return what each template column holds, and whether it is required (for the page)."""
    return pd.DataFrame({"column": list(COLUMNS), "holds": list(COLUMNS.values()),
                         "required": [c in REQUIRED for c in COLUMNS]})


def _read_table(data: bytes, filename: str) -> pd.DataFrame:
    name = filename.lower()
    try:
        if name.endswith((".xlsx", ".xlsm")):
            df = pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl")
        elif name.endswith(".csv"):
            df = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig",
                             skip_blank_lines=False)
        else:
            raise RegisterError(filename, [RegisterProblem(1, "-", "upload a .csv or .xlsx file")])
    except RegisterError:
        raise
    except Exception as exc:  # pandas and openpyxl raise many types for unreadable files
        raise RegisterError(filename, [RegisterProblem(1, "-", f"cannot be read ({exc})")]) from exc
    df.columns = [str(c).strip().lower() for c in df.columns]
    dup = df.columns[df.columns.duplicated()]
    if len(dup):
        raise RegisterError(filename, [RegisterProblem(1, c, "column appears twice") for c in sorted(set(dup))])
    # keep the spreadsheet's row numbers (header = row 1): index i is row i + 2, blank rows included
    df.index = range(len(df))
    return df.fillna("").astype(str).apply(lambda s: s.str.strip())


def read_register(data: bytes, filename: str, con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Read and check an estates register; geocode postcodes with the store's Code-Point Open table.

    Parameters
    ----------
    data : bytes
        The uploaded file.
    filename : str
        Its name (``.csv`` or ``.xlsx``), used in messages.
    con : DuckDB connection
        The store, for its practice codes (:func:`locality.store.practice_codes`) and postcode
        coordinates (:func:`locality.store.postcode_coordinates`).

    Returns
    -------
    DataFrame
        One row per site with typed columns, ``easting``/``northing`` filled from the postcode.

    Raises
    ------
    RegisterError
        Listing every problem with its row and column.
    """
    df = _read_table(data, filename)
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise RegisterError(filename, [RegisterProblem(1, c, "required column is missing") for c in missing])
    if df.empty:
        raise RegisterError(filename, [RegisterProblem(2, "-", "the file has no sites")])
    for c in COLUMNS:
        if c not in df.columns:
            df[c] = ""
    known_practices = store.practice_codes(con)
    found = store.postcode_coordinates(con, _postcodes(df))
    problems: list[RegisterProblem] = []
    rows = []
    seen: dict[str, int] = {}
    for i, r in df.iterrows():
        line = int(i) + 2
        if not any(r[c] for c in df.columns):
            continue  # a blank row

        def bad(col, msg, line=line):
            problems.append(RegisterProblem(line, col, msg))

        rows.append(_check_row(r, line, bad, seen, known_practices, found))
    if not rows and not problems:
        problems.append(RegisterProblem(2, "-", "the file has no sites"))
    if problems:
        raise RegisterError(filename, problems)
    return pd.DataFrame(rows)


#: Records one problem in a column of the row being checked: ``bad(column, message)``.
_Bad = Callable[[str, str], None]


def _postcodes(df: pd.DataFrame) -> list[str]:
    """Return the distinct normalised postcodes the register gives, sorted."""
    return sorted({p for p in normalise_postcode(df["postcode"].where(df["postcode"] != "")).dropna()})


def _check_row(r: pd.Series, line: int, bad: _Bad, seen: dict[str, int], known_practices: set[str],
               found: dict[str, tuple[int, int]]) -> dict:
    """Check one register row (problems go to ``bad``) and return it typed."""
    for c in REQUIRED:
        if not r[c]:
            bad(c, "is blank")
    if r["site_id"]:
        if r["site_id"] in seen:
            bad("site_id", f"{r['site_id']!r} already used on row {seen[r['site_id']]}")
        seen.setdefault(r["site_id"], line)
    codes = sorted({c.strip().upper() for c in r["practices"].replace(",", ";").split(";") if c.strip()})
    unknown = [c for c in codes if c not in known_practices]
    if unknown:
        bad("practices", f"unknown ODS code(s) {', '.join(unknown)}")
    e, n = _location(r, bad, found)
    return {"site_id": r["site_id"], "site_name": r["site_name"], "postcode": r["postcode"] or None,
            "easting": e, "northing": n, "practices": ";".join(codes), **_estate_fields(r, bad)}


def _location(r: pd.Series, bad: _Bad, found: dict[str, tuple[int, int]]) -> tuple:
    """Return the row's (easting, northing): its postcode's, or as given; (None, None) if neither works."""
    if r["postcode"]:
        pc = normalise_postcode(pd.Series([r["postcode"]])).iloc[0]
        if pc in found:
            return found[pc]
        bad("postcode", f"{r['postcode']!r} is not in Code-Point Open")
        return None, None
    if r["easting"] or r["northing"]:
        e, n = _number(r["easting"], "easting", bad), _number(r["northing"], "northing", bad)
        if e is not None and not 0 <= e <= 700_000:
            bad("easting", f"{r['easting']} is outside Great Britain")
        if n is not None and not 0 <= n <= 1_300_000:
            bad("northing", f"{r['northing']} is outside Great Britain")
        return e, n
    bad("postcode", "give a postcode, or an easting and a northing")
    return None, None


def _estate_fields(r: pd.Series, bad: _Bad) -> dict:
    """Return the row's floor area, rooms, cost, tenure, lease, condition and flags, typed."""
    gia = _number(r["gia_m2"], "gia_m2", bad, minimum=0)
    rooms = _number(r["clinical_rooms"], "clinical_rooms", bad, minimum=0, whole=True)
    cost = _number(r["running_cost_gbp"], "running_cost_gbp", bad, minimum=0)
    tenure = _tenure(r["tenure"], bad)
    lease = _lease_end(r["lease_end"], bad)
    cond = r["condition"].upper() or None
    if cond is not None and cond not in {"A", "B", "C", "D"}:
        bad("condition", f"{r['condition']!r} is not A, B, C or D")
    keep = _flag(r["must_keep"], "must_keep", bad)
    close = _flag(r["must_close"], "must_close", bad)
    if keep and close:
        bad("must_close", "a site cannot be both must-keep and must-close")
    return {"gia_m2": gia, "clinical_rooms": rooms, "tenure": tenure, "lease_end": lease, "condition": cond,
            "running_cost_gbp": cost, "must_keep": bool(keep), "must_close": bool(close)}


def _tenure(text: str, bad: _Bad) -> str | None:
    if not text:
        return None
    tenure = TENURES.get(text.lower())
    if tenure is None:
        bad("tenure", f"{text!r} is not one of {', '.join(sorted(set(TENURES.values())))}")
    return tenure


def _lease_end(text: str, bad: _Bad):
    if not text:
        return None
    lease = pd.to_datetime(text, errors="coerce", dayfirst="/" in text)
    if pd.isna(lease):
        bad("lease_end", f"{text!r} is not a date")
    return lease


def _number(text, col, bad, minimum=None, whole=False):
    if text == "":
        return None
    try:
        v = float(text.replace(",", "").replace("£", ""))
    except ValueError:
        v = float("nan")
    if not math.isfinite(v):
        bad(col, f"{text!r} is not a number")
        return None
    if whole and v != int(v):
        bad(col, f"{text!r} is not a whole number")
    if minimum is not None and v < minimum:
        bad(col, f"{text!r} is below {minimum}")
    return int(v) if whole else v


def _flag(text, col, bad):
    t = text.lower()
    if t in TRUE:
        return True
    if t in FALSE:
        return False
    bad(col, f"{text!r} is not yes or no")
    return False

