"""The header of an OpenStreetMap PBF extract: checked format, bounding box and replication timestamp.

An ``.osm.pbf`` file is a sequence of blobs, each preceded by a 4-byte big-endian length and a
``BlobHeader`` message; the first must be an ``OSMHeader`` blob whose ``HeaderBlock`` carries the
bounding box (nanodegrees), the writing program, the required features and, for Geofabrik
extracts, ``osmosis_replication_timestamp`` (seconds since 1970). Only that first blob is read.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from locality.errors import SourceError

#: A HeaderBlock larger than this is not an OSM header (the format caps it at 64 KiB).
_MAX_HEADER = 64 * 1024
_MAX_BLOB = 32 * 1024 * 1024


@dataclass(frozen=True)
class PbfHeader:
    """What the first block of an OSM PBF file says about the extract.

    Attributes
    ----------
    bbox : tuple of float or None
        ``(min_lon, min_lat, max_lon, max_lat)`` in degrees, when the header gives one.
    replication_timestamp : str or None
        The OSM replication timestamp (ISO 8601, UTC), when given.
    writing_program : str
    required_features : tuple of str
    """

    bbox: tuple[float, float, float, float] | None
    replication_timestamp: str | None
    writing_program: str
    required_features: tuple[str, ...]


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    out, shift = 0, 0
    while True:
        if i >= len(buf) or shift > 63:
            raise ValueError("truncated varint")
        b = buf[i]
        out |= (b & 0x7F) << shift
        i += 1
        if not b & 0x80:
            return out, i
        shift += 7


def _fields(buf: bytes) -> list[tuple[int, int | bytes]]:
    """Return the (field number, value) pairs of a protobuf message (varints and length-delimited only)."""
    out: list[tuple[int, int | bytes]] = []
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
            out.append((number, value))
        elif wire == 2:
            n, i = _varint(buf, i)
            if i + n > len(buf):
                raise ValueError("truncated field")
            out.append((number, buf[i:i + n]))
            i += n
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        else:
            raise ValueError(f"unknown wire type {wire}")
    return out


def _signed(v: int) -> int:
    """Return a protobuf ``sint64`` (zig-zag encoded) as a Python int."""
    return (v >> 1) ^ -(v & 1)


def read_pbf_header(path: str | Path) -> PbfHeader:
    """Read and check the header block of an OSM PBF file.

    Parameters
    ----------
    path : path
        The ``.osm.pbf`` file.

    Raises
    ------
    SourceError
        Naming the file, when it is missing, empty, or not an OSM PBF file (e.g. an HTML error
        page, an ``.osm`` XML file or a truncated download).
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise SourceError(name, f"no such file: {path}")
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
            if len(head) < 4:
                raise ValueError("the file is empty or shorter than a PBF block header")
            (size,) = struct.unpack(">I", head)
            if not 0 < size <= _MAX_HEADER:
                raise ValueError(f"the first block header claims {size:,} bytes")
            header = dict(_fields(fh.read(size)))
            if header.get(1) != b"OSMHeader":
                raise ValueError(f"the first block is {header.get(1)!r}, not 'OSMHeader'")
            datasize = header.get(3)
            if not isinstance(datasize, int) or not 0 < datasize <= _MAX_BLOB:
                raise ValueError("the header block has no valid size")
            blob_bytes = fh.read(datasize)
            if len(blob_bytes) < datasize:
                raise ValueError("the file ends inside its header block (truncated download?)")
        blob = dict(_fields(blob_bytes))
        if isinstance(blob.get(1), bytes):
            data = blob[1]
        elif isinstance(blob.get(3), bytes):
            data = zlib.decompress(blob[3])
        else:
            raise ValueError("the header block is neither raw nor zlib-compressed")
        return _header_block(data)
    except (ValueError, zlib.error, struct.error) as exc:
        raise SourceError(name, f"not an OpenStreetMap PBF extract ({exc}); download the .osm.pbf file "
                                "(e.g. from download.geofabrik.de)") from None


def _header_block(data: bytes) -> PbfHeader:
    bbox = None
    features, program, stamp = [], "", None
    for number, value in _fields(data):
        if number == 1 and isinstance(value, bytes):
            box = {k: _signed(v) for k, v in _fields(value) if isinstance(v, int)}
            if len(box) == 4:  # left, right, top, bottom in nanodegrees
                bbox = (box[1] / 1e9, box[4] / 1e9, box[2] / 1e9, box[3] / 1e9)
        elif number == 4 and isinstance(value, bytes):
            features.append(value.decode("utf-8", "replace"))
        elif number == 16 and isinstance(value, bytes):
            program = value.decode("utf-8", "replace")
        elif number == 32 and isinstance(value, int):
            stamp = datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if "OsmSchema-V0.6" not in features:
        raise ValueError("the header does not declare OsmSchema-V0.6")
    return PbfHeader(bbox, stamp, program, tuple(features))
