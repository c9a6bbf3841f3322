"""Read-only access to the DuckDB store: parameterised queries used by the app and CLI."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
import pandas as pd

from locality.errors import AreaError, StoreError
from locality.settings import store_path
from locality.store.schema import SCHEMA_VERSION, stored_version
from locality.vocabulary import AGE_BANDS

AREA_TYPES = {"region": "Region", "icb": "ICB", "sub_icb": "Sub-ICB location", "lad": "Local authority"}


def connect(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """Open the store read-only, after checking it has the schema this code reads.

    Raises
    ------
    StoreError
        If the store has not been built, or was built with another schema version
        (:data:`locality.store.schema.SCHEMA_VERSION`), e.g. by an older release.
    """
    path = Path(path or store_path())
    if not path.is_file():
        raise StoreError(f"The store {path} does not exist. Build it with `python -m locality build`.")
    con = duckdb.connect(str(path), read_only=True)
    version = stored_version(con)
    if version != SCHEMA_VERSION:
        con.close()
        found = "records no schema version" if version is None else f"has schema version {version}"
        raise StoreError(f"The store {path} {found}; this version of Locality Planner reads schema version "
                         f"{SCHEMA_VERSION}. Rebuild it with `python -m locality build`.")
    return con


def info(con: duckdb.DuckDBPyConnection) -> dict:
    """Return the store's headline counts (the ``info --json`` object)."""
    q = con.execute
    out = {
        "practices": q("SELECT count(*) FROM practice").fetchone()[0],
        "practices_geocoded": q("SELECT count(*) FROM practice WHERE geocoded").fetchone()[0],
        "practices_location_estimated": q(
            "SELECT count(*) FROM practice WHERE NOT geocoded AND easting IS NOT NULL").fetchone()[0],
        "practices_not_located": q("SELECT count(*) FROM practice WHERE easting IS NULL").fetchone()[0],
        "pcns": q("SELECT count(*) FROM pcn WHERE NOT placeholder").fetchone()[0],
        "pcn_placeholders": q("SELECT count(*) FROM pcn WHERE placeholder").fetchone()[0],
        "sub_icbs": q("SELECT count(DISTINCT sub_icb_code) FROM practice").fetchone()[0],
        "icbs": q("SELECT count(DISTINCT icb_code) FROM practice").fetchone()[0],
        "regions": q("SELECT count(DISTINCT region_code) FROM practice").fetchone()[0],
        "lsoas": q("SELECT count(*) FROM lsoa").fetchone()[0],
        "lsoas_without_sub_icb": q("SELECT count(*) FROM lsoa WHERE sub_icb_code IS NULL").fetchone()[0],
        "sites": q("SELECT count(*) FROM site").fetchone()[0],
        "shared_sites": q("SELECT count(*) FROM site WHERE shared").fetchone()[0],
        "practices_at_shared_sites": q("SELECT coalesce(sum(practices), 0) FROM site WHERE shared").fetchone()[0],
        "total_patients": int(q("SELECT sum(patients) FROM practice").fetchone()[0]),
        "registered_by_lsoa_practices": q(
            "SELECT count(DISTINCT practice_code) FROM practice_lsoa WHERE sex = 'ALL'").fetchone()[0],
        "registered_by_lsoa_patients": round(q(
            "SELECT coalesce(sum(patients), 0) FROM (SELECT patients FROM practice_lsoa WHERE sex = 'ALL' "
            "UNION ALL SELECT patients FROM practice_lsoa_unplaced WHERE sex = 'ALL')").fetchone()[0]),
        "registered_by_lsoa_unplaced": q(
            "SELECT coalesce(sum(patients), 0) FROM practice_lsoa_unplaced WHERE sex = 'ALL'").fetchone()[0],
        "payments_practices": q("SELECT count(*) FROM practice_payments").fetchone()[0],
        "extract_date": meta(con)["extract_date"],
    }
    out = {k: (int(v) if hasattr(v, "__int__") and not isinstance(v, str) else v) for k, v in out.items()}
    eds = list_editions(con)
    out["list_editions"] = [{"extract_date": f"{r.extract_date:%Y-%m-%d}", "file": r.file, "source_key": r.source_key,
                             "commissioner_kind": r.commissioner_kind, "practices": int(r.practices),
                             "patients": int(r.patients), "latest": bool(r.latest), "sha256": r.sha256}
                            for r in eds.itertuples()]
    return out


