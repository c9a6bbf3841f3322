"""Road networks from the real Rutland OSM extract: the build, its provenance, and drive/walk matrices."""

from __future__ import annotations

import hashlib
import json
import shutil

import numpy as np
import pandas as pd
import pytest

from locality.cli import main
from locality.errors import LocalityError, SitesError, SourceError
from locality.sources.osm_pbf import read_pbf_header
from locality.travel import networks as nw
from locality.travel.valhalla import lonlat, road_matrix, road_travel

#: Oakham, Uppingham, Empingham and Market Overton (WGS84 lon, lat): Rutland's practice towns.
TOWNS = np.array([[-0.7270, 52.6706], [-0.7218, 52.5873], [-0.5967, 52.6667], [-0.6870, 52.7363]])
#: A point in the North Sea, far from any road of the extract.
AT_SEA = np.array([[1.9, 53.2]])


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_pbf_header_gives_the_extracts_date_and_box(rutland_pbf):
    h = read_pbf_header(rutland_pbf)
    assert h.replication_timestamp == "2022-07-20T20:21:45Z"
    assert h.bbox == pytest.approx((-0.822934, 52.52355, -0.427654, 52.76109), abs=1e-6)
    assert "DenseNodes" in h.required_features


def test_the_build_records_its_provenance(rutland, rutland_pbf):
    p = json.loads((rutland.path / nw.PROVENANCE_FILE).read_text())
    assert p["pbf_sha256"] == _sha(rutland_pbf) == "85f7540a52772856e61fca49c257ebdf653e62b4a552a9c59fc65b626582e387"
    assert p["tiles_sha256"] == _sha(rutland.tiles)
    assert p["replication_timestamp"] == "2022-07-20T20:21:45Z"
    assert "OpenStreetMap contributors" in p["attribution"] and p["licence"] == "ODbL 1.0"
    assert p["tiles_bytes"] > 500_000
    assert not [d for d in rutland.path.parent.iterdir() if d.name.startswith(".")], "no temporary folder left"


def test_matrix_shape_unit_and_a_site_to_itself(rutland):
    m = road_matrix(rutland, TOWNS, TOWNS, "drive", cache=False)
    assert m.minutes.shape == (4, 4)
    assert np.allclose(np.diag(m.minutes), 0)
    off = m.minutes[~np.eye(4, dtype=bool)]
    # towns 5 to 15 km apart on rural roads: minutes, not seconds or hours
    assert (off > 3).all() and (off < 30).all(), m.minutes
    assert m.unroutable() == []


def test_walking_is_slower_than_driving(rutland):
    drive = road_matrix(rutland, TOWNS, TOWNS, "drive", cache=False).minutes
    walk = road_matrix(rutland, TOWNS, TOWNS, "walk", cache=False).minutes
    off = ~np.eye(4, dtype=bool)
    assert (walk[off] > 3 * drive[off]).all()
    assert (walk[off] / drive[off]).min() < 20  # a walk of some km, not a failure value


def test_an_unroutable_point_is_reported_never_infinite(rutland):
    m = road_matrix(rutland, np.vstack([TOWNS[:2], AT_SEA]), TOWNS, "drive", cache=False)
    assert m.unroutable() == [(2, 0), (2, 1), (2, 2), (2, 3)]
    assert np.isnan(m.snap_m[2]) and np.isfinite(m.minutes[:2]).all()
    bng = pd.DataFrame({"lsoa21_code": ["E01A", "E01B", "E01SEA"]})
    from pyproj import Transformer

    t = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    pts = np.vstack([TOWNS[:2], AT_SEA])
    bng["centroid_e"], bng["centroid_n"] = t.transform(pts[:, 0], pts[:, 1])
    e, n = t.transform(TOWNS[:, 0], TOWNS[:, 1])
    sites = pd.DataFrame({"site_id": ["OAK", "UPP", "EMP", "MKO"], "easting": e, "northing": n})
    with pytest.raises(SitesError, match=r"4 of the 12 .* E01SEA→OAK.*No road within reach of: E01SEA"):
        road_travel(bng, sites, "drive", rutland)
    cost, _ = road_travel(bng.iloc[:2], sites, "walk", rutland)
    assert cost.unit == "min" and cost.cost.shape == (2, 4) and "Valhalla walking minutes" in cost.provenance
    assert "rutland" in cost.provenance and "OpenStreetMap contributors" in cost.provenance
    assert np.allclose(lonlat(sites["easting"], sites["northing"]), TOWNS, atol=1e-6)


