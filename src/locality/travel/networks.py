"""Road networks built from OpenStreetMap extracts: Valhalla routing tiles in ``data/roads/NAME/``.

``python -m locality roads build --pbf FILE [--name NAME]`` reads an ``.osm.pbf`` extract (for
example a Geofabrik county), builds Valhalla's routing tiles into a temporary folder beside the
target, packs them into one ``tiles.tar`` and renames the folder into place, so a failed build
never touches the tiles already there. ``network.json`` beside the tiles records the provenance:
the file, its sha256, the OSM replication timestamp and bounding box from its header, the tiles'
sha256 and the ODbL attribution. :func:`networks` finds every built network; :func:`covering`
says which of them holds a set of points, or why none does.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from locality.errors import LocalityError, SourceError
from locality.settings import data_dir
from locality.sources.osm_pbf import read_pbf_header

#: The attribution every figure routed on OpenStreetMap data carries (ODbL 1.0).
OSM_ATTRIBUTION = ("Map data © OpenStreetMap contributors, available under the Open Database Licence (ODbL) 1.0; "
                   "routing by Valhalla (MIT)")
#: The provenance file written beside the tiles.
PROVENANCE_FILE = "network.json"
TILES_FILE = "tiles.tar"
#: How far beyond an extract's bounding box a point still counts as covered (metres): a county
#: extract holds the roads crossing its border, and a point's minutes start from the nearest road
#: (the matrix notes every point moved more than :data:`locality.travel.valhalla.SNAP_NOTE_M`).
COVER_MARGIN_M = 5_000.0
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

Progress = Callable[[str], None]


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def roads_dir() -> Path:
    """Return the folder holding the built road networks (``LOCALITY_ROADS_DIR`` overrides ``data/roads``)."""
    env = os.environ.get("LOCALITY_ROADS_DIR")
    return Path(env) if env else data_dir() / "roads"


@dataclass(frozen=True)
class RoadNetwork:
    """A built road network: its folder and what ``network.json`` says about it.

    Attributes
    ----------
    name : str
    path : Path
        The folder holding ``tiles.tar`` and ``network.json``.
    provenance : dict
        ``pbf_file, pbf_sha256, pbf_bytes, replication_timestamp, bbox, tiles_sha256, tiles_bytes,
        build_seconds, valhalla_version, built_at, licence, attribution``.
    """

    name: str
    path: Path
    provenance: dict

    @property
    def tiles(self) -> Path:
        """Return the tile extract Valhalla reads."""
        return self.path / TILES_FILE

    @property
    def tiles_sha256(self) -> str:
        """Return the sha256 of the tiles (it keys the matrix cache)."""
        return str(self.provenance["tiles_sha256"])

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """Return ``(min_lon, min_lat, max_lon, max_lat)`` of the extract."""
        b = self.provenance["bbox"]
        return float(b[0]), float(b[1]), float(b[2]), float(b[3])

    def label(self) -> str:
        """Return one line naming the network and its OSM edition."""
        return (f"OpenStreetMap road network '{self.name}' ({self.provenance['pbf_file']}, OSM data of "
                f"{self.provenance.get('replication_timestamp') or 'unknown date'})")


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def default_name(pbf: Path) -> str:
    """Return a network name from an extract's file name: ``rutland-latest.osm.pbf`` → ``rutland``."""
    stem = pbf.name.lower()
    for suffix in (".osm.pbf", ".pbf"):
        stem = stem.removesuffix(suffix)
    stem = re.sub(r"-(latest|\d{6}|\d{8})$", "", stem)
    return re.sub(r"[^a-z0-9_-]+", "-", stem).strip("-") or "roads"


def valhalla_config(tile_dir: str = "", tile_extract: str = "", concurrency: int = 2) -> dict:
    """Return Valhalla's configuration for these tiles, quiet, with matrix limits a county needs.

    Parameters
    ----------
    tile_dir, tile_extract : str
        The tile folder (building) or the tile extract (routing).
    concurrency : int
        Threads the tile builder uses.
    """
    import copy

    from valhalla.config import _sanitize_config
    from valhalla.valhalla_build_config import config as default

    c = _sanitize_config(copy.deepcopy(default))
    c["mjolnir"].update({"tile_dir": tile_dir, "tile_extract": tile_extract, "concurrency": concurrency,
                         "logging": {"type": "std_out", "color": False}})
    for costing in ("auto", "pedestrian"):
        c["service_limits"][costing]["max_matrix_location_pairs"] = 1_000_000
        c["service_limits"][costing]["max_matrix_distance"] = 1_000_000.0
    c["service_limits"]["max_radius"] = 2_000
    return c


