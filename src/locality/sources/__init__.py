"""Readers for the published raw files, one module per publisher.

Every reader checks the columns and types it needs and returns a tidy
``pandas.DataFrame`` (or ``geopandas.GeoDataFrame``) with lower-case column names.
Bad input raises :class:`locality.errors.SourceError` naming the file, row and column.
"""

from locality.sources.nhs import read_epraccur, read_practice_age, read_practice_map
from locality.sources.ohid import read_practice_imd
from locality.sources.ons import (
    read_census_population,
    read_iod2025,
    read_iod2025_indicators,
    read_lad_boundaries,
    read_lsoa_boundaries,
    read_lsoa_lad_lookup,
    read_lsoa_subicb_lookup,
    read_rural_urban,
)
from locality.sources.os_codepoint import read_codepoint

__all__ = [
    "read_census_population",
    "read_codepoint",
    "read_epraccur",
    "read_iod2025",
    "read_iod2025_indicators",
    "read_lad_boundaries",
    "read_lsoa_boundaries",
    "read_lsoa_lad_lookup",
    "read_lsoa_subicb_lookup",
    "read_practice_age",
    "read_practice_imd",
    "read_practice_map",
    "read_rural_urban",
]
