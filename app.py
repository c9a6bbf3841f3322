"""Locality Planner: the Streamlit entry point (``streamlit run app.py``)."""

from __future__ import annotations

import streamlit as st

from locality.errors import LocalityError
from locality.outputs.assets import install_map_assets
from locality.settings import store_path
from locality.ui.errors import error_boundary
from locality.ui.layout import readable_figures

st.set_page_config(page_title="Locality Planner", layout="wide")
readable_figures()  # metric labels wrap instead of ending in "…" at 1366 px

if not store_path().is_file():
    st.error(f"The data store {store_path()} has not been built yet. Run `python -m locality build` "
             "(or start the app with `bash run.sh`, which builds it).")
    st.stop()
try:
    install_map_assets()
except LocalityError as exc:
    st.error(f"Map assets are missing: {exc}")
    st.stop()

pages = [
    st.Page("pages/overview.py", title="Overview", default=True),
    st.Page("pages/localities.py", title="Localities"),
    st.Page("pages/hubs.py", title="Hubs & estates"),
    st.Page("pages/growth.py", title="Growth"),
    st.Page("pages/scenarios.py", title="Scenarios"),
    st.Page("pages/present.py", title="Presentation mode", url_path="present"),
]
page = st.navigation(pages)
with error_boundary(f"The {page.title} page"):
    page.run()
