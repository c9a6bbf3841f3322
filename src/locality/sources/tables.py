"""Tables a planner made (CSV or XLSX): size, encoding, separator, sheets and the header row, checked.

An estates register is typed by hand or exported from Excel, so it arrives with a title row
above the header, a cover sheet, sites carried on to a second sheet, a semicolon separator, a
Windows-1252 encoding, a duplicated or misspelt header, or formula cells that were never
calculated. :func:`read_user_table` finds the real header and reads every sheet that has it,
and refuses what it cannot read safely, naming the sheet, row and column. What it assumed
(separator, encoding, the sheets read) comes back as notes, for the page and the CLI to show.
"""

from __future__ import annotations

import csv
import difflib
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from locality.errors import RegisterProblem

#: How many rows above the header (a title, a date, a blank line) are looked through.
HEADER_SEARCH_ROWS = 10
_SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass
class UserTable:
    """A table read from a planner's file: the header, the rows (as text) and where each came from.

    ``rows[i]`` came from ``where[i]`` = (sheet or ``None`` for a CSV, spreadsheet row number).
    """

    header: list[str]
    rows: list[list[str]]
    where: list[tuple[str | None, int]]
    notes: list[str] = field(default_factory=list)


class TableProblems(Exception):
    """The file cannot be read as a table; ``problems`` say where and why."""

    def __init__(self, problems: list[RegisterProblem]):
        self.problems = problems
        super().__init__("; ".join(map(str, problems)))


def _fail(message: str, row: int = 1, column: str = "-", sheet: str | None = None):
    raise TableProblems([RegisterProblem(row, column, message, sheet)])


def size_text(n: int) -> str:
    """Return a byte count as MB with one decimal (``"2.0 MB"``)."""
    return f"{n / 1e6:.1f} MB"


def check_size(data: bytes, max_bytes: int) -> None:
    """Refuse an empty file, or one larger than ``max_bytes``."""
    if not data or not data.strip():
        _fail("the file is empty (0 bytes of data)" if not data else "the file holds only blank space")
    if len(data) > max_bytes:
        _fail(f"the file is {size_text(len(data))}; the limit is {size_text(max_bytes)}. Split it, or remove "
              "columns and rows that are not sites.")


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Decode a text file: UTF-8 (with or without a byte-order mark), else Windows-1252 with a note.

    Raises
    ------
    TableProblems
        For a binary file (NUL bytes), or bytes that are neither UTF-8 nor Windows-1252,
        naming the line.
    """
    if b"\x00" in data[:4096]:
        _fail("this is not a text file (it holds NUL bytes): is it a spreadsheet saved with a .csv name, or "
              "UTF-16 text? Save it as CSV UTF-8 or .xlsx")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        utf8_line = data[:exc.start].count(b"\n") + 1
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        _fail(f"byte 0x{data[exc.start]:02X} is neither UTF-8 nor Windows-1252 text: save the file as CSV UTF-8",
              row=line)
    return text, [f"The file is not UTF-8 (first at line {utf8_line}): read as Windows-1252 (Excel's 'CSV' on "
                  "Windows). Check names with accents; save as 'CSV UTF-8' to avoid this."]


def _norm(name) -> str:
    return "" if name is None else str(name).strip().lower()


def _header_score(cells: Iterable, expected: Iterable[str]) -> int:
    exp = set(expected)
    return sum(_norm(c) in exp for c in cells)


def find_header(rows: list[list[str]], required: tuple[str, ...]) -> int | None:
    """Return the index of the first row (of the first :data:`HEADER_SEARCH_ROWS`) holding every required column."""
    for i, r in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _header_score(r, required) == len(required):
            return i
    return None


def _separator(text: str, required: tuple[str, ...]) -> str:
    """Return the separator under which the header row (within the first lines) names most required columns."""
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    best, score = ",", -1
    for sep in _SEPARATORS:
        s = max((_header_score(next(csv.reader([ln], delimiter=sep), []), required) for ln in lines), default=0)
        if s > score:
            best, score = sep, s
    return best


def read_csv_table(data: bytes, required: tuple[str, ...]) -> tuple[list[list[str]], list[str]]:
    """Return a CSV's records (as text) and notes on the encoding and separator assumed."""
    text, notes = decode_text(data)
    sep = _separator(text, required)
    if sep != ",":
        notes.append(f"Columns are separated by {_SEPARATORS[sep]}s (read as such).")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True))
    except csv.Error as exc:
        _fail(f"cannot be read as CSV ({exc})")
    return rows, notes


def _cell_text(v) -> str:
    import datetime as dt

    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read_xlsx_sheets(data: bytes) -> dict[str, tuple[list[list[str]], set[tuple[int, int]]]]:
    """Return every sheet's rows (as text) and the (row, column) of formula cells with no saved value.

    Raises
    ------
    TableProblems
        For a file that is not a readable workbook.
    """
    import openpyxl

    if not zipfile.is_zipfile(io.BytesIO(data)):
        _fail("this is not an .xlsx workbook (an .xlsx file is a zip archive; this one is not): save it from "
              "Excel as .xlsx, or as CSV UTF-8")
    try:
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        # a second pass, for the formulas, only when a sheet holds one (<f> elements)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False) \
            if _has_formulas(data) else None
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        _fail(f"cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc})")
    out: dict[str, tuple[list[list[str]], set[tuple[int, int]]]] = {}
    try:
        for ws in values.worksheets:
            rows: list[list[str]] = []
            uncached: set[tuple[int, int]] = set()
            if formulas is None:
                out[ws.title] = ([[_cell_text(v) for v in vr] for vr in ws.iter_rows(values_only=True)], uncached)
                continue
            fws = formulas[ws.title]
            for i, (vr, fr) in enumerate(zip(ws.iter_rows(values_only=True), fws.iter_rows(values_only=True),
                                             strict=False)):
                rows.append([_cell_text(v) for v in vr])
                for j, (v, f) in enumerate(zip(vr, fr, strict=False)):
                    if v is None and isinstance(f, str) and f.startswith("="):
                        uncached.add((i, j))
            out[ws.title] = (rows, uncached)
    except Exception as exc:  # a damaged sheet part
        _fail(f"cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc})")
    finally:
        values.close()
        if formulas is not None:
            formulas.close()
    return out


