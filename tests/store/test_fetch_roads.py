"""``python -m locality fetch --roads REGION`` against a local HTTP server serving the Rutland extract."""

from __future__ import annotations

import functools
import hashlib
import http.server
import shutil
import threading

import pytest

from locality.cli import main
from locality.errors import LocalityError, SourceError
from locality.store.fetch import fetch_roads
from tests.travel.conftest import RUTLAND_PBF


@pytest.fixture()
def geofabrik(tmp_path):
    """Serve a folder laid out like Geofabrik's United Kingdom folder on 127.0.0.1: (folder, base URL)."""
    root = tmp_path / "geofabrik"
    (root / "england").mkdir(parents=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_roads_downloads_and_checks_the_extract(geofabrik, raw_dir, tmp_path, capsys):
    root, url = geofabrik
    shutil.copy(raw_dir / RUTLAND_PBF, root / "england" / "rutland-latest.osm.pbf")
    dest = tmp_path / "osm"
    assert main(["fetch", "--roads", "england/rutland", "--mirror", url, "--dest", str(dest)]) == 0
    got = dest / "rutland-latest.osm.pbf"
    assert hashlib.sha256(got.read_bytes()).hexdigest() == hashlib.sha256((raw_dir / RUTLAND_PBF).read_bytes()
                                                                           ).hexdigest()
    err = capsys.readouterr().err
    assert "2022-07-20T20:21:45Z" in err and "roads build --pbf" in err
    assert fetch_roads("england/rutland", dest, url) == got  # present: not downloaded again
    assert "present" in capsys.readouterr().err


def test_a_bad_download_leaves_nothing(geofabrik, tmp_path):
    root, url = geofabrik
    (root / "england" / "berkshire-latest.osm.pbf").write_text("<html>Service unavailable</html>")
    dest = tmp_path / "osm"
    with pytest.raises(SourceError, match=r"berkshire-latest.osm.pbf downloaded from .*not an OpenStreetMap PBF"):
        fetch_roads("england/berkshire", dest, url)
    with pytest.raises(LocalityError, match="could not download"):
        fetch_roads("england/nowhere", dest, url)
    assert list(dest.iterdir()) == []


@pytest.mark.parametrize("region", ["", "../etc/passwd", "england/berk shire"])
def test_a_bad_region_is_refused(region, tmp_path):
    with pytest.raises(LocalityError, match="not a Geofabrik region"):
        fetch_roads(region, tmp_path, "http://127.0.0.1:9")
