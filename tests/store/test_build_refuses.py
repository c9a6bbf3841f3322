"""The build refuses incomplete, damaged or inconsistent official files, and keeps the previous store byte for byte."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from locality.errors import SourceError, StoreError
from locality.settings import source_config, source_keys
from locality.store.build import build_store


def _linked_copy(raw_dir: Path, dest: Path) -> Path:
    """A raw directory of symlinks to ``raw_dir``'s files (a file is replaced by unlinking it first)."""
    for key in source_keys():
        rel = source_config()[key]["path"]
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        if not (dest / rel).exists():
            os.symlink(raw_dir / rel, dest / rel)
    return dest


def _replace(raw: Path, key: str, data: bytes) -> Path:
    path = raw / source_config()[key]["path"]
    path.unlink()
    path.write_bytes(data)
    return path


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture()
def previous(small_store, tmp_path):
    out = tmp_path / "store" / "locality.duckdb"
    out.parent.mkdir()
    shutil.copy(small_store, out)
    return out


def _refused(raw: Path, out: Path, error=SourceError, **kw):
    before = _digest(out)
    with pytest.raises(error) as e:
        build_store(raw, out, progress=lambda _m: None, **kw)
    assert _digest(out) == before, "the previous store changed"
    assert sorted(p.name for p in out.parent.iterdir()) == ["locality.duckdb"], "a temporary file was left"
    return e.value


def _map_lines(small_raw_dir: Path) -> list[bytes]:
    return (small_raw_dir / source_config()["practice_map"]["path"]).read_bytes().splitlines(keepends=True)


def test_a_practice_map_cut_at_a_line_end_stops_the_build(small_raw_dir, tmp_path, previous):
    lines = _map_lines(small_raw_dir)
    raw = _linked_copy(small_raw_dir, tmp_path / "raw")
    _replace(raw, "practice_map", b"".join(lines[: len(lines) // 2]))
    err = _refused(raw, previous)
    assert err.file == "gp-reg-pat-prac-map.csv" and "are missing" in str(err)
    assert f"{len(lines) - 1 - (len(lines) // 2 - 1):,} of the {len(lines) - 1:,} practices" in str(err)


def test_an_age_file_missing_practices_stops_the_build(small_raw_dir, tmp_path, previous):
    src = small_raw_dir / source_config()["practice_age"]["path"]
    zin = zipfile.ZipFile(src)
    (member,) = zin.namelist()
    text = zin.read(member).decode().splitlines(keepends=True)
    gp = [i for i, ln in enumerate(text) if ",GP," in ln]
    first = text[gp[0]].split(",")[3]
    kept = [ln for ln in text if f",GP,{first}," not in ln]  # one practice's rows dropped
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member, "".join(kept))
    raw = _linked_copy(small_raw_dir, tmp_path / "raw")
    _replace(raw, "practice_age", buf.getvalue())
    err = _refused(raw, previous)
    assert err.file == "gp-reg-pat-prac-quin-age.zip" and first in str(err)


def test_an_age_file_whose_totals_disagree_stops_the_build(small_raw_dir, tmp_path, previous):
    src = small_raw_dir / source_config()["practice_age"]["path"]
    zin = zipfile.ZipFile(src)
    (member,) = zin.namelist()
    text = zin.read(member).decode().splitlines(keepends=True)
    i = next(i for i, ln in enumerate(text) if ",ICB," in ln and ",ALL,ALL," in ln)
    fields = text[i].rstrip("\r\n").split(",")
    fields[-1] = str(int(fields[-1]) + 1000)
    text[i] = ",".join(fields) + "\n"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member, "".join(text))
    raw = _linked_copy(small_raw_dir, tmp_path / "raw")
    _replace(raw, "practice_age", buf.getvalue())
    err = _refused(raw, previous)
    assert "ICB total" in str(err) and "add up to" in str(err) and err.column == "NUMBER_OF_PATIENTS"


def test_an_ods_file_that_does_not_know_a_practice_stops_the_build(small_raw_dir, tmp_path, previous):
    src = small_raw_dir / source_config()["epraccur"]["path"]
    lines = src.read_bytes().splitlines(keepends=True)
    code = _map_lines(small_raw_dir)[1].split(b",")[2]
    raw = _linked_copy(small_raw_dir, tmp_path / "raw")
    _replace(raw, "epraccur", b"".join(ln for ln in lines if not ln.startswith(b'"' + code + b'"')
                                       and not ln.startswith(code + b",")))
    err = _refused(raw, previous)
    assert err.file == "epraccur.csv" and code.decode() in str(err)


@pytest.mark.parametrize("damage", ["corrupt zip member", "truncated gzip", "empty file"])
def test_damaged_files_are_named(small_raw_dir, tmp_path, previous, damage):
    raw = _linked_copy(small_raw_dir, tmp_path / "raw")
    if damage == "corrupt zip member":
        key = "practice_age"
        data = bytearray((small_raw_dir / source_config()[key]["path"]).read_bytes())
        mid = len(data) // 2
        data[mid:mid + 64] = bytes(64)  # zeroes in the deflated member: bad data or a CRC error
    elif damage == "truncated gzip":
        key = next(k for k in source_keys() if source_config()[k]["path"].endswith(".gz"))
        data = bytearray((small_raw_dir / source_config()[key]["path"]).read_bytes())
        data = data[: len(data) // 2]
    else:
        key = "practice_map"
        data = bytearray()
    path = _replace(raw, key, bytes(data))
    err = _refused(raw, previous)
    assert err.file == path.name, str(err)
    assert any(w in str(err) for w in ("damaged or cut short", "empty", "not a valid zip")), str(err)


def test_a_large_drop_against_the_previous_store_needs_allow_drop(small_raw_dir, tmp_path, previous):
    """A consistent but smaller set of files (one sub-ICB's practices gone from every NHS file) stops the build."""
    lines = _map_lines(small_raw_dir)
    header, rows = lines[0], lines[1:]
    sub = rows[0].split(b",")[8]  # SUB_ICB_LOCATION_CODE of the first practice
    gone = {r.split(b",")[2] for r in rows if r.split(b",")[8] == sub}
    assert 0.03 < len(gone) / len(rows) < 0.9
    raw = _linked_copy(small_raw_dir, tmp_path / "raw")
    _replace(raw, "practice_map", header + b"".join(r for r in rows if r.split(b",")[2] not in gone))
    src = small_raw_dir / source_config()["practice_age"]["path"]
    zin = zipfile.ZipFile(src)
    (member,) = zin.namelist()
    text = zin.read(member).splitlines(keepends=True)
    keep = [ln for ln in text if ln.split(b",")[2] == b"ORG_TYPE" or (ln.split(b",")[2] == b"GP"
            and ln.split(b",")[3] not in gone)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member, b"".join(keep))
    _replace(raw, "practice_age", buf.getvalue())
    err = _refused(raw, previous, StoreError)
    assert "fewer" in str(err) and "--allow-drop" in str(err)
    build_store(raw, previous, progress=lambda _m: None, allow_drop=True)  # expected: builds
    import duckdb

    con = duckdb.connect(str(previous), read_only=True)
    assert con.execute("SELECT count(*) FROM practice").fetchone()[0] == len(rows) - len(gone)
    con.close()

