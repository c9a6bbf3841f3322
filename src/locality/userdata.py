"""The user's own data (estates registers and saved scenarios), kept apart from the rebuilt national store.

``data/user.duckdb`` (``LOCALITY_USER_DB`` overrides it) survives ``python -m locality build``.
Every write is one transaction: replacing a register deletes the old rows and inserts the new
ones together, so a failure leaves the previous register exactly as it was.

Several browser sessions (threads of one server) and command-line runs (other processes) may
write at once. Writes in this process take one lock; a write that meets another process's lock
on the file, or a transaction conflict, is retried for a few seconds before it gives up with a
clear message. Saving a scenario never silently replaces another: the name must be free unless
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

from locality.errors import LocalityError
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
CREATE TABLE IF NOT EXISTS scenario (
    name VARCHAR PRIMARY KEY, description VARCHAR, area VARCHAR, extract_date VARCHAR, document VARCHAR,
    saved_at TIMESTAMP);
"""

#: Seconds a write keeps retrying while another process holds the file or a transaction conflicts.
WRITE_PATIENCE_S = 15.0
_WRITE_LOCK = threading.RLock()


class UserDataError(LocalityError):
    """A save, rename or delete that cannot be done as asked (the message says why)."""


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
            # another process holds the file, or a concurrent first use created the tables
            if time.monotonic() > deadline:
                raise UserDataError(f"{path} is busy (another program holds it); try again in a moment.") from None
            time.sleep(0.05)


@contextmanager
def _connect():
    con = _open()
    try:
        yield con
    finally:
        con.close()


def _write(work) -> None:
    """Run ``work(con)`` in one transaction, under this process's lock, retrying on conflicts."""
    deadline = time.monotonic() + WRITE_PATIENCE_S
    with _WRITE_LOCK:
        while True:
            with _connect() as con:
                con.execute("BEGIN TRANSACTION")
                try:
                    work(con)
                    con.execute("COMMIT")
                    return
                except duckdb.TransactionException:
                    con.execute("ROLLBACK")
                    if time.monotonic() > deadline:
                        raise UserDataError("Another save kept conflicting with this one; try again.") from None
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
            time.sleep(0.05)


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


def registers() -> pd.DataFrame:
    """List saved registers: name, file, sha256, sites, saved_at."""
    with _connect() as con:
        return con.execute("SELECT * FROM estates_register ORDER BY register").df()


def load_register(name: str) -> pd.DataFrame:
    """The sites of a saved register (empty if there is none)."""
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

def save_scenario(doc: dict, replace: bool = False) -> None:
    """Save a scenario document under its ``name``, in one transaction.

    Raises
    ------
    UserDataError
        If a scenario of that name exists and ``replace`` is False (so two people saving at once
        never overwrite each other without knowing).
    """
    name = doc["name"].strip()
    if not name:
        raise UserDataError("A scenario needs a name.")

    def work(con):
        exists = con.execute("SELECT count(*) FROM scenario WHERE name = ?", [name]).fetchone()[0]
        if exists and not replace:
            raise UserDataError(f"A scenario named {name!r} already exists: choose another name or replace it.")
        con.execute("DELETE FROM scenario WHERE name = ?", [name])
        con.execute("INSERT INTO scenario VALUES (?, ?, ?, ?, ?, now())",
                    [name, doc.get("description", ""), doc.get("area"),
                     (doc.get("edition") or {}).get("extract_date"), json.dumps(doc, ensure_ascii=False)])

    _write(work)


def scenarios() -> pd.DataFrame:
    """List saved scenarios: name, description, area, extract_date, saved_at (newest first)."""
    with _connect() as con:
        return con.execute("SELECT name, description, area, extract_date, saved_at FROM scenario "
                           "ORDER BY saved_at DESC, name").df()


def load_scenario(name: str) -> dict:
    """A saved scenario's document.

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


def rename_scenario(old: str, new: str) -> None:
    """Rename a saved scenario (its document's name changes too), in one transaction."""
    new = new.strip()
    if not new:
        raise UserDataError("A scenario needs a name.")

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


def delete_scenario(name: str) -> None:
    """Delete a saved scenario (one transaction)."""
    _write(lambda con: con.execute("DELETE FROM scenario WHERE name = ?", [name]))
