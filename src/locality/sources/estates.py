"""Estates registers: the template, reading and checking a CSV or XLSX register.

No public estates data exists for GP premises, so floor areas, tenure, leases, condition and
running costs come only from a register the user uploads. Every problem in a file is reported
with its row (as numbered in the spreadsheet, header = row 1) and column; a file with any
problem is rejected whole.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime

import duckdb
import pandas as pd

from locality import store
from locality.errors import RegisterError, RegisterProblem
from locality.sources.os_codepoint import normalise_postcode
from locality.sources.tables import TableProblems, read_user_table

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


#: The largest register file read (bytes). Real registers hold tens to a few hundred sites (tens of
#: kilobytes); 2 MB is some 20,000 rows of the template, and reads in a few seconds.
MAX_FILE_BYTES = 2_000_000
#: The largest workbook read (bytes): XLSX is compressed, so 1 MB holds about 20,000 sites.
MAX_XLSX_BYTES = 1_000_000
#: The most sites a register may list.
MAX_SITES = 50_000
#: Plausible upper bounds: the largest primary-care premises are a few thousand m² with a few dozen rooms.
MAX_GIA_M2 = 30_000
MAX_ROOMS = 300
MAX_COST_GBP = 20_000_000
#: Lease ends accepted (years).
LEASE_YEARS = (1950, 2200)
#: Text fields longer than this are refused (characters).
MAX_TEXT = {"site_id": 64, "site_name": 200, "postcode": 16, "practices": 800, "tenure": 60}
#: A site further than this from every practice it lists is reported (metres): check the postcode.
FAR_FROM_PRACTICES_M = 20_000
#: A UK postcode, normalised (outward code, one space, inward code).
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")
ISO = "%Y-%m-%d"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Date formats read, in order; year-first formats are never read day-first.
DATE_FORMATS = {"%Y-%m-%d": "YYYY-MM-DD", "%Y/%m/%d": "YYYY/MM/DD", "%d/%m/%Y": "DD/MM/YYYY (UK)",
                "%d-%m-%Y": "DD-MM-YYYY", "%d.%m.%Y": "DD.MM.YYYY", "%Y-%m-%d %H:%M:%S": "YYYY-MM-DD",
                "%Y-%m-%dT%H:%M:%S": "YYYY-MM-DD"}


#: Where a row came from: (sheet, or None for a CSV; row number as the spreadsheet shows it).
Where = tuple[str | None, int]


def _read_table(data: bytes, filename: str) -> tuple[list[dict[str, str]], list[Where], list[str]]:
    """Return the file's rows as ``{column: text}``, where each row came from, and notes."""
    try:
        t = read_user_table(data, filename, REQUIRED, COLUMNS,
                            MAX_XLSX_BYTES if filename.lower().endswith((".xlsx", ".xlsm")) else MAX_FILE_BYTES)
    except TableProblems as exc:
        raise RegisterError(filename, exc.problems) from None
    unknown = [h for h in dict.fromkeys(t.header) if h and h not in COLUMNS]
    notes = list(t.notes)
    if unknown:
        notes.append(f"Columns not in the template were not read: {', '.join(unknown)}.")
    idx = {h: j for j, h in reversed(list(enumerate(t.header))) if h in COLUMNS}
    rows = [{c: (r[idx[c]].strip() if c in idx and idx[c] < len(r) else "") for c in COLUMNS} for r in t.rows]
    return rows, t.where, notes


