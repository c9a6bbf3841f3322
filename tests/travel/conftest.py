"""A road network built from the real Rutland OpenStreetMap extract, once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

RUTLAND_PBF = "osm_geofabrik_rutland_2022_07/rutland-latest.osm.pbf"


@pytest.fixture(scope="session")
def rutland_pbf() -> Path:
    """The Rutland extract in the raw data (SOURCES.md §15); skips, saying why, when absent."""
    from locality.settings import raw_dir_candidates

    for d in raw_dir_candidates():
        if (d / RUTLAND_PBF).is_file():
            return d / RUTLAND_PBF
    pytest.skip(f"the Rutland OSM extract {RUTLAND_PBF} is not in the raw data")


@pytest.fixture(scope="session")
def roads_dir(tmp_path_factory, rutland_pbf) -> Path:
    """A folder of road networks holding 'rutland', built from the extract (about a second)."""
    from locality.travel.networks import build_network

    folder = tmp_path_factory.mktemp("roads")
    build_network(rutland_pbf, "rutland", dest=folder, progress=lambda _m: None)
    return folder


@pytest.fixture(scope="session")
def rutland(roads_dir):
    """The built Rutland network."""
    from locality.travel.networks import network

    return network("rutland", roads_dir)


@pytest.fixture()
def use_roads(roads_dir, monkeypatch) -> Path:
    """Point LOCALITY_ROADS_DIR at the session's networks for this test."""
    monkeypatch.setenv("LOCALITY_ROADS_DIR", str(roads_dir))
    return roads_dir