def _has_formulas(data: bytes) -> bool:
    """Return True when a worksheet of the workbook holds a formula (an ``<f>`` element)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with z.open(name) as fh:
                    while chunk := fh.read(1 << 20):
                        if b"<f>" in chunk or b"<f " in chunk or b"<x:f" in chunk:
                            return True
    return False


def _check_header(header: list[str], expected: Iterable[str], sheet: str | None, row: int) -> None:
    """Refuse duplicated headers, and unknown headers that are near an expected one (a misspelling)."""
    names = [_norm(h) for h in header]
    problems = []
    seen: dict[str, int] = {}
    for j, n in enumerate(names):
        if not n:
            continue
        if n in seen:
            problems.append(RegisterProblem(row, n, f"column appears twice (columns {seen[n] + 1} and {j + 1})", sheet))
        seen.setdefault(n, j)
    exp = list(expected)
    for n in seen:
        if n in exp:
            continue
        near = difflib.get_close_matches(n.replace(" ", "_").replace("-", "_"), exp, n=1, cutoff=0.75)
        if near and near[0] not in seen:
            problems.append(RegisterProblem(row, n, f"unknown column: did you mean {near[0]!r}?", sheet))
    if problems:
        raise TableProblems(problems)


def read_user_table(data: bytes, filename: str, required: tuple[str, ...], expected: Iterable[str],
                    max_bytes: int) -> UserTable:
    """Read a planner's CSV or XLSX table: find the header, read every sheet that has it, check the header.

    Parameters
    ----------
    data, filename : bytes, str
        The file and its name (``.csv``, ``.xlsx`` or ``.xlsm``).
    required : tuple of str
        Columns the header row must hold (lower case); they identify the header row.
    expected : iterable of str
        Every column the reader knows (for "did you mean").
    max_bytes : int
        The largest file accepted.

    Raises
    ------
    TableProblems
        Naming the sheet, row and column of what cannot be read.
    """
    check_size(data, max_bytes)
    expected = list(expected)
    name = filename.lower()
    if name.endswith(".csv"):
        rows, notes = read_csv_table(data, required)
        sheets = {None: (rows, set())}
    elif name.endswith((".xlsx", ".xlsm")):
        sheets, notes = dict(read_xlsx_sheets(data)), []  # type: ignore[arg-type]
    else:
        _fail("upload a .csv or .xlsx file")
    found = {s: find_header(rows, required) for s, (rows, _) in sheets.items()}
    used = [s for s in sheets if found[s] is not None]
    if not used:
        _report_missing_header(sheets, required)
    headers = {s: [_norm(h) for h in sheets[s][0][found[s]]] for s in used}
    for s in used:
        _check_header(sheets[s][0][found[s]], expected, s, found[s] + 1)
    first = headers[used[0]]
    differ = [s for s in used[1:] if [h for h in headers[s] if h] != [h for h in first if h]]
    if differ:
        _fail(f"sheets {used[0]!r} and {differ[0]!r} both have a register header, but with different columns: "
              "put every site on one sheet, or give every sheet the same columns", sheet=differ[0])
    table = UserTable(first, [], [], notes)
    for s in used:
        rows, uncached = sheets[s]
        h = found[s]
        if uncached:
            (i, j) = min((i, j) for i, j in uncached if i > h) if any(i > h for i, _ in uncached) else min(uncached)
            col = headers[s][j] if j < len(headers[s]) else f"column {j + 1}"
            n = sum(1 for i, _ in uncached if i > h)
            _fail(f"{n} formula cell(s) have no saved value (a workbook written by a program that does not "
                  "calculate): open the file in Excel or LibreOffice and save it, or paste the values",
                  row=i + 1, column=col, sheet=s)
        for i in range(h + 1, len(rows)):
            table.rows.append(rows[i])
            table.where.append((s, i + 1))
    if name.endswith((".xlsx", ".xlsm")):
        skipped = [s for s in sheets if s not in used]
        table.notes.append(f"Read sheet(s) {', '.join(repr(s) for s in used)}"
                           + (f"; not read (no register header): {', '.join(repr(s) for s in skipped)}."
                              if skipped else "."))
    if found[used[0]]:
        table.notes.append(f"The header is on row {found[used[0]] + 1}; the {found[used[0]]} row(s) above it were "
                           "not read.")
    return table


def _report_missing_header(sheets: dict, required: tuple[str, ...]) -> None:
    """Refuse a table with no header row, saying which required columns the best candidate lacks."""
    best = None
    for s, (rows, _) in sheets.items():
        for i, r in enumerate(rows[:HEADER_SEARCH_ROWS]):
            score = _header_score(r, required)
            if best is None or score > best[0]:
                best = (score, s, i, r)
    if best is None or best[0] == 0:
        where = f" in any of the sheets {', '.join(repr(s) for s in sheets)}" if None not in sheets else ""
        _fail(f"no header row with the template's columns ({', '.join(required)}) in the first "
              f"{HEADER_SEARCH_ROWS} rows{where}: download the template and start from it")
    _, s, i, r = best
    have = {_norm(c) for c in r}
    raise TableProblems([RegisterProblem(i + 1, c, "required column is missing", s) for c in required if c not in have])
