"""Ordnance Survey Code-Point Open reader (the product zip as published)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from locality.errors import SourceError
from locality.sources.checks import Col, check_frame, parse_csv_bytes

CODEPOINT_NAMES = [
    "postcode", "positional_quality", "easting", "northing", "country_code",
    "nhs_regional_ha_code", "nhs_ha_code", "admin_county_code", "admin_district_code", "admin_ward_code",
]
CODEPOINT_COLS = [
    Col("postcode"),
    Col("positional_quality", "int"),
    Col("easting", "int"),
    Col("northing", "int"),
    Col("country_code", required=False),
    Col("admin_district_code", required=False),
]


def normalise_postcode(s: pd.Series) -> pd.Series:
    """Return postcodes in the ``"AB1 2CD"`` form (upper case, one space before the inward code)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(s.astype(object), type=pa.string(), from_pandas=True)
    compact = pc.replace_substring_regex(pc.utf8_upper(arr), pattern=r"\s+", replacement="")
    n = pc.utf8_length(compact)
    outward = pc.utf8_slice_codeunits(compact, 0, -3)
    inward = pc.utf8_slice_codeunits(compact, -3)
    out = pc.if_else(pc.greater(n, 3), pc.binary_join_element_wise(outward, inward, " "), compact)
    return pd.Series(out.to_numpy(zero_copy_only=False), index=s.index, dtype=object)


def read_codepoint(path: Path | str) -> pd.DataFrame:
    """Read every ``Data/CSV/*.csv`` in the Code-Point Open zip.

    Postcodes with no coordinates (positional quality 90) are dropped.

    Returns
    -------
    pandas.DataFrame
        Columns ``postcode`` (normalised), ``positional_quality, easting, northing,
        country_code, admin_district_code``.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceError(str(path), "file not found")
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise SourceError(path.name, f"not a valid zip file ({exc})") from exc
    members = sorted(n for n in zf.namelist() if n.lower().startswith("data/csv/") and n.lower().endswith(".csv"))
    if not members:
        raise SourceError(path.name, "holds no Data/CSV/*.csv files; is this the Code-Point Open CSV zip?")
    frames = []
    for m in members:
        raw = zf.read(m)
        if not raw.strip():
            continue
        df = parse_csv_bytes(raw, f"{path.name}:{m}", names=CODEPOINT_NAMES)
        frames.append(check_frame(df, CODEPOINT_COLS, f"{path.name}:{m}", header=False))
    if not frames:
        raise SourceError(path.name, "every Data/CSV file is empty")
    out = pd.concat(frames, ignore_index=True)
    out = out[(out["positional_quality"] < 90) & (out["easting"] > 0)].copy()
    out["postcode"] = normalise_postcode(out["postcode"])
    return out.reset_index(drop=True)
