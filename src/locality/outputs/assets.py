"""Map assets (Leaflet, and jQuery for folium's popups) served by the app itself.

Folium links Leaflet and friends from public CDNs, which many NHS networks block (and
this machine cannot reach): the map then stays blank. Here both libraries are installed
from the npm registry (``package.json``, ``npm ci``) and copied into ``static/vendor/``,
which Streamlit serves at ``/app/static/vendor/``. No third-party file is committed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from locality.errors import LocalityError
from locality.settings import PROJECT_DIR

#: URL path under which Streamlit's static file serving exposes ``static/``.
STATIC_URL = "/app/static"
VENDOR_DIR = PROJECT_DIR / "static" / "vendor"
LEAFLET_FILES = ["leaflet.js", "leaflet.css"]
JQUERY_FILE = "jquery.min.js"


def leaflet_source_dir() -> Path:
    """Return ``node_modules/leaflet/dist`` as installed by ``npm ci``."""
    return PROJECT_DIR / "node_modules" / "leaflet" / "dist"


def jquery_source() -> Path:
    """Return ``node_modules/jquery/dist/jquery.min.js`` as installed by ``npm ci``."""
    return PROJECT_DIR / "node_modules" / "jquery" / "dist" / JQUERY_FILE


def install_map_assets(force: bool = False) -> Path:
    """Copy Leaflet's dist files and jQuery into ``static/vendor/`` (idempotent).

    Returns
    -------
    Path
        The directory the app serves.

    Raises
    ------
    LocalityError
        If Leaflet has not been installed with ``npm ci``.
    """
    target = VENDOR_DIR / "leaflet"
    if not force and map_assets_installed():
        return target
    src = leaflet_source_dir()
    for needed in (src / "leaflet.js", jquery_source()):
        if not needed.is_file():
            raise LocalityError(f"{needed} is missing: run `npm ci` in {PROJECT_DIR} to install the map assets.")
    (VENDOR_DIR / "jquery").mkdir(parents=True, exist_ok=True)
    shutil.copy2(jquery_source(), VENDOR_DIR / "jquery" / JQUERY_FILE)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for f in LEAFLET_FILES:
        shutil.copy2(src / f, target / f)
    shutil.copytree(src / "images", target / "images")
    return target


def map_assets_installed() -> bool:
    """Return True when the served Leaflet and jQuery files are in place."""
    return all((VENDOR_DIR / "leaflet" / f).is_file() for f in LEAFLET_FILES) and (
        VENDOR_DIR / "jquery" / JQUERY_FILE).is_file()


def leaflet_js_url() -> str:
    """URL of the locally served leaflet.js."""
    return f"{STATIC_URL}/vendor/leaflet/leaflet.js"


def leaflet_css_url() -> str:
    """URL of the locally served leaflet.css."""
    return f"{STATIC_URL}/vendor/leaflet/leaflet.css"


def jquery_js_url() -> str:
    """URL of the locally served jQuery (folium's HTML popups call ``$``)."""
    return f"{STATIC_URL}/vendor/jquery/{JQUERY_FILE}"
