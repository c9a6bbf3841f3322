"""A scenario file checked against this store: its codes, and the register and matrix it embeds.

A scenario file travels by e-mail between ICBs, so what it carries is checked as if it had been
uploaded: the area, every practice and PCN it names, and its estates register and travel
matrix, through the same readers as an upload (:func:`locality.sources.estates.check_register_rows`,
:func:`locality.sources.travel_matrix.check_matrix`). A problem names the file and the field,
e.g. ``east.json: sites.register.sites: row 2, column gia_m2: '-650.0' is below 0``.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from locality import store
from locality.errors import LocalityError, RegisterError, ScenarioError, SourceError
from locality.sources import estates
from locality.sources.travel_matrix import COLUMNS as MATRIX_COLUMNS
from locality.sources.travel_matrix import check_matrix


def _unknown(codes, known: set[str]) -> list[str]:
    return [c for c in codes if c not in known]


def _refuse_unknown(file: str, field: str, codes, known: set[str], what: str) -> None:
    bad = _unknown(codes, known)
    if bad:
        raise ScenarioError(f"{file}: {field}: {', '.join(map(repr, bad[:8]))}{' …' if len(bad) > 8 else ''} "
                            f"{'is not a' if len(bad) == 1 else 'are not'} {what}{'' if len(bad) == 1 else 's'} in this "
                            "store.")


def check_codes(con: duckdb.DuckDBPyConnection, doc: dict, file: str) -> None:
    """Refuse an area, practice or PCN code the store does not know, naming the file and the field."""
    try:
        store.area(con, doc["area"])
    except LocalityError as exc:
        raise ScenarioError(f"{file}: area: {exc}") from None
    practices = store.practice_codes(con)
    g = doc.get("grouping") or {}
    pcns = set(store.pcn_table(con)["pcn_code"])
    _refuse_unknown(file, "grouping.keep_pcns_whole", g.get("keep_pcns_whole", []), pcns, "PCN code")
    for key in ("keep_together", "keep_apart"):
        for i, lock in enumerate(g.get(key, [])):
            _refuse_unknown(file, f"grouping.{key}[{i}]", lock, practices, "practice code")
    s = doc.get("sites") or {}
    _refuse_unknown(file, "sites.practices", s.get("practices", []), practices, "practice code")


def _register_text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def embedded_register(con: duckdb.DuckDBPyConnection, reg: dict, file: str) -> pd.DataFrame:
    """Check a scenario's embedded register as an uploaded one is checked; return it typed.

    Raises
    ------
    ScenarioError
        Naming the file, ``sites.register.sites``, and every row (numbered from 1) and column at fault.
    """
    field = f"{file}: sites.register.sites"
    rows = []
    for i, rec in enumerate(reg["sites"], start=1):
        if not isinstance(rec, dict):
            raise ScenarioError(f"{field}[{i}]: a site is an object of register columns.")
        unknown = sorted(set(rec) - set(estates.COLUMNS))
        if unknown:
            raise ScenarioError(f"{field}[{i}]: unknown field(s) {', '.join(unknown)}; a site has "
                                f"{', '.join(estates.COLUMNS)}.")
        missing = [c for c in estates.REQUIRED if c not in rec]
        if missing:
            raise ScenarioError(f"{field}[{i}]: missing field(s) {', '.join(missing)}.")
        rows.append({c: _register_text(rec.get(c)) for c in estates.COLUMNS})
    if not rows:
        raise ScenarioError(f"{field}: the register holds no sites.")
    try:
        frame = estates.check_register_rows(rows, [(None, i) for i in range(1, len(rows) + 1)], field, con)
    except RegisterError as exc:
        raise ScenarioError(str(exc)) from None
    frame["lease_end"] = pd.to_datetime(frame["lease_end"]).dt.date
    return frame


def embedded_matrix(con: duckdb.DuckDBPyConnection, records: list, file: str) -> pd.DataFrame:
    """Check a scenario's embedded travel matrix as an uploaded one is checked; return it as a frame.

    Raises
    ------
    ScenarioError
        Naming the file, ``sites.travel_matrix``, and the rows (numbered from 1) at fault.
    """
    field = f"{file}: sites.travel_matrix"
    frame = pd.DataFrame(records)
    extra = sorted(set(frame.columns) - set(MATRIX_COLUMNS))
    if extra:
        raise ScenarioError(f"{field}: unknown field(s) {', '.join(map(str, extra))}; a row has "
                            f"{', '.join(MATRIX_COLUMNS)}.")
    for c in ("lsoa21_code", "site_id"):
        frame[c] = frame[c].astype(str).str.strip()
    frame["lsoa21_code"] = frame["lsoa21_code"].str.upper()
    text = frame["minutes"].map(lambda v: isinstance(v, bool) or not isinstance(v, int | float))
    if text.any():
        i = int(text.to_numpy().nonzero()[0][0]) + 1
        raise ScenarioError(f"{field}, row {i}, column minutes: {frame['minutes'].iloc[i - 1]!r} is not a number.")
    frame["minutes"] = frame["minutes"].astype(float)
    try:
        check_matrix(frame, field, con, first_row=1)
    except SourceError as exc:
        raise ScenarioError(str(exc)) from None
    frame.attrs.update(file=field, first_row=1)
    return frame


def check_document(con: duckdb.DuckDBPyConnection, doc: dict, file: str) -> None:
    """Check a scenario document against this store (codes, embedded register and matrix), naming ``file``."""
    check_codes(con, doc, file)
    s = doc.get("sites") or {}
    if s.get("register"):
        embedded_register(con, s["register"], file)
    if s.get("travel_matrix"):
        embedded_matrix(con, s["travel_matrix"], file)
