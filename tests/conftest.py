"""Shared fixtures: the real raw-data directory and one national store built per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from locality.settings import find_raw_dir, source_file
from locality.store.build import build_store

ARTIFACTS = Path(__file__).parent / "artifacts"
APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The raw-data directory (LOCALITY_RAW_DIR, data/raw or ../shared/data/raw)."""
    found = find_raw_dir()
    if found is None:
        pytest.fail("No raw-data directory found: set LOCALITY_RAW_DIR or run `python -m locality fetch`.")
    return found


@pytest.fixture(scope="session")
def raw(raw_dir):
    """Return a function giving the path of a source key in the raw-data directory."""
    return lambda key: source_file(raw_dir, key)


@pytest.fixture(scope="session")
def national_store(tmp_path_factory, raw_dir) -> Path:
    """A store built from the national raw data, once per test session.

    Reuses ``LOCALITY_TEST_STORE`` when set (CI builds the store once, then tests it).
    """
    reuse = os.environ.get("LOCALITY_TEST_STORE")
    if reuse and Path(reuse).is_file():
        return Path(reuse)
    out = tmp_path_factory.mktemp("store") / "locality.duckdb"
    build_store(raw_dir, out, progress=lambda _msg: None)
    return out


@pytest.fixture()
def con(national_store):
    """A read-only connection to the national store."""
    from locality import store

    c = store.connect(national_store)
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


@pytest.fixture()
def open_page(national_store, monkeypatch, user_db):
    """Return a function that runs the app in AppTest on the national store, optionally switched to a page.

    The user database (registers, scenarios) is a fresh one per test.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("LOCALITY_STORE", str(national_store))
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
