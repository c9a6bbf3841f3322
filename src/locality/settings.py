"""Paths and settings shared by the CLI, the engines and the app."""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
SOURCES_CONFIG = PACKAGE_DIR / "sources.toml"

#: British National Grid, the CRS every computation uses.
BNG = "EPSG:27700"
#: WGS84 longitude/latitude, used only at the edge for web maps.
WGS84 = "EPSG:4326"


def data_dir() -> Path:
    """Return the project's ``data/`` directory."""
    return PROJECT_DIR / "data"


def store_path() -> Path:
    """Return the DuckDB store's path (``LOCALITY_STORE`` overrides it)."""
    env = os.environ.get("LOCALITY_STORE")
    return Path(env) if env else data_dir() / "locality.duckdb"


@lru_cache(maxsize=1)
def source_config() -> dict:
    """Return the parsed ``sources.toml`` (file catalogue and attribution)."""
    with open(SOURCES_CONFIG, "rb") as fh:
        return tomllib.load(fh)


def source_keys() -> list[str]:
    """Return the keys of every raw source file, in catalogue order."""
    return [k for k, v in source_config().items() if isinstance(v, dict) and "path" in v]


def attribution_statements() -> list[str]:
    """Return the attribution statements the app must show."""
    return list(source_config()["attribution"]["statements"])


def raw_dir_candidates() -> list[Path]:
    """Return the raw-data directories in lookup order."""
    out = []
    env = os.environ.get("LOCALITY_RAW_DIR")
    if env:
        out.append(Path(env))
    out.append(data_dir() / "raw")
    out.append(PROJECT_DIR.parent / "shared" / "data" / "raw")
    return out


def _holds_all(directory: Path) -> bool:
    return all((directory / source_config()[k]["path"]).is_file() for k in source_keys())


def find_raw_dir() -> Path | None:
    """Return the first raw-data directory that holds every source file, or None.

    Lookup order: ``LOCALITY_RAW_DIR``, then ``data/raw/``, then ``../shared/data/raw/``.
    When ``LOCALITY_RAW_DIR`` is set it is used even if incomplete, so that the
    reader reports exactly which file is missing.
    """
    env = os.environ.get("LOCALITY_RAW_DIR")
    if env:
        return Path(env)
    for cand in raw_dir_candidates():
        if cand.is_dir() and _holds_all(cand):
            return cand
    return None


def source_file(raw_dir: Path, key: str) -> Path:
    """Return the path of source ``key`` inside ``raw_dir``."""
    return raw_dir / source_config()[key]["path"]
