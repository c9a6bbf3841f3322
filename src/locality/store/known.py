"""What the store knows about places a user's file names: practice locations, postcode countries, LSOA codes.

The checked readers of user files (estates registers, travel matrices, scenario files) ask
these questions to refuse unknown codes and to warn about sites far from their practices.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

#: Code-Point Open's country code for England.
ENGLAND = "E92000001"


def _in(con: duckdb.DuckDBPyConnection, sql: str, values: Iterable[str]) -> list[tuple]:
    """Run ``sql`` (which selects from ``_wanted(v)``) with the distinct ``values`` bound as parameters."""
    vals = sorted({str(v) for v in values})
    if not vals:
        return []
    wanted = "(SELECT unnest(?::VARCHAR[]) AS v) AS _wanted"
    return con.execute(sql.replace("_wanted", wanted, 1), [vals]).fetchall()


def practice_points(con: duckdb.DuckDBPyConnection, codes: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Return ``practice_code -> (easting, northing)`` of the given practices that have a location."""
    rows = _in(con, "SELECT practice_code, easting, northing FROM practice JOIN _wanted ON practice_code = v "
                    "WHERE easting IS NOT NULL AND northing IS NOT NULL", codes)
    return {r[0]: (float(r[1]), float(r[2])) for r in rows}


def postcode_countries(con: duckdb.DuckDBPyConnection, postcodes: Iterable[str]) -> dict[str, str]:
    """Return ``postcode -> Code-Point Open country code`` of the given (normalised) postcodes."""
    return {r[0]: r[1] for r in _in(con, "SELECT postcode, country_code FROM postcode JOIN _wanted ON postcode = v",
                                    postcodes)}


def known_lsoas(con: duckdb.DuckDBPyConnection, codes: Iterable[str]) -> set[str]:
    """Return those of ``codes`` that are LSOA 2021 codes in the store."""
    return {r[0] for r in _in(con, "SELECT lsoa21_code FROM lsoa JOIN _wanted ON lsoa21_code = v", codes)}
