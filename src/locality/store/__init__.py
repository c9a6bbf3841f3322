"""The store: the national DuckDB file and the user database, and every query on them.

``locality.store`` itself is the read-only query API (:mod:`locality.store.queries`);
:mod:`~locality.store.build` writes the national store, :mod:`~locality.store.userdata` the
user's registers and scenarios, and :mod:`~locality.store.fetch` downloads the raw files.
:mod:`~locality.store.schema` holds the national store's tables and schema version.
"""

from locality.store.queries import (
    AREA_TYPES,
    all_practices,
    area,
    area_label,
    area_type_of,
    areas,
    connect,
    default_circuity,
    england_age_bands,
    england_postcodes,
    grouping_inputs,
    info,
    lsoa_access,
    lsoa_adjacency,
    lsoa_centroids,
    lsoa_population_centres,
    lsoa_web_geometries,
    lsoas,
    meta,
    pcn_table,
    postcode_coordinates,
    practice_codes,
    practices,
    provenance,
    site_locations,
    sub_icbs_of_practices,
)

__all__ = [
    "AREA_TYPES",
    "all_practices",
    "area",
    "area_label",
    "area_type_of",
    "areas",
    "connect",
    "default_circuity",
    "england_age_bands",
    "england_postcodes",
    "grouping_inputs",
    "info",
    "lsoa_access",
    "lsoa_adjacency",
    "lsoa_centroids",
    "lsoa_population_centres",
    "lsoa_web_geometries",
    "lsoas",
    "meta",
    "pcn_table",
    "postcode_coordinates",
    "practice_codes",
    "practices",
    "provenance",
    "site_locations",
    "sub_icbs_of_practices",
]
