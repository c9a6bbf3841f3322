"""Download the raw files from their publishers (``python -m locality fetch``).

The URLs and file names come from ``sources.toml``. Each download goes to a temporary
file, is unzipped when the catalogue names a member, is checked with its reader, and
only then renamed into place: a failed or malformed download never replaces a good file.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from locality.errors import LocalityError, SourceError
from locality.settings import data_dir, optional_source_file, source_config, source_keys
from locality.sources import READERS


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def download(url: str, dest: Path, timeout: float = 60.0) -> int:
    """Download ``url`` to ``dest`` and return the number of bytes written."""
    req = urllib.request.Request(url, headers={"User-Agent": "locality-planner/0.1"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp, open(dest, "wb") as fh:
            shutil.copyfileobj(resp, fh, 1 << 20)
    except (urllib.error.URLError, OSError) as exc:
        raise LocalityError(f"could not download {url}: {exc}") from exc
    return dest.stat().st_size


def fetch_all(dest: str | Path | None = None, mirror: str | None = None, only: list[str] | None = None,
              force: bool = False) -> list[Path]:
    """Download every catalogued file that is not already present.

    Parameters
    ----------
    dest : path, optional
        Raw-data directory to fill (default ``data/raw``).
    mirror : str, optional
        Base URL of a mirror that serves the files at their catalogue paths
        (for example a local copy, or a proxy on an NHS network).
    only : list of str, optional
        Source keys to fetch (default: all).
    force : bool
        Download even when the file is already present.

    Returns
    -------
    list of Path
        The files written.
    """
    dest = Path(dest) if dest else data_dir() / "raw"
    keys = only or source_keys(optional=True)
    unknown = sorted(set(keys) - set(source_keys(optional=True)))
    if unknown:
        raise LocalityError(f"unknown source key(s) {unknown}; known: {source_keys(optional=True)}")
    written = []
    for key in keys:
        cfg = source_config()[key]
        target = dest / cfg["path"]
        present = optional_source_file(dest, key) if cfg.get("optional") else (target if target.is_file() else None)
        if present is not None and not force:
            _say(f"  {key}: present ({present})")
            continue
        url = f"{mirror.rstrip('/')}/{cfg['path']}" if mirror else cfg["url"]
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            _say(f"  {key}: downloading {url}")
            size = download(url, tmp)
            member = cfg.get("unzip_member")
            if member and not target.name.endswith(".zip") and zipfile.is_zipfile(tmp):
                with zipfile.ZipFile(tmp) as zf, open(tmp.with_suffix(".x"), "wb") as out:
                    shutil.copyfileobj(zf.open(member), out)
                os.replace(tmp.with_suffix(".x"), tmp)
            try:
                rows = len(READERS[key](_named(tmp, target)))
            except SourceError as exc:
                raise SourceError(f"{target.name} downloaded from {url}", exc.message, exc.row, exc.column) from exc
            tmp.chmod(0o644)
            os.replace(tmp, target)
            _say(f"  {key}: {size:,} bytes, {rows:,} rows checked → {target}")
            written.append(target)
        finally:
            for leftover in (tmp, tmp.with_suffix(".x"), _named(tmp, target)):
                if leftover.exists():
                    leftover.unlink()
    return written


def _named(tmp: Path, target: Path) -> Path:
    """Return a hard link to ``tmp`` carrying the target's suffixes, so readers see the right format."""
    link = tmp.with_name(tmp.name + "".join(target.suffixes))
    if not link.exists() and tmp.exists():
        os.link(tmp, link)
    return link


#: Where Geofabrik serves the United Kingdom's extracts (``REGION-latest.osm.pbf`` below it).
GEOFABRIK_UK = "https://download.geofabrik.de/europe/united-kingdom"


def fetch_roads(region: str, dest: str | Path | None = None, mirror: str | None = None, force: bool = False) -> Path:
    """Download a Geofabrik OpenStreetMap extract (e.g. ``england/berkshire``) and check it is a PBF.

    Parameters
    ----------
    region : str
        The extract's path below Geofabrik's United Kingdom folder: ``england``,
        ``england/berkshire``, ``england/greater-london`` …
    dest : path, optional
        Folder to write into (default ``data/raw/osm_geofabrik``).
    mirror : str, optional
        Base URL serving the extracts at the same paths (default Geofabrik's United Kingdom folder).
    force : bool
        Download even when the file is present.

    Returns
    -------
    Path
        The checked ``.osm.pbf`` file (written atomically: a failed download leaves none).
    """
    from locality.sources.osm_pbf import read_pbf_header

    region = region.strip().strip("/").lower()
    if not region or not all(part.replace("-", "").isalnum() for part in region.split("/")):
        raise LocalityError(f"{region!r} is not a Geofabrik region such as england/berkshire.")
    dest = Path(dest) if dest else data_dir() / "raw" / "osm_geofabrik"
    target = dest / f"{region.rsplit('/', 1)[-1]}-latest.osm.pbf"
    if target.is_file() and not force:
        _say(f"  {region}: present ({target})")
        return target
    url = f"{(mirror or GEOFABRIK_UK).rstrip('/')}/{region}-latest.osm.pbf"
    dest.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=dest)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _say(f"  {region}: downloading {url}")
        size = download(url, tmp, timeout=600.0)
        try:
            header = read_pbf_header(tmp)
        except SourceError as exc:
            raise SourceError(f"{target.name} downloaded from {url}", exc.message) from exc
        tmp.chmod(0o644)
        os.replace(tmp, target)
        _say(f"  {region}: {size:,} bytes, OSM data of {header.replication_timestamp or 'unknown date'} → {target}")
        _say(f"  build its road network with: python -m locality roads build --pbf {target}")
    finally:
        if tmp.exists():
            tmp.unlink()
    return target
