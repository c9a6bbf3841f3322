"""``python -m locality fetch`` against a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import zipfile

import pytest

from locality.errors import LocalityError, SourceError
from locality.settings import source_config
from locality.store.fetch import fetch_all


@pytest.fixture()
def mirror(tmp_path):
    """Serve a directory over HTTP on 127.0.0.1 and yield (directory, base URL)."""
    root = tmp_path / "mirror"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _copy(raw_dir, root, key):
    rel = source_config()[key]["path"]
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(raw_dir / rel, root / rel)
    return rel


def test_fetch_downloads_and_checks_files(small_raw_dir, mirror, tmp_path):
    root, url = mirror
    rels = [_copy(small_raw_dir, root, k) for k in ("practice_map", "practice_imd", "codepoint")]
    dest = tmp_path / "raw"
    written = fetch_all(dest, mirror=url, only=["practice_map", "practice_imd", "codepoint"])
    assert len(written) == 3
    for rel in rels:
        assert (dest / rel).read_bytes() == (small_raw_dir / rel).read_bytes()
    # present files are not downloaded again
    assert fetch_all(dest, mirror=url, only=["practice_map"]) == []


def test_fetch_unzips_a_published_zip(small_raw_dir, mirror, tmp_path):
    root, url = mirror
    rel = source_config()["practice_map"]["path"]
    (root / rel).parent.mkdir(parents=True)
    with zipfile.ZipFile(root / rel, "w") as zf:  # served as a zip, as NHS England publishes it
        zf.write(small_raw_dir / rel, source_config()["practice_map"]["unzip_member"])
    dest = tmp_path / "raw"
    fetch_all(dest, mirror=url, only=["practice_map"])
    assert (dest / rel).read_bytes() == (small_raw_dir / rel).read_bytes()


def test_bad_download_is_not_kept(mirror, tmp_path):
    root, url = mirror
    rel = source_config()["practice_imd"]["path"]
    (root / rel).parent.mkdir(parents=True)
    (root / rel).write_text("PRACTICE_CODE,IMD_YEAR,IMD_SCORE\nA81001,twenty,3.1\n")
    dest = tmp_path / "raw"
    with pytest.raises(SourceError) as e:
        fetch_all(dest, mirror=url, only=["practice_imd"])
    assert (e.value.row, e.value.column) == (2, "IMD_YEAR")
    assert not [p for p in (dest / rel).parent.iterdir()]


def test_unreachable_file_gives_a_clear_error(mirror, tmp_path):
    _root, url = mirror
    with pytest.raises(LocalityError, match="could not download"):
        fetch_all(tmp_path / "raw", mirror=url, only=["practice_imd"])


def test_fetch_knows_the_national_lsoa_file_and_unzips_it(raw_dir, mirror, tmp_path):
    from locality.settings import optional_source_file

    cfg = source_config()["registered_lsoa"]
    assert cfg["url"].startswith("https://files.digital.nhs.uk/") and cfg["unzip_member"] == "gp-reg-pat-prac-lsoa-all.csv"
    lincs = optional_source_file(raw_dir, "registered_lsoa")
    if lincs is None:
        pytest.skip("no registered-by-LSOA file in the raw data")
    root, url = mirror
    (root / cfg["path"]).parent.mkdir(parents=True)
    with zipfile.ZipFile(root / cfg["path"], "w") as zf:  # the monthly zip, served at the national path
        zf.write(lincs, cfg["unzip_member"])
    dest = tmp_path / "raw"
    written = fetch_all(dest, mirror=url, only=["registered_lsoa"])
    assert written == [dest / cfg["path"]] and (dest / cfg["path"]).read_bytes() == lincs.read_bytes()
    # the Lincolnshire subset at its own path counts as present
    sub = dest / cfg["also"][0]
    sub.parent.mkdir(parents=True)
    shutil.copy(lincs, sub)
    (dest / cfg["path"]).unlink()
    assert fetch_all(dest, mirror=url, only=["registered_lsoa"]) == []
