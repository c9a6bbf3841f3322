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
    """Call :func:`locality.store.areas`, cached."""
    return store.areas(_cursor(), area_type, parent_code)


@st.cache_data(show_spinner=False)
def area(code: str) -> dict:
    """Call :func:`locality.store.area`, cached."""
    return store.area(_cursor(), code)


@st.cache_data(show_spinner=False)
def practices(area_type: str, code: str) -> pd.DataFrame:
    """Call :func:`locality.store.practices`, cached."""
    return store.practices(_cursor(), area_type, code)


@st.cache_data(show_spinner=False)
def lsoas(area_type: str, code: str) -> pd.DataFrame:
    """Call :func:`locality.store.lsoas` (with web geometry), cached."""
    return store.lsoas(_cursor(), area_type, code)


@st.cache_data(show_spinner=False)
def pcn_table() -> pd.DataFrame:
    """Call :func:`locality.store.pcn_table`, cached."""
    return store.pcn_table(_cursor())


@st.cache_data(show_spinner=False)
def provenance() -> pd.DataFrame:
    """Call :func:`locality.store.provenance`, cached."""
    return store.provenance(_cursor())


@st.cache_data(show_spinner=False)
def default_circuity():
    """Call :func:`locality.store.default_circuity`, cached."""
    return store.default_circuity(_cursor())


@st.cache_data(show_spinner=False)
def default_age_weights():
    """Call :func:`locality.store.default_age_weights`, cached."""
    return store.default_age_weights(_cursor())


@st.cache_data(show_spinner=False)
def registration_coverage(codes: tuple[str, ...]) -> set[str]:
    """Call :func:`locality.store.registration_coverage`, cached."""
    return store.registration_coverage(_cursor(), codes)


@st.cache_data(show_spinner=False)
def meta() -> dict:
    """Call :func:`locality.store.meta`, cached."""
    return store.meta(_cursor())


@st.cache_data(show_spinner="Solving the options…", max_entries=32)
def site_appraisal(options: dict, register: str | None = None, register_sha: str | None = None,
                   matrix: bytes | None = None, matrix_name: str = "", plan=None, new_builds: tuple = ()):
    """Call :func:`locality.sites.appraise_sites`, cached (keyed on every parameter and the inputs' contents).

    Parameters
    ----------
    options : dict
        :meth:`locality.sites.SiteOptions.to_dict` form.
    register, register_sha : str, optional
        A saved estates register's name, and its sha256 (so a replaced register is not served stale).
    matrix, matrix_name : bytes and str, optional
        An uploaded travel-time matrix and its file name.
    plan : PlanningYear, optional
        Appraise at a planning year (:mod:`locality.growth.planning`).
    new_builds : tuple of NewBuild, optional
        New-build candidates competing with today's premises.
    """
    from locality.sites import SiteOptions, appraise_sites
    from locality.sources.travel_matrix import read_travel_matrix
    from locality.store import userdata

    reg = userdata.load_register(register) if register else None
    table = read_travel_matrix(matrix, matrix_name, _cursor()) if matrix else None
    return appraise_sites(_cursor(), SiteOptions.from_dict(options), reg, table, plan=plan, new_builds=new_builds)


@st.cache_data(show_spinner=False, max_entries=32)
def road_coverage(options: dict, register: str | None = None, register_sha: str | None = None,
                  networks_key: tuple = ()) -> tuple[str | None, str]:
    """Call :func:`locality.sites.pipeline.road_coverage`, cached (``networks_key``: the built networks' sha256s)."""
    from locality.sites import SiteOptions
    from locality.sites.pipeline import road_coverage as coverage
    from locality.store import userdata

    reg = userdata.load_register(register) if register else None
    return coverage(_cursor(), SiteOptions.from_dict(options), reg)


def built_networks() -> tuple:
    """Return the built road networks' names and tiles' sha256 (a cache key: rebuilding one changes it)."""
    from locality.travel.networks import networks

    return tuple((n.name, n.tiles_sha256) for n in networks())


@st.cache_data(show_spinner=False, max_entries=64)
def lsoa_geometries(codes: tuple[str, ...]) -> pd.DataFrame:
    """Call :func:`locality.store.lsoa_web_geometries`, cached."""
    return store.lsoa_web_geometries(_cursor(), list(codes))


@st.cache_data(show_spinner=False)
def pcn_trends(pcn_codes: tuple[str, ...], floor: float, ceiling: float) -> pd.DataFrame:
    """Call :func:`locality.growth.area.pcn_trends`, cached."""
    from locality.growth.area import pcn_trends as trends

    return trends(_cursor(), list(pcn_codes), floor, ceiling)


@st.cache_data(show_spinner=False)
def area_growth(area_type: str, code: str):
    """Call :func:`locality.growth.area.area_growth` for an area and for England, cached."""
    from locality.growth.area import area_growth as growth
    from locality.growth.area import editions

    return growth(_cursor(), area_type, code), growth(_cursor()), editions(_cursor())


@st.cache_data(show_spinner=False)
def options_outlook(codes: tuple[str, ...], plan, uses: tuple) -> tuple[list[dict], str]:
    """Return each site option's capacity over time and GP need at a planning year, and the method line.

    ``uses``: ``(k, ((site_id, capacity use %), …))`` per option, at the planning year.
    """
    from locality.growth.area import projected_lists
    from locality.growth.planning import options_outlook as outlook

    every = store.all_practices(_cursor())
    proj = projected_lists(_cursor(), every[every["practice_code"].isin(set(codes))], plan)
    rows = outlook([{"k": k, "capacity_use": dict(u)} for k, u in uses], proj)
    return rows, proj.method()
