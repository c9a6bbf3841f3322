"""Helpers for end-to-end tests: serve the app and drive headless Chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served_app(store: Path, timeout: float = 90.0):
    """Run ``streamlit run app.py`` on a free port and yield its URL."""
    port = free_port()
    env = {**os.environ, "LOCALITY_STORE": str(store)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("streamlit did not start")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def map_frames(page, n: int = 1, min_paths: int = 1, timeout_ms: int = 60_000) -> list:
    """Return ``n`` streamlit-folium frames once Leaflet has drawn at least ``min_paths`` vector paths in each.

    Frames are reached through their ``<iframe>`` elements (a frame locator), which works whether or not
    Chromium runs the frame in its own process.
    """
    selector = "iframe[title='streamlit_folium.st_folium']"
    page.wait_for_selector(selector, state="attached", timeout=timeout_ms)
    deadline = time.time() + timeout_ms / 1000
    while time.time() < deadline:
        ready = []
        for i in range(page.locator(selector).count()):
            f = page.frame_locator(selector).nth(i)
            try:
                if (f.locator(".leaflet-container").count()
                        and f.locator("path.leaflet-interactive").count() >= min_paths):
                    ready.append(f)
            except Exception:  # the frame may be replaced while we look
                pass
        if len(ready) >= n:
            return ready
        time.sleep(0.5)
    raise AssertionError(f"the map never drew: fewer than {n} streamlit-folium frame(s) with a Leaflet container "
                         f"and {min_paths}+ vector paths")


def map_frame(page, timeout_ms: int = 60_000):
    """Return the page's first streamlit-folium frame (in page order) once Leaflet has drawn into it.

    A page may hold more maps below (the Overview's "Where do this practice's patients live?"); the
    first is the page's main map, whichever draws first.
    """
    selector = "iframe[title='streamlit_folium.st_folium']"
    page.wait_for_selector(selector, state="attached", timeout=timeout_ms)
    deadline = time.time() + timeout_ms / 1000
    while time.time() < deadline:
        f = page.frame_locator(selector).nth(0)
        try:
            if f.locator(".leaflet-container").count() and f.locator("path.leaflet-interactive").count() >= 1:
                return f
        except Exception:  # the frame may be replaced while we look
            pass
        time.sleep(0.5)
    raise AssertionError("the map never drew: the first streamlit-folium frame has no Leaflet container with paths")


def wait_idle(page, timeout_s: float = 60.0) -> None:
    """Wait until Streamlit has finished running the script (no status widget showing)."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if page.locator("[data-testid='stStatusWidget']").count() == 0:
            time.sleep(0.5)
            if page.locator("[data-testid='stStatusWidget']").count() == 0:
                return
        time.sleep(0.3)
    raise AssertionError("the app was still running after the timeout")


def choose(page, label: str, option: str, scope=None, typed: str | None = None, tries: int = 4) -> None:
    """Pick ``option`` from the select box labelled ``label``, as a person would.

    A rerun (for example the map reporting its first view) can close an open list before the
    click lands; a person would simply open it again, and so does this.
    """
    where = scope if scope is not None else page
    for attempt in range(tries):
        wait_idle(page)
        where.get_by_label(label).first.click()
        if typed:
            page.keyboard.type(typed)
        item = page.get_by_role("option", name=option)
        try:
            item.first.wait_for(timeout=10_000)
            item.first.click(timeout=10_000)
            wait_idle(page)
            return
        except Exception:
            if attempt == tries - 1:
                raise
            page.keyboard.press("Escape")


def open_standalone_map(page, html: str) -> None:
    """Open a folium map's HTML in ``page`` as http://map.test/map.html, its Leaflet files served from ``static/vendor``.

    Returns once Leaflet has drawn a vector path.
    """
    import mimetypes

    from locality.outputs.assets import VENDOR_DIR

    def serve(route):
        path = route.request.url.split("http://map.test", 1)[1].split("?")[0]
        if path == "/map.html":
            return route.fulfill(body=html, content_type="text/html")
        f = VENDOR_DIR / path.rsplit("/app/static/vendor/", 1)[-1]
        if f.is_file():
            return route.fulfill(body=f.read_bytes(), content_type=mimetypes.guess_type(f.name)[0] or "text/plain")
        return route.fulfill(status=404, body="")

    page.route("http://map.test/**", serve)
    page.goto("http://map.test/map.html")
    page.wait_for_selector("path.leaflet-interactive", timeout=30_000)