def read_register(data: bytes, filename: str, con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Read and check an estates register; geocode postcodes with the store's Code-Point Open table.

    Parameters
    ----------
    data : bytes
        The uploaded file (at most :data:`MAX_FILE_BYTES`).
    filename : str
        Its name (``.csv`` or ``.xlsx``), used in messages.
    con : DuckDB connection
        The store, for its practice codes and locations and postcode coordinates.

    Returns
    -------
    DataFrame
        One row per site with typed columns, ``easting``/``northing`` filled from the postcode.
        ``attrs["notes"]`` says what was assumed (encoding, separator, sheets, header row, date
        format, columns not read); ``attrs["warnings"]`` lists sites outside England or far from
        every practice they list.

    Raises
    ------
    RegisterError
        Listing every problem with its row and column (and sheet, for a workbook).
    """
    rows, lines, notes = _read_table(data, filename)
    return check_register_rows(rows, lines, filename, con, notes)


def check_register_rows(rows: list[dict[str, str]], lines: list[Where], filename: str,
                        con: duckdb.DuckDBPyConnection, notes: list[str] | None = None) -> pd.DataFrame:
    """Check register rows given as text (one dict per row, every :data:`COLUMNS` key) and type them.

    This is the one check of a register's contents, for an uploaded file and for the register
    embedded in a scenario file alike.

    Parameters
    ----------
    rows : list of dict
        ``{column: text}``; blank rows are skipped.
    lines : list of (str or None, int)
        Where each row came from: the sheet (``None`` for a CSV) and the row number reported.
    """
    notes = list(notes or [])
    if len(rows) > MAX_SITES:
        sheet, line = lines[MAX_SITES]
        raise RegisterError(filename, [RegisterProblem(line, "-", f"more than {MAX_SITES:,} rows", sheet)])
    known_practices = store.practice_codes(con)
    given = sorted({r["postcode"] for r in rows if r["postcode"]})
    normal = dict(zip(given, normalise_postcode(pd.Series(given, dtype=object)), strict=True)) if given else {}
    pcs = {k: v for k, v in normal.items() if isinstance(v, str)}
    found = store.postcode_coordinates(con, sorted(set(pcs.values())))
    problems: list[RegisterProblem] = []
    out = []
    seen: dict[str, int] = {}
    formats: set[str] = set()
    for r, (sheet, line) in zip(rows, lines, strict=True):
        if not any(r.values()):
            continue  # a blank row

        def bad(col, msg, line=line, sheet=sheet):
            problems.append(RegisterProblem(line, col, msg, sheet))

        out.append(_check_row(r, _where_text(sheet, line), bad, seen, known_practices, found, pcs, formats))
    if not out and not problems:
        problems.append(RegisterProblem(lines[0][1] if lines else 2, "-", "the file has no sites"))
    if problems:
        raise RegisterError(filename, problems)
    if any(f.startswith("DD/MM") for f in formats):
        notes.append("Dates written with / were read as day/month/year (UK), e.g. 04/03/2031 is 4 March 2031.")
    frame = pd.DataFrame(out)
    frame["lease_end"] = pd.to_datetime(frame["lease_end"])
    frame.attrs["notes"] = notes
    frame.attrs["warnings"] = _placement_warnings(
        out, [_where_text(*w) for r, w in zip(rows, lines, strict=True) if any(r.values())], con, pcs)
    return frame


def _where_text(sheet: str | None, line: int) -> str:
    """``row 4``, or ``sheet 'Sites', row 4``."""
    return f"sheet {sheet!r}, row {line}" if sheet else f"row {line}"


def _placement_warnings(sites: list[dict], lines: list[str], con, pcs: dict[str, str]) -> list[str]:
    """Warn about sites outside England, or far from every practice they list (a wrong postcode, usually)."""
    from locality.store import known

    codes = {c for r in sites for c in r["practices"].split(";") if c}
    where = known.practice_points(con, codes)
    countries = known.postcode_countries(con, set(pcs.values()))
    out = []
    for r, line in zip(sites, lines, strict=True):
        country = countries.get(pcs.get(r["postcode"] or "", ""), known.ENGLAND)
        if country != known.ENGLAND:
            out.append(f"{line} (site {r['site_id']}): postcode {r['postcode']} is outside England (country "
                       f"{country}).")
        pts = [where[c] for c in r["practices"].split(";") if c in where]
        if r["easting"] is None or r["northing"] is None or not pts:
            continue
        d = min(math.hypot(r["easting"] - e, r["northing"] - n) for e, n in pts)
        if d > FAR_FROM_PRACTICES_M:
            out.append(f"{line} (site {r['site_id']}): {d / 1000:,.0f} km from the nearest practice it lists; "
                       "check its postcode or coordinates.")
    return out


#: Records one problem in a column of the row being checked: ``bad(column, message)``.
_Bad = Callable[[str, str], None]


def _check_row(r: dict[str, str], line: str, bad: _Bad, seen: dict[str, str], known_practices: set[str],
               found: dict[str, tuple[int, int]], pcs: dict[str, str], formats: set[str]) -> dict:
    """Check one register row (problems go to ``bad``) and return it typed."""
    for c in REQUIRED:
        if not r[c]:
            bad(c, "is blank")
    for c, n in MAX_TEXT.items():
        if len(r[c]) > n:
            bad(c, f"is {len(r[c]):,} characters long; at most {n} are allowed")
    if r["site_id"]:
        if r["site_id"] in seen:
            bad("site_id", f"{r['site_id']!r} already used on {seen[r['site_id']]}")
        seen.setdefault(r["site_id"], line)
    codes = sorted({c.strip().upper() for c in r["practices"].replace(",", ";").split(";") if c.strip()})
    unknown = [c for c in codes if c not in known_practices]
    if unknown:
        bad("practices", f"unknown ODS code(s) {', '.join(unknown[:10])}{' …' if len(unknown) > 10 else ''}")
    e, n = _location(r, bad, found, pcs)
    return {"site_id": r["site_id"], "site_name": r["site_name"], "postcode": r["postcode"] or None,
            "easting": e, "northing": n, "practices": ";".join(codes), **_estate_fields(r, bad, formats)}


def _location(r: dict[str, str], bad: _Bad, found: dict[str, tuple[int, int]], pcs: dict[str, str]) -> tuple:
    """Return the row's (easting, northing): its postcode's, or as given; (None, None) if neither works."""
    if r["postcode"]:
        pc = pcs.get(r["postcode"])
        if pc in found:
            return found[pc]
        if not pc or not POSTCODE.match(pc):
            bad("postcode", f"{r['postcode']!r} is not a postcode")
            return None, None
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


def _estate_fields(r: dict[str, str], bad: _Bad, formats: set[str]) -> dict:
    """Return the row's floor area, rooms, cost, tenure, lease, condition and flags, typed."""
    gia = _number(r["gia_m2"], "gia_m2", bad, minimum=0, maximum=MAX_GIA_M2)
    rooms = _number(r["clinical_rooms"], "clinical_rooms", bad, minimum=0, whole=True, maximum=MAX_ROOMS)
    cost = _number(r["running_cost_gbp"], "running_cost_gbp", bad, minimum=0, maximum=MAX_COST_GBP)
    tenure = _tenure(r["tenure"], bad)
    lease = _lease_end(r["lease_end"], bad, formats)
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


def _lease_end(text: str, bad: _Bad, formats: set[str]):
    """Return the lease end as a Timestamp, reading the formats of :data:`DATE_FORMATS` in order."""
    if not text:
        return None
    for fmt, name in DATE_FORMATS.items():
        try:
            lease = date.fromisoformat(text) if fmt == ISO and ISO_DATE.match(text) else \
                datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not LEASE_YEARS[0] <= lease.year <= LEASE_YEARS[1]:
            bad("lease_end", f"{text!r} is not between {LEASE_YEARS[0]} and {LEASE_YEARS[1]}")
            return None
        formats.add(name)
        return lease
    bad("lease_end", f"{text!r} is not a date written YYYY-MM-DD or DD/MM/YYYY")
    return None


def _number(text, col, bad, minimum=None, whole=False, maximum=None):
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
    if maximum is not None and v > maximum:
        bad(col, f"{text!r} is above {maximum:,}, more than any GP premises holds: check the figure and its unit")
        return None
    return int(v) if whole else v


def _flag(text, col, bad):
    t = text.lower()
    if t in TRUE:
        return True
    if t in FALSE:
        return False
    bad(col, f"{text!r} is not yes or no")
    return False

