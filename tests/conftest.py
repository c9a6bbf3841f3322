"""Shared fixtures: the raw-data directory, a small store (one ICB) for most tests, and the national store.

Most tests run on ``small_store``: a store built, once per session, from a filtered copy of the raw files
that keeps one ICB (NHS Thames Valley, S0E4D, which holds East Berkshire U2G6B; see
``tests/fixtures/small_raw.py``). Tests pinned to the July 2026 national figures live in
``tests/national/``, carry the ``national`` marker and use ``national_store`` / ``national_con``; any test
that asks for the national store gets that marker too, so ``pytest -m "not national"`` runs the fast set.
Without the raw data, the tests that need it skip and say why.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from locality.settings import find_raw_dir, raw_dir_candidates, source_config, source_file, source_keys
from locality.store.build import build_store
from tests.fixtures.small_raw import TEST_ICB, write_small_raw

ARTIFACTS = Path(__file__).parent / "artifacts"
APP = str(Path(__file__).resolve().parent.parent / "app.py")

#: Fixtures that need the national store: a test asking for one is marked ``national``.
NATIONAL_FIXTURES = {"national_store", "national_con", "open_national_page"}


def pytest_collection_modifyitems(items):
    """Mark every test that uses the national store ``national`` (so ``-m "not national"`` leaves it out)."""
    for item in items:
        if NATIONAL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.national)


def _quiet(_msg: str) -> None:
    pass


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The national raw-data directory (LOCALITY_RAW_DIR, data/raw or ../shared/data/raw).

    Skips the test, saying why, when no directory holds every file in ``sources.toml``.
    """
    found = find_raw_dir()
    if found is None:
        tried = ", ".join(str(p) for p in raw_dir_candidates())
        pytest.skip(f"raw data absent: no directory holds the source files (tried {tried}); "
                    "set LOCALITY_RAW_DIR or run `python -m locality fetch`")
    missing = [source_config()[k]["path"] for k in source_keys() if not source_file(found, k).is_file()]
    if missing:
        pytest.skip(f"raw data incomplete in {found}: missing {', '.join(missing)}; run `python -m locality fetch`")
    return found


@pytest.fixture(scope="session")
def raw(raw_dir):
    """Return a function giving the path of a source key in the national raw-data directory."""
    return lambda key: source_file(raw_dir, key)


@pytest.fixture(scope="session")
def small_raw_dir(tmp_path_factory, raw_dir) -> Path:
    """A copy of the raw files filtered to one ICB (:data:`tests.fixtures.small_raw.TEST_ICB`), same formats."""
    out = tmp_path_factory.mktemp("small_raw")
    write_small_raw(raw_dir, out, TEST_ICB)
    return out


@pytest.fixture(scope="session")
def small_raw(small_raw_dir):
    """Return a function giving the path of a source key in the small raw-data copy."""
    return lambda key: source_file(small_raw_dir, key)


@pytest.fixture(scope="session")
def small_store(tmp_path_factory, request) -> Path:
    """A store built from the small raw copy (one ICB), once per test session.

    Reuses ``LOCALITY_TEST_SMALL_STORE`` when it names a file (e.g. built once for several runs).
    """
    reuse = os.environ.get("LOCALITY_TEST_SMALL_STORE")
    if reuse and Path(reuse).is_file():
        return Path(reuse)
    raw = request.getfixturevalue("small_raw_dir")
    out = tmp_path_factory.mktemp("small_store") / "locality.duckdb"
    build_store(raw, out, progress=_quiet)
    return out


@pytest.fixture(scope="session")
def national_store(tmp_path_factory, request) -> Path:
    """A store built from the national raw data, once per test session.

    Reuses ``LOCALITY_TEST_STORE`` when set (CI builds the store once, then tests it).
    """
    reuse = os.environ.get("LOCALITY_TEST_STORE")
    if reuse and Path(reuse).is_file():
        return Path(reuse)
    raw = request.getfixturevalue("raw_dir")
    out = tmp_path_factory.mktemp("store") / "locality.duckdb"
    build_store(raw, out, progress=_quiet)
    return out


def _connect(path: Path):
    from locality import store

    return store.connect(path)


@pytest.fixture()
def con(small_store):
    """A read-only connection to the small store (one ICB)."""
    c = _connect(small_store)
    yield c
    c.close()


@pytest.fixture()
def national_con(national_store):
    """A read-only connection to the national store."""
    c = _connect(national_store)
    yield c
    c.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Directory for screenshots and other test outputs."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download needed)."""
    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (test.sh and .ci/run do).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def user_db(tmp_path, monkeypatch) -> Path:
    """A fresh, empty user database (registers, scenarios) for this test."""
    path = tmp_path / "user.duckdb"
    monkeypatch.setenv("LOCALITY_USER_DB", str(path))
    return path


_CACHED_STORE: list[Path] = []


def _serve_store(store_path: Path) -> None:
    """Clear Streamlit's caches when the pages are opened on another store than the last ones.

    The app's store connection and queries are cached for the whole process (``ui/data.py``), and
    AppTest runs share that process: without this, every page test would use whichever store was
    opened first (the national one, when ``tests/national`` runs before ``tests/pages``).
    """
    import streamlit as st

    if _CACHED_STORE != [store_path]:
        st.cache_data.clear()
        st.cache_resource.clear()
        _CACHED_STORE[:] = [store_path]


def _app_opener(store_path: Path, monkeypatch):
    """Return a function that runs the app in AppTest on ``store_path``, optionally switched to a page."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("LOCALITY_STORE", str(store_path))
    monkeypatch.setenv("LOCALITY_DEBUG", "1")  # unexpected errors raise (page.exception), not only a message
    _serve_store(store_path)
    # AppTest resets Streamlit's old "pages/ folder" mode before every run, so each run would start
    # on the page script alone and ui.boot.through_app would rerun it through app.py, dropping the
    # button press of that run. A served app leaves that mode once, at its first run: do the same.
    original_init = PagesManager.__init__

    def init_in_navigation_mode(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init_in_navigation_mode)

    def _open(page: str | None = None):
        at = AppTest.from_file(APP, default_timeout=180)
        at.run()
        if page:
            at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    return _open


@pytest.fixture()
def open_page(small_store, monkeypatch, user_db):
    """Return a function that runs the app in AppTest on the small store, optionally switched to a page.

    The user database (registers, scenarios) is a fresh one per test.
    """
    return _app_opener(small_store, monkeypatch)


@pytest.fixture()
def open_national_page(national_store, monkeypatch, user_db):
    """Return a function that runs the app in AppTest on the national store (see ``open_page``)."""
    return _app_opener(national_store, monkeypatch)
