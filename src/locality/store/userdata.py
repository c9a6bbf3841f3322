"""The user's own data (estates registers and saved scenarios), kept apart from the rebuilt national store.

``data/user.duckdb`` (``LOCALITY_USER_DB`` overrides it) survives ``python -m locality build``.
Every write is one transaction: replacing a register deletes the old rows and inserts the new
ones together, so a failure leaves the previous register exactly as it was.

Several browser sessions (threads of one server) and command-line runs (other processes) may
write at once. Everything this process does with the file takes one lock; an open that meets
another process's lock on the file is retried for a few seconds before it gives up with a clear
message. Saving a scenario never silently replaces another: the name must be free unless
the caller asks to replace it.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from locality.errors import UserDataError
from locality.settings import data_dir

SITE_COLUMNS = ["site_id", "site_name", "postcode", "easting", "northing", "practices", "gia_m2", "clinical_rooms",
                "tenure", "lease_end", "condition", "running_cost_gbp", "must_keep", "must_close"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS estates_register (
    register VARCHAR PRIMARY KEY, file VARCHAR, sha256 VARCHAR, sites INTEGER, saved_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS estates_site (
    register VARCHAR, site_id VARCHAR, site_name VARCHAR, postcode VARCHAR, easting DOUBLE, northing DOUBLE,
    practices VARCHAR, gia_m2 DOUBLE, clinical_rooms INTEGER, tenure VARCHAR, lease_end DATE, condition VARCHAR,
    running_cost_gbp DOUBLE, must_keep BOOLEAN, must_close BOOLEAN, PRIMARY KEY (register, site_id));
CREATE TABLE IF NOT EXISTS housing_trajectory (
    trajectory VARCHAR PRIMARY KEY, file VARCHAR, sha256 VARCHAR, sites INTEGER, dwellings DOUBLE, saved_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS housing_row (
    trajectory VARCHAR, site_ref VARCHAR, site_name VARCHAR, postcode VARCHAR, easting DOUBLE, northing DOUBLE,
    status VARCHAR, practice VARCHAR, year INTEGER, dwellings DOUBLE, PRIMARY KEY (trajectory, site_ref, year));
CREATE TABLE IF NOT EXISTS scenario (
    name VARCHAR PRIMARY KEY, description VARCHAR, area VARCHAR, extract_date VARCHAR, document VARCHAR,
    saved_at TIMESTAMP);
"""

#: Seconds an open keeps retrying while another process holds the file.
WRITE_PATIENCE_S = 15.0
_LOCK = threading.RLock()
#: Scenario names longer than this are refused (the scenario file format's limit).
MAX_NAME = 120
#: A name the Compare view uses for today's PCNs, so no scenario may take it.
RESERVED_NAMES = {"Today's PCNs"}


def user_db_path() -> Path:
    """Path of the user's database."""
    env = os.environ.get("LOCALITY_USER_DB")
    return Path(env) if env else data_dir() / "user.duckdb"


def _open() -> duckdb.DuckDBPyConnection:
    path = user_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + WRITE_PATIENCE_S
    while True:
        try:
            con = duckdb.connect(str(path))
            try:
                con.execute(_SCHEMA)
            except BaseException:
                con.close()
                raise
            return con
        except (duckdb.IOException, duckdb.TransactionException):
            # another process (a command-line run, another server) holds the file
            if time.monotonic() > deadline:
                raise UserDataError(f"{path} is busy (another program holds it); try again in a moment.") from None
            time.sleep(0.05)


@contextmanager
def _connect():
    """Yield a short-lived connection, opened and closed under this process's lock.

    DuckDB lets one process at a time open the file for writing, so connections stay short (a
    command-line run can save while the app is up). Within this process every open, read, write
    and close takes one lock: two sessions opening and closing the same file at once would
    otherwise race inside DuckDB.
    """
    with _LOCK:
        con = _open()
        try:
            yield con
        finally:
            con.close()


