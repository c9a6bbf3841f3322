"""Readers for the published raw files, one module per publisher.

Every reader checks the columns and types it needs and returns a tidy
``pandas.DataFrame`` (or ``geopandas.GeoDataFrame``) with lower-case column names.
Bad input raises :class:`locality.errors.SourceError` naming the file, row and column.
"""

from locality.sources.access import read_ahah, read_postcode_lsoa11
from locality.sources.list_editions import read_list_totals
from locality.sources.nhs import read_epraccur, read_practice_age, read_practice_map
from locality.sources.ohid import read_practice_imd
from locality.sources.ons import (
    read_census_population,
    read_iod2019_road_distance,
    read_iod2025,
    read_iod2025_indicators,
    read_lad_boundaries,
    read_lsoa11_lsoa21,
    read_lsoa_boundaries,
    read_lsoa_lad_lookup,
    read_lsoa_subicb_lookup,
    read_rural_urban,
)
from locality.sources.os_codepoint import read_codepoint
from locality.sources.payments import read_nhs_payments
from locality.sources.registered_lsoa import read_registered_lsoa

#: The reader for each source key in ``sources.toml``.
READERS = {
    "practice_map": read_practice_map,
    "practice_age": read_practice_age,
    "epraccur": read_epraccur,
    "codepoint": read_codepoint,
    "lsoa_boundaries": read_lsoa_boundaries,
    "lsoa_subicb_lookup": read_lsoa_subicb_lookup,
    "lsoa_lad_lookup": read_lsoa_lad_lookup,
    "lad_boundaries": read_lad_boundaries,
    "census_population": read_census_population,
    "iod2025": read_iod2025,
    "iod2025_indicators": read_iod2025_indicators,
    "iod2019_indicators": read_iod2019_road_distance,
    "rural_urban": read_rural_urban,
    "practice_imd": read_practice_imd,
    "registered_lsoa": read_registered_lsoa,
    "registered_lsoa_female": read_registered_lsoa,
    "registered_lsoa_male": read_registered_lsoa,
    "nhs_payments": read_nhs_payments,
    "list_may2025": read_list_totals,
    "list_jan2021": read_list_totals,
    "ahah": read_ahah,
    "postcode_lsoa11": read_postcode_lsoa11,
}

__all__ = [
    "READERS",
    "read_ahah",
    "read_census_population",
    "read_codepoint",
    "read_epraccur",
    "read_iod2019_road_distance",
    "read_iod2025",
    "read_iod2025_indicators",
    "read_lad_boundaries",
    "read_list_totals",
    "read_lsoa11_lsoa21",
    "read_lsoa_boundaries",
    "read_lsoa_lad_lookup",
    "read_lsoa_subicb_lookup",
    "read_nhs_payments",
    "read_postcode_lsoa11",
    "read_practice_age",
    "read_practice_imd",
    "read_practice_map",
    "read_registered_lsoa",
    "read_rural_urban",
]
