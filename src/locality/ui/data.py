"""Cached access to the store for the pages."""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from locality import store


@st.cache_resource(show_spinner=False)
def connection() -> duckdb.DuckDBPyConnection:
    """Return one read-only connection to the store for the whole app."""
    return store.connect()


def _cursor() -> duckdb.DuckDBPyConnection:
    return connection().cursor()


@st.cache_data(show_spinner=False)
def areas(area_type: str, parent_code: str | None = None) -> pd.DataFrame:
    """Cached :func:`locality.store.areas`."""
    return store.areas(_cursor(), area_type, parent_code)


@st.cache_data(show_spinner=False)
def area(code: str) -> dict:
    """Cached :func:`locality.store.area`."""
    return store.area(_cursor(), code)


@st.cache_data(show_spinner=False)
def practices(area_type: str, code: str) -> pd.DataFrame:
    """Cached :func:`locality.store.practices`."""
    return store.practices(_cursor(), area_type, code)


@st.cache_data(show_spinner=False)
def lsoas(area_type: str, code: str) -> pd.DataFrame:
    """Cached :func:`locality.store.lsoas` (with web geometry)."""
    return store.lsoas(_cursor(), area_type, code)


@st.cache_data(show_spinner=False)
def pcn_table() -> pd.DataFrame:
    """Cached :func:`locality.store.pcn_table`."""
    return store.pcn_table(_cursor())


@st.cache_data(show_spinner=False)
def provenance() -> pd.DataFrame:
    """Cached :func:`locality.store.provenance`."""
    return store.provenance(_cursor())


@st.cache_data(show_spinner=False)
def default_circuity():
    """Cached :func:`locality.store.default_circuity`."""
    return store.default_circuity(_cursor())


@st.cache_data(show_spinner=False)
def meta() -> dict:
    """Cached :func:`locality.store.meta`."""
    return store.meta(_cursor())