def _write(work) -> None:
    """Run ``work(con)`` in one transaction; a failure rolls everything back and re-raises."""
    with _connect() as con:
        con.execute("BEGIN TRANSACTION")
        try:
            work(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def save_register(name: str, sites: pd.DataFrame, file: str, data: bytes) -> None:
    """Save (or replace) a checked register under ``name``, in one transaction."""
    frame = sites[SITE_COLUMNS].copy()
    frame.insert(0, "register", name)

    def work(con):
        con.execute("DELETE FROM estates_site WHERE register = ?", [name])
        con.execute("DELETE FROM estates_register WHERE register = ?", [name])
        con.register("_sites", frame)
        con.execute(f"INSERT INTO estates_site SELECT {', '.join(['register', *SITE_COLUMNS])} FROM _sites")
        con.execute("INSERT INTO estates_register VALUES (?, ?, ?, ?, now())",
                    [name, file, hashlib.sha256(data).hexdigest(), len(frame)])

    _write(work)


HOUSING_COLUMNS = ["site_ref", "site_name", "postcode", "easting", "northing", "status", "practice", "year",
                   "dwellings"]


def save_trajectory(name: str, rows: pd.DataFrame, file: str, data: bytes) -> None:
    """Save (or replace) a checked housing trajectory under ``name``, in one transaction (atomic replace)."""
    name = " ".join(str(name).split())
    if not name or len(name) > MAX_NAME:
        raise UserDataError(f"A housing trajectory needs a name of 1 to {MAX_NAME} characters.")
    frame = rows[HOUSING_COLUMNS].copy()
    frame.insert(0, "trajectory", name)

    def work(con):
        con.execute("DELETE FROM housing_row WHERE trajectory = ?", [name])
        con.execute("DELETE FROM housing_trajectory WHERE trajectory = ?", [name])
        con.register("_rows", frame)
        con.execute(f"INSERT INTO housing_row SELECT {', '.join(['trajectory', *HOUSING_COLUMNS])} FROM _rows")
        con.execute("INSERT INTO housing_trajectory VALUES (?, ?, ?, ?, ?, now())",
                    [name, file, hashlib.sha256(data).hexdigest(), int(frame["site_ref"].nunique()),
                     float(frame["dwellings"].sum())])

    _write(work)


def trajectories() -> pd.DataFrame:
    """List saved housing trajectories: name, file, sha256, sites, dwellings, saved_at."""
    with _connect() as con:
        return con.execute("SELECT * FROM housing_trajectory ORDER BY trajectory").df()


def load_trajectory(name: str) -> pd.DataFrame:
    """Return the rows of a saved housing trajectory (empty if there is none)."""
    with _connect() as con:
        return con.execute(f"SELECT {', '.join(HOUSING_COLUMNS)} FROM housing_row WHERE trajectory = ? "
                           "ORDER BY site_ref, year", [name]).df()


def delete_trajectory(name: str) -> None:
    """Delete a saved housing trajectory (one transaction)."""
    def work(con):
        con.execute("DELETE FROM housing_row WHERE trajectory = ?", [name])
        con.execute("DELETE FROM housing_trajectory WHERE trajectory = ?", [name])

    _write(work)


def registers() -> pd.DataFrame:
    """List saved registers: name, file, sha256, sites, saved_at."""
    with _connect() as con:
        return con.execute("SELECT * FROM estates_register ORDER BY register").df()


def load_register(name: str) -> pd.DataFrame:
    """Return the sites of a saved register (empty if there is none)."""
    with _connect() as con:
        return con.execute(f"SELECT {', '.join(SITE_COLUMNS)} FROM estates_site WHERE register = ? ORDER BY site_id",
                           [name]).df()


def delete_register(name: str) -> None:
    """Delete a saved register (one transaction)."""

    def work(con):
        con.execute("DELETE FROM estates_site WHERE register = ?", [name])
        con.execute("DELETE FROM estates_register WHERE register = ?", [name])

    _write(work)


# --- scenarios -----------------------------------------------------------------------------------

def save_scenario(doc: dict, replace: bool = False) -> str:
    """Save a scenario document under its ``name``, in one transaction; return the name as saved.

    The name is tidied (spaces collapsed) and checked: not empty, at most :data:`MAX_NAME`
    characters, not a reserved name.

    Raises
    ------
    UserDataError
        If a scenario of that name exists and ``replace`` is False (so two people saving at once
        never overwrite each other without knowing).
    """
    name = _checked_name(doc.get("name", ""))
    doc = {**doc, "name": name}

    def work(con):
        exists = con.execute("SELECT count(*) FROM scenario WHERE name = ?", [name]).fetchone()[0]
        if exists and not replace:
            raise UserDataError(f"A scenario named {name!r} already exists: choose another name or replace it.")
        con.execute("DELETE FROM scenario WHERE name = ?", [name])
        con.execute("INSERT INTO scenario VALUES (?, ?, ?, ?, ?, now())",
                    [name, doc.get("description", ""), doc.get("area"),
                     (doc.get("edition") or {}).get("extract_date"), json.dumps(doc, ensure_ascii=False)])

    _write(work)
    return name


def scenarios() -> pd.DataFrame:
    """List saved scenarios: name, description, area, extract_date, saved_at (newest first)."""
    with _connect() as con:
        return con.execute("SELECT name, description, area, extract_date, saved_at FROM scenario "
                           "ORDER BY saved_at DESC, name").df()


def load_scenario(name: str) -> dict:
    """Return a saved scenario's document.

    Raises
    ------
    UserDataError
        If no scenario has that name.
    """
    with _connect() as con:
        row = con.execute("SELECT document FROM scenario WHERE name = ?", [name]).fetchone()
    if row is None:
        raise UserDataError(f"No saved scenario is named {name!r}.")
    return json.loads(row[0])


def _checked_name(name: str) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise UserDataError("A scenario needs a name.")
    if len(name) > MAX_NAME:
        raise UserDataError(f"A scenario name may have at most {MAX_NAME} characters (this one has {len(name)}).")
    if name in RESERVED_NAMES:
        raise UserDataError(f"{name!r} is the name the app gives today's PCNs: choose another.")
    return name


def rename_scenario(old: str, new: str) -> str:
    """Rename a saved scenario (its document's name changes too), in one transaction; return the new name."""
    new = _checked_name(new)

    def work(con):
        row = con.execute("SELECT document FROM scenario WHERE name = ?", [old]).fetchone()
        if row is None:
            raise UserDataError(f"No saved scenario is named {old!r}.")
        if new != old and con.execute("SELECT count(*) FROM scenario WHERE name = ?", [new]).fetchone()[0]:
            raise UserDataError(f"A scenario named {new!r} already exists.")
        doc = json.loads(row[0])
        doc["name"] = new
        con.execute("UPDATE scenario SET name = ?, document = ? WHERE name = ?",
                    [new, json.dumps(doc, ensure_ascii=False), old])

    _write(work)
    return new


def delete_scenario(name: str) -> None:
    """Delete a saved scenario (one transaction).

    Raises
    ------
    UserDataError
        If no scenario has that name.
    """

    def work(con):
        if not con.execute("SELECT count(*) FROM scenario WHERE name = ?", [name]).fetchone()[0]:
            raise UserDataError(f"No saved scenario is named {name!r}.")
        con.execute("DELETE FROM scenario WHERE name = ?", [name])

    _write(work)