def test_a_second_run_comes_from_the_cache(rutland):
    first = road_matrix(rutland, TOWNS[:3], TOWNS, "drive")
    again = road_matrix(rutland, TOWNS[:3], TOWNS, "drive")
    assert not first.cached and again.cached
    assert np.array_equal(first.minutes, again.minutes)
    other = road_matrix(rutland, TOWNS[:3], TOWNS[:2], "drive")  # other points: another key
    assert not other.cached


def test_a_corrupt_pbf_leaves_the_old_tiles_untouched(rutland_pbf, tmp_path):
    dest = tmp_path / "roads"
    nw.build_network(rutland_pbf, "rutland", dest=dest, progress=lambda _m: None)
    tiles, prov = dest / "rutland" / nw.TILES_FILE, dest / "rutland" / nw.PROVENANCE_FILE
    before = (_sha(tiles), prov.read_text())
    html = tmp_path / "rutland-latest.osm.pbf"
    html.write_text("<html><body>404 Not Found</body></html>")
    with pytest.raises(SourceError, match="not an OpenStreetMap PBF extract"):
        nw.build_network(html, "rutland", dest=dest, progress=lambda _m: None)
    truncated = tmp_path / "truncated.osm.pbf"  # a good header, then the download stops
    truncated.write_bytes(rutland_pbf.read_bytes()[:40_000])
    with pytest.raises(LocalityError):
        nw.build_network(truncated, "rutland", dest=dest, progress=lambda _m: None)
    assert (_sha(tiles), prov.read_text()) == before
    assert [d.name for d in dest.iterdir()] == ["rutland"], "no temporary folder is left behind"


def test_rebuilding_replaces_the_network_whole(rutland_pbf, tmp_path):
    dest = tmp_path / "roads"
    shutil.copy(rutland_pbf, tmp_path / "rutland-latest.osm.pbf")
    first = nw.build_network(tmp_path / "rutland-latest.osm.pbf", dest=dest, progress=lambda _m: None)
    assert first.name == "rutland"
    (first.path / "matrices").mkdir()
    second = nw.build_network(tmp_path / "rutland-latest.osm.pbf", dest=dest, progress=lambda _m: None)
    assert second.tiles_sha256 == _sha(second.tiles)  # the cache key is the new tiles' contents
    assert not (second.path / "matrices").exists()  # a rebuild starts a new cache
    assert [n.name for n in nw.networks(dest)] == ["rutland"]


def test_covering_says_why_not(rutland, roads_dir):
    found, why = nw.covering(TOWNS[:, 0], TOWNS[:, 1], roads_dir)
    assert found is not None and found.name == "rutland" and "2022-07-20" in why
    found, why = nw.covering([-0.72, -1.5], [52.67, 51.45], roads_dir)  # Oakham and Reading
    assert found is None and "1 of the 2" in why and "rutland" in why
    found, why = nw.covering([-0.72], [52.67], roads_dir / "none")
    assert found is None and "roads build" in why


@pytest.mark.parametrize("name", ["Rutland!", "../x", ""])
def test_a_bad_name_is_refused(rutland_pbf, tmp_path, name):
    with pytest.raises(LocalityError, match="name"):
        nw.build_network(rutland_pbf, name or "-", dest=tmp_path, progress=lambda _m: None)
    assert not list(tmp_path.iterdir())


def test_cli_roads_build_and_list(rutland_pbf, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LOCALITY_ROADS_DIR", str(tmp_path / "roads"))
    assert main(["roads", "build", "--pbf", str(rutland_pbf), "--name", "rut", "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["replication_timestamp"] == "2022-07-20T20:21:45Z"
    assert "[2/4] Building routing tiles" in out.err and "[4/4]" in out.err
    assert main(["roads", "list"]) == 0
    assert "rut " in capsys.readouterr().out
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    assert main(["roads", "build", "--pbf", str(bad), "--name", "rut"]) == 2
    assert "notes.txt" in capsys.readouterr().err
    assert main(["roads", "build", "--pbf", str(tmp_path / "missing.osm.pbf")]) == 2
    assert "no such file" in capsys.readouterr().err
