"""The user's own data (estates registers), kept apart from the rebuilt national store.

``data/user.duckdb`` (``LOCALITY_USER_DB`` overrides it) survives ``python -m locality build``.
Every write is one transaction: replacing a register deletes the old rows and inserts the new
ones together, so a failure leaves the previous register exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

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
"""


def user_db_path() -> Path:
    """Path of the user's database."""
    env = os.environ.get("LOCALITY_USER_DB")
    return Path(env) if env else data_dir() / "user.duckdb"


@contextmanager
def _connect():
    path = user_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute(_SCHEMA)
        yield con
    finally:
        con.close()


def save_register(name: str, sites: pd.DataFrame, file: str, data: bytes) -> None:
    """Save (or replace) a checked register under ``name``, in one transaction."""
    frame = sites[SITE_COLUMNS].copy()
    frame.insert(0, "register", name)
    with _connect() as con:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("DELETE FROM estates_site WHERE register = ?", [name])
            con.execute("DELETE FROM estates_register WHERE register = ?", [name])
            con.register("_sites", frame)
            con.execute(f"INSERT INTO estates_site SELECT {', '.join(['register', *SITE_COLUMNS])} FROM _sites")
            con.execute("INSERT INTO estates_register VALUES (?, ?, ?, ?, now())",
                        [name, file, hashlib.sha256(data).hexdigest(), len(frame)])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


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
    with _connect() as con:
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM estates_site WHERE register = ?", [name])
        con.execute("DELETE FROM estates_register WHERE register = ?", [name])
        con.execute("COMMIT")