def _run(cmd: list[str], progress: Progress, what: str) -> None:
    """Run a Valhalla tool, passing its INFO lines on as progress; raise with its last lines on failure."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    tail: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        line = re.sub(r"\x1b\[[0-9;]*m", "", line.rstrip())
        tail = [*tail, line][-8:]
        if "[INFO]" in line or "[ERROR]" in line:
            progress("      " + line.split("]", 2)[-1].strip())
    if proc.wait() != 0:
        raise LocalityError(f"{what} failed (exit code {proc.returncode}):\n" + "\n".join(tail))


def build_network(pbf: str | Path, name: str | None = None, dest: Path | None = None,
                  progress: Progress = _stderr) -> RoadNetwork:
    """Build Valhalla routing tiles from an OpenStreetMap extract into ``roads_dir()/NAME`` (atomically).

    Parameters
    ----------
    pbf : path
        An ``.osm.pbf`` extract.
    name : str, optional
        The network's name (default from the file name, e.g. ``rutland``).
    dest : Path, optional
        The folder of networks (default :func:`roads_dir`).
    progress : callable
        Receives progress lines.

    Raises
    ------
    SourceError
        When the file is missing or not an OSM PBF extract (nothing is written).
    LocalityError
        When the name is not usable or the tile build fails; the network already under that name
        is left as it was.
    """
    import valhalla

    pbf = Path(pbf)
    t0 = time.perf_counter()
    progress(f"[1/4] Checking {pbf}")
    header = read_pbf_header(pbf)
    name = name or default_name(pbf)
    if not _NAME.match(name):
        raise LocalityError(f"The network name {name!r} must be lower-case letters, digits, '-' or '_'.")
    dest = dest or roads_dir()
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / name
    pbf_sha = _sha256(pbf)
    work = Path(tempfile.mkdtemp(prefix=f".{name}.building-", dir=dest))
    try:
        tiles_dir = work / "tiles"
        tiles_dir.mkdir()
        config = work / "valhalla.json"
        config.write_text(json.dumps(valhalla_config(str(tiles_dir), str(work / TILES_FILE))))
        progress(f"[2/4] Building routing tiles from {pbf.name} ({pbf.stat().st_size:,} bytes, OSM data of "
                 f"{header.replication_timestamp or 'unknown date'})")
        exe = Path(valhalla.__file__).parent / "bin" / "valhalla_build_tiles"
        _run([str(exe), "-c", str(config), str(pbf.resolve())], progress, f"Building tiles from {pbf.name}")
        progress("[3/4] Packing the tiles into one extract")
        _run([sys.executable, "-m", "valhalla.valhalla_build_extract", "-c", str(config), "--overwrite"],
             progress, "Packing the tiles")
        tiles = work / TILES_FILE
        if not tiles.is_file() or not any(tiles_dir.rglob("*.gph")):
            raise SourceError(pbf.name, "no routable roads were found in the extract")
        shutil.rmtree(tiles_dir)
        config.unlink()
        prov = {"name": name, "pbf_file": pbf.name, "pbf_path": str(pbf.resolve()), "pbf_sha256": pbf_sha,
                "pbf_bytes": pbf.stat().st_size, "replication_timestamp": header.replication_timestamp,
                "bbox": list(header.bbox) if header.bbox else None, "writing_program": header.writing_program,
                "tiles_sha256": _sha256(tiles), "tiles_bytes": tiles.stat().st_size,
                "build_seconds": round(time.perf_counter() - t0, 2), "valhalla_version": valhalla.__version__,
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"), "licence": "ODbL 1.0",
                "attribution": OSM_ATTRIBUTION}
        if prov["bbox"] is None:
            prov["bbox"] = list(_tiles_bbox(tiles))
        (work / PROVENANCE_FILE).write_text(json.dumps(prov, indent=2) + "\n")
        progress(f"[4/4] Moving the network into {target}")
        old = dest / f".{name}.old-{os.getpid()}"
        if target.exists():
            os.replace(target, old)
        os.replace(work, target)
        if old.exists():
            shutil.rmtree(old)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    progress(f"      {name}: {prov['tiles_bytes']:,} bytes of tiles in {prov['build_seconds']:.1f} s")
    return RoadNetwork(name, target, prov)


def _tiles_bbox(tiles: Path) -> tuple[float, float, float, float]:
    """Return the bounding box of the level-2 tiles in an extract (when the PBF header has none)."""
    import tarfile

    lons, lats = [], []
    with tarfile.open(tiles) as tf:
        for member in tf.getnames():
            parts = re.findall(r"\d+", member)
            if member.endswith(".gph") and parts and parts[0] == "2":
                tile = int("".join(parts[1:]))
                row, col = divmod(tile, 1440)  # level 2: 0.25° tiles, 1440 columns
                lons.append(-180 + col * 0.25)
                lats.append(-90 + row * 0.25)
    if not lons:
        raise LocalityError(f"{tiles}: no level-2 tiles to take a bounding box from")
    return min(lons), min(lats), max(lons) + 0.25, max(lats) + 0.25


def networks(folder: Path | None = None) -> list[RoadNetwork]:
    """Return every built road network (folders holding ``tiles.tar`` and ``network.json``), by name."""
    folder = folder or roads_dir()
    out: list[RoadNetwork] = []
    if not folder.is_dir():
        return out
    for d in sorted(folder.iterdir()):
        prov_file = d / PROVENANCE_FILE
        if d.name.startswith(".") or not (d / TILES_FILE).is_file() or not prov_file.is_file():
            continue
        try:
            prov = json.loads(prov_file.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        if isinstance(prov, dict) and prov.get("tiles_sha256") and prov.get("bbox"):
            out.append(RoadNetwork(d.name, d, prov))
    return out


def network(name: str, folder: Path | None = None) -> RoadNetwork:
    """Return the built network called ``name``.

    Raises
    ------
    LocalityError
        Naming the networks there are, and the command that builds one.
    """
    found = {n.name: n for n in networks(folder)}
    if name not in found:
        have = ", ".join(found) or "none"
        raise LocalityError(f"No road network called {name!r} is built (built: {have}). Build one with "
                            "`python -m locality roads build --pbf FILE --name NAME`.")
    return found[name]


def covering(lon, lat, folder: Path | None = None) -> tuple[RoadNetwork | None, str]:
    """Return the smallest built network whose extract (± :data:`COVER_MARGIN_M`) holds every point, or None and why.

    Parameters
    ----------
    lon, lat : array-like
        WGS84 degrees of every point (demand points and sites).
    """
    import numpy as np

    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    built = networks(folder)
    if not built:
        return None, ("no road network is built: run `python -m locality roads build --pbf FILE` with an "
                      "OpenStreetMap extract (e.g. from download.geofabrik.de) covering the area")
    best, best_out = None, None
    for n in sorted(built, key=lambda n: (n.bbox[2] - n.bbox[0]) * (n.bbox[3] - n.bbox[1])):
        x0, y0, x1, y1 = n.bbox
        dlat = COVER_MARGIN_M / 111_320.0
        dlon = dlat / max(np.cos(np.radians((y0 + y1) / 2)), 0.1)
        x0, y0, x1, y1 = x0 - dlon, y0 - dlat, x1 + dlon, y1 + dlat
        outside = int((~((lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))).sum())
        if outside == 0:
            return n, f"routed on {n.label()}"
        if best_out is None or outside < best_out:
            best, best_out = n, outside
    assert best is not None
    return None, (f"{best_out} of the {len(lon)} demand points and sites lie more than {COVER_MARGIN_M / 1000:g} km "
                  f"outside every built road network (closest: '{best.name}'); build one from an extract covering "
                  "them (python -m locality fetch --roads england/COUNTY, then roads build)")