def info_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Return the number of rows of one of the optional tables (``practice_lsoa``, ``practice_payments``…)."""
    if table not in ("practice_lsoa", "practice_lsoa_unplaced", "practice_payments"):
        raise StoreError(f"{table} is not an optional table of the store.")
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Return the store's metadata (extract date, build time, schema version)."""
    return dict(con.execute("SELECT key, value FROM meta").fetchall())


def england_age_bands(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """England's Census 2021 residents in each age band (``age_0_15`` … ``age_65_plus``)."""
    row = con.execute(f"SELECT {', '.join(f'sum({b})' for b in AGE_BANDS)} FROM lsoa").fetchone()
    return dict(zip(AGE_BANDS, map(float, row), strict=True))


def default_circuity(con: duckdb.DuckDBPyConnection):
    """Return the default circuity factor derived when the store was built, with its citation.

    Returns
    -------
    locality.store.circuity.DefaultCircuity
    """
    from locality.store.circuity import default_from_meta

    return default_from_meta(meta(con))


def default_age_weights(con: duckdb.DuckDBPyConnection):
    """Return the default age weights fitted when the store was built (NHS Payments 2022-23), or None.

    Returns
    -------
    locality.assumptions.AgeWeights or None
        With the fit's citation as its source; None when the build had no payments file.
    """
    from locality.assumptions import AgeWeights
    from locality.store.need_weights import NeedFit

    fit = NeedFit.from_meta(meta(con))
    return None if fit is None else AgeWeights(dict(fit.weights), fit.source)


def provenance(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return the data-provenance table: file, publisher, edition, sha256, rows, licence."""
    return con.execute(
        "SELECT title, file, publisher, edition, rows, licence, sha256, url FROM data_source ORDER BY key"
    ).df()


def areas(con: duckdb.DuckDBPyConnection, area_type: str, parent_code: str | None = None) -> pd.DataFrame:
    """List areas of one type (``region``, ``icb``, ``sub_icb`` or ``lad``), optionally within a parent."""
    if parent_code is None:
        sql = "SELECT code, name, parent_code, covers FROM area WHERE area_type = ? ORDER BY name"
        return con.execute(sql, [area_type]).df()
    sql = "SELECT code, name, parent_code, covers FROM area WHERE area_type = ? AND parent_code = ? ORDER BY name"
    return con.execute(sql, [area_type, parent_code]).df()


def area(con: duckdb.DuckDBPyConnection, code: str) -> dict:
    """Return one area (type, code, name, parent, web geometry WKB) by its code.

    Raises
    ------
    AreaError
        If no region, ICB, sub-ICB or local authority has that code.
    """
    row = con.execute(
        "SELECT area_type, code, name, parent_code, covers, geom_web FROM area WHERE code = ? "
        "ORDER BY CASE area_type WHEN 'sub_icb' THEN 0 WHEN 'icb' THEN 1 WHEN 'lad' THEN 2 ELSE 3 END LIMIT 1",
        [code],
    ).fetchone()
    if row is None:
        raise AreaError(f"No area has the code {code!r}. Use a sub-ICB (e.g. U2G6B), ICB (e.g. S0E4D), "
                        "region (e.g. Y59) or local authority (e.g. E06000036) code.")
    out = dict(zip(["area_type", "code", "name", "parent_code", "covers", "geom_web"], row, strict=True))
    out["geom_web"] = bytes(out["geom_web"])
    return out


_AREA_COLUMN = {"region": "region_code", "icb": "icb_code", "sub_icb": "sub_icb_code", "lad": "lad_code"}


def practices(con: duckdb.DuckDBPyConnection, area_type: str, code: str) -> pd.DataFrame:
    """Return the practices in an area, with list size, PCN, location and site.

    Parameters
    ----------
    area_type : {"region", "icb", "sub_icb", "lad"}
    code : str
        The area's code.
    """
    col = _AREA_COLUMN[area_type]
    return con.execute(f"{_PRACTICE_SELECT} WHERE {col} = ? ORDER BY practice_code", [code]).df()


_PRACTICE_SELECT = """
    SELECT practice_code, practice_name, postcode, pcn_code, pcn_name, sub_icb_code, icb_code, region_code,
           lad_code, patients, patients_65plus, easting, northing, lat, lon, geocoded, location_source,
           site_id, lsoa21_code, practice_imd2025_score, address_1, address_2, address_3, address_4, address_5,
           status, open_date
    FROM practice"""


def all_practices(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return every practice in the store, with the columns of :func:`practices`."""
    return con.execute(f"{_PRACTICE_SELECT} ORDER BY practice_code").df()


def lsoa_adjacency(con: duckdb.DuckDBPyConnection, codes: list[str]) -> pd.DataFrame:
    """Return the adjacency pairs ``a, b`` whose two LSOAs are both among ``codes``."""
    return con.execute("SELECT a, b FROM lsoa_adjacency WHERE a IN (SELECT UNNEST(?)) AND b IN (SELECT UNNEST(?))",
                       [list(codes), list(codes)]).df()


def lsoas(con: duckdb.DuckDBPyConnection, area_type: str, code: str, with_geometry: bool = True) -> pd.DataFrame:
    """Return the LSOAs in an area with residents, IMD 2025 and (optionally) web geometry WKB.

    Residents are given in all and by Census 2021 age band (:data:`locality.vocabulary.AGE_BANDS`).
    """
    col = _AREA_COLUMN[area_type]
    geom = ", geom_web" if with_geometry else ""
    sql = f"""
        SELECT lsoa21_code, lsoa21_name, residents, {', '.join(AGE_BANDS)}, imd_score, imd_decile, imd_rank,
               patient_to_gp_ratio, connectivity_score, ruc, centroid_e, centroid_n, a.ahah_gp_minutes{geom}
        FROM lsoa LEFT JOIN lsoa_access a USING (lsoa21_code) WHERE {col} = ? ORDER BY lsoa21_code
    """
    df = con.execute(sql, [code]).df()
    if with_geometry:
        df["geom_web"] = df["geom_web"].map(bytes)
    return df


def pcn_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return every PCN with its national practice count, patients and main sub-ICB."""
    return con.execute("SELECT pcn_code, pcn_name, practices, patients, sites, sub_icb_code, placeholder FROM pcn").df()


def area_label(code: str, name: str, covers: str | None = None, max_places: int | None = None) -> str:
    """How the app names an area: a sub-ICB by its code and the places it covers, others by name and code.

    Parameters
    ----------
    covers : str, optional
        The places a sub-ICB covers, comma-separated (the ``area.covers`` column).
    max_places : int, optional
        List at most this many places, then "and N more" (all of them by default).
    """
    if isinstance(covers, str) and covers:
        places = covers.split(", ")
        more = f" and {len(places) - max_places} more" if max_places and len(places) > max_places else ""
        return f"{code} · {', '.join(places[:max_places] if max_places else places)}{more}"
    return name if code in name else f"{name} ({code})"


def area_type_of(con: duckdb.DuckDBPyConnection, code: str) -> str:
    """Return the area type (``sub_icb``, ``icb``, ``region`` or ``lad``) of an area code."""
    return area(con, code)["area_type"]


def grouping_inputs(con: duckdb.DuckDBPyConnection, area_type: str, code: str):
    """Return (practices, LSOAs with BNG geometry, LSOA adjacency) for grouping an area."""
    col = _AREA_COLUMN[area_type]
    p = practices(con, area_type, code)
    lsoa = con.execute(
        f"SELECT lsoa21_code, centroid_e, centroid_n, residents, imd_decile, geom_bng FROM lsoa WHERE {col} = ? "
        "ORDER BY lsoa21_code", [code]).df()
    adj = con.execute(
        f"""SELECT a, b FROM lsoa_adjacency
            WHERE a IN (SELECT lsoa21_code FROM lsoa WHERE {col} = ?)
              AND b IN (SELECT lsoa21_code FROM lsoa WHERE {col} = ?)""", [code, code]).df()
    return p, lsoa, adj


def lsoa_web_geometries(con: duckdb.DuckDBPyConnection, codes: list[str], bng: bool = False) -> pd.DataFrame:
    """Return ``lsoa21_code, lsoa21_name, geom_web`` (WKB bytes) for the given LSOA codes.

    With ``bng=True`` the geometry is the British National Grid one, in column ``geom_bng``.
    """
    col = "geom_bng" if bng else "geom_web"
    if not codes:
        return pd.DataFrame(columns=["lsoa21_code", "lsoa21_name", col])
    df = con.execute(f"SELECT lsoa21_code, lsoa21_name, {col} FROM lsoa WHERE lsoa21_code IN "
                     f"({','.join('?' * len(codes))})", list(codes)).df()
    df[col] = df[col].map(bytes)
    return df


def sub_icbs_of_practices(con: duckdb.DuckDBPyConnection, codes: list[str]) -> dict[str, str]:
    """Return practice code → sub-ICB code for those of ``codes`` the store holds."""
    if not codes:
        return {}
    rows = con.execute("SELECT practice_code, sub_icb_code FROM practice WHERE practice_code IN "
                       f"({','.join('?' * len(codes))})", list(codes)).fetchall()
    return dict(rows)


def practice_codes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Return the ODS codes of every practice in the store."""
    return {r[0] for r in con.execute("SELECT practice_code FROM practice").fetchall()}


def postcode_coordinates(con: duckdb.DuckDBPyConnection, postcodes: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Return the Code-Point Open easting and northing of each given postcode found in the store.

    Parameters
    ----------
    postcodes : iterable of str
        Postcodes in the store's normalised ``"AB1 2CD"`` form
        (:func:`locality.sources.os_codepoint.normalise_postcode`).

    Returns
    -------
    dict
        ``postcode -> (easting, northing)`` (British National Grid metres); postcodes not in
        Code-Point Open are left out.
    """
    pcs = list(postcodes)
    if not pcs:
        return {}
    rows = con.execute(f"SELECT postcode, easting, northing FROM postcode WHERE postcode IN ({','.join('?' * len(pcs))})",
                       pcs).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def england_postcodes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return ``postcode, easting, northing`` of every Code-Point Open postcode in England."""
    return con.execute("SELECT postcode, easting, northing FROM postcode WHERE country_code = 'E92000001'").df()


def lsoa_centroids(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return ``lsoa21_code, centroid_e, centroid_n, residents, ruc, region_code`` of every LSOA with a centroid."""
    return con.execute("SELECT lsoa21_code, centroid_e, centroid_n, residents, ruc, region_code FROM lsoa "
                       "WHERE centroid_e IS NOT NULL AND centroid_n IS NOT NULL").df()


def lsoa_population_centres(con: duckdb.DuckDBPyConnection, codes: list[str]) -> pd.DataFrame:
    """Return ``lsoa21_code, pop_centre_e, pop_centre_n`` of LSOAs (NaN where no postcode gives a centre)."""
    return con.execute("SELECT lsoa21_code, pop_centre_e, pop_centre_n FROM lsoa_access "
                       "WHERE lsoa21_code IN (SELECT unnest(?::VARCHAR[]))", [list(codes)]).df()


def lsoa_access(con: duckdb.DuckDBPyConnection, area_type: str, code: str) -> pd.DataFrame:
    """Return an area's LSOAs with residents, AHAH v3 drive minutes to a GP and IoD2025 connectivity."""
    col = _AREA_COLUMN[area_type]
    return con.execute(f"SELECT l.lsoa21_code, l.lsoa21_name, l.residents, a.ahah_gp_minutes, a.ahah_lsoa11, "
                       f"l.connectivity_score FROM lsoa l LEFT JOIN lsoa_access a USING (lsoa21_code) "
                       f"WHERE l.{col} = ? ORDER BY l.lsoa21_code", [code]).df()


def site_locations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return ``easting, northing`` (British National Grid metres) of every located practice site."""
    return con.execute("SELECT easting, northing FROM site WHERE easting IS NOT NULL AND northing IS NOT NULL").df()


def registrations(con: duckdb.DuckDBPyConnection, practice_codes: Iterable[str], sex: str = "ALL") -> pd.DataFrame:
    """Return where the given practices' patients live: ``practice_code, lsoa21_code, patients``.

    From NHS England's LSOA file (``practice_lsoa``); practices the file does not cover have no
    rows. ``patients`` are floats: a split LSOA 2011's patients are shared by Census residents.
    """
    codes = list(practice_codes)
    if not codes:
        return pd.DataFrame(columns=["practice_code", "lsoa21_code", "patients"])
    return con.execute(
        "SELECT practice_code, lsoa21_code, patients FROM practice_lsoa WHERE sex = ? AND practice_code IN "
        f"({','.join('?' * len(codes))}) ORDER BY practice_code, lsoa21_code", [sex, *codes]).df()


def unplaced_registrations(con: duckdb.DuckDBPyConnection, practice_codes: Iterable[str],
                           sex: str = "ALL") -> pd.DataFrame:
    """Return the given practices' patients no English LSOA holds: ``practice_code, kind, patients, codes``."""
    codes = list(practice_codes)
    if not codes:
        return pd.DataFrame(columns=["practice_code", "kind", "patients", "codes"])
    return con.execute(
        "SELECT practice_code, kind, patients, codes FROM practice_lsoa_unplaced WHERE sex = ? AND practice_code IN "
        f"({','.join('?' * len(codes))}) ORDER BY practice_code, kind", [sex, *codes]).df()


def registration_coverage(con: duckdb.DuckDBPyConnection, practice_codes: Iterable[str]) -> set[str]:
    """Return those of ``practice_codes`` whose patients by LSOA are known (the LSOA file covers them)."""
    codes = list(practice_codes)
    if not codes:
        return set()
    rows = con.execute("SELECT DISTINCT practice_code FROM practice_lsoa WHERE sex = 'ALL' AND practice_code IN "
                       f"({','.join('?' * len(codes))})", codes).fetchall()
    return {r[0] for r in rows}


def lsoa_points(con: duckdb.DuckDBPyConnection, codes: Iterable[str]) -> pd.DataFrame:
    """Return ``lsoa21_code, centroid_e, centroid_n, residents`` and the age bands of the given LSOAs."""
    codes = list(codes)
    cols = f"lsoa21_code, centroid_e, centroid_n, residents, {', '.join(AGE_BANDS)}"
    if not codes:
        return pd.DataFrame(columns=cols.split(", "))
    con.register("_codes", pd.DataFrame({"c": codes}))
    try:
        return con.execute(f"SELECT {cols} FROM lsoa WHERE lsoa21_code IN (SELECT c FROM _codes) "
                           "ORDER BY lsoa21_code").df()
    finally:
        con.unregister("_codes")


def lsoas_within(con: duckdb.DuckDBPyConnection, xmin: float, ymin: float, xmax: float, ymax: float) -> pd.DataFrame:
    """Return the LSOAs whose centroid lies in a box (BNG metres), with residents and age bands.

    Columns as :func:`lsoas` without geometry.
    """
    sql = f"""
        SELECT lsoa21_code, lsoa21_name, residents, {', '.join(AGE_BANDS)}, imd_score, imd_decile, imd_rank,
               patient_to_gp_ratio, connectivity_score, ruc, centroid_e, centroid_n
        FROM lsoa WHERE centroid_e BETWEEN ? AND ? AND centroid_n BETWEEN ? AND ? ORDER BY lsoa21_code
    """
    return con.execute(sql, [xmin, xmax, ymin, ymax]).df()


def practices_within(con: duckdb.DuckDBPyConnection, xmin: float, ymin: float, xmax: float,
                     ymax: float) -> pd.DataFrame:
    """Return ``practice_code, site_id, easting, northing, sub_icb_code`` of practices located in a box."""
    return con.execute(
        "SELECT practice_code, site_id, easting, northing, sub_icb_code FROM practice "
        "WHERE easting BETWEEN ? AND ? AND northing BETWEEN ? AND ? ORDER BY practice_code",
        [xmin, xmax, ymin, ymax]).df()


def payments(con: duckdb.DuckDBPyConnection, practice_codes: Iterable[str]) -> pd.DataFrame:
    """Return the NHS Payments 2022-23 rows of the given practices (those the file holds)."""
    codes = list(practice_codes)
    cols = ("practice_code, registered_patients, weighted_patients, global_sum, premises_payments, "
            "total_payments")
    if not codes:
        return pd.DataFrame(columns=cols.split(", "))
    return con.execute(f"SELECT {cols} FROM practice_payments WHERE practice_code IN "
                       f"({','.join('?' * len(codes))}) ORDER BY practice_code", codes).df()


def practices_registered_in(con: duckdb.DuckDBPyConnection, lsoa_codes: Iterable[str]) -> pd.DataFrame:
    """Return every practice's registered patients in the given LSOAs: ``practice_code, practice_name, lsoa21_code, patients``."""
    codes = list(lsoa_codes)
    if not codes:
        return pd.DataFrame(columns=["practice_code", "practice_name", "lsoa21_code", "patients"])
    con.register("_codes", pd.DataFrame({"c": codes}))
    try:
        return con.execute(
            "SELECT r.practice_code, p.practice_name, r.lsoa21_code, r.patients FROM practice_lsoa r "
            "LEFT JOIN practice p USING (practice_code) WHERE r.sex = 'ALL' AND r.lsoa21_code IN (SELECT c FROM _codes) "
            "ORDER BY r.practice_code, r.lsoa21_code").df()
    finally:
        con.unregister("_codes")


def list_editions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return the registered-list editions in the store, oldest first.

    Columns ``extract_date, source_key, file, commissioner_kind, practices, patients, latest``, with each
    file's ``sha256`` and ``edition`` from the provenance table.
    """
    return con.execute(
        "SELECT e.extract_date, e.source_key, e.file, e.commissioner_kind, e.practices, e.patients, e.latest, "
        "d.sha256, d.publisher FROM list_edition e LEFT JOIN data_source d ON d.key = e.source_key "
        "ORDER BY e.extract_date").df()


_HISTORY_SELECT = """
    SELECT h.practice_code, h.practice_name, h.in_current_map, h.sub_icb_code, h.icb_code, h.region_code,
           h.lad_code, h.area_from, h.ods_status, h.open_date, h.close_date, h.last_postcode
    FROM practice_history h"""


def practice_list_history(con: duckdb.DuckDBPyConnection, practice_codes: Iterable[str]) -> tuple[pd.DataFrame,
                                                                                                  pd.DataFrame]:
    """Return the lists at each edition of some practices, and what is known of each practice.

    Returns
    -------
    lists : DataFrame
        ``extract_date, practice_code, patients`` (one row per edition a practice is published in).
    history : DataFrame
        One row per practice code seen in any edition (see the ``practice_history`` table).
    """
    codes = sorted(set(practice_codes))
    lists = con.execute("SELECT extract_date, practice_code, patients FROM practice_list_edition "
                        "WHERE practice_code IN (SELECT UNNEST(?)) ORDER BY extract_date, practice_code",
                        [codes]).df()
    hist = con.execute(f"{_HISTORY_SELECT} WHERE h.practice_code IN (SELECT UNNEST(?)) ORDER BY h.practice_code",
                       [codes]).df()
    return lists, hist


def area_list_history(con: duckdb.DuckDBPyConnection, area_type: str | None, code: str | None) -> tuple[pd.DataFrame,
                                                                                                       pd.DataFrame]:
    """Return the lists at each edition of every practice that counts in an area (all of England with None).

    A practice in today's practice map counts in its area there; one that is not (closed or merged) in the
    area of the LSOA holding its last published postcode. Returns the frames of :func:`practice_list_history`.
    """
    if area_type is None:
        where, params = "", []
    else:
        where, params = f"WHERE h.{_AREA_COLUMN[area_type]} = ?", [code]
    hist = con.execute(f"{_HISTORY_SELECT} {where} ORDER BY h.practice_code", params).df()
    lists = con.execute(
        "SELECT e.extract_date, e.practice_code, e.patients FROM practice_list_edition e "
        f"JOIN practice_history h USING (practice_code) {where} ORDER BY e.extract_date, e.practice_code",
        params).df()
    return lists, hist


def area_list_totals(con: duckdb.DuckDBPyConnection, area_type: str) -> pd.DataFrame:
    """Return every area's registered patients at each edition (``code, extract_date, patients, practices``).

    Each practice counts in the area of :func:`area_list_history` (closed practices too); practices placed in
    no area of that type are left out.
    """
    col = _AREA_COLUMN[area_type]
    return con.execute(
        f"SELECT h.{col} AS code, e.extract_date, sum(e.patients) AS patients, count(*) AS practices "
        f"FROM practice_list_edition e JOIN practice_history h USING (practice_code) WHERE h.{col} IS NOT NULL "
        "GROUP BY ALL ORDER BY code, e.extract_date").df()
