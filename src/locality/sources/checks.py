"""Column and type checks shared by every reader."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pandas as pd

from locality.errors import SourceError


@dataclass(frozen=True)
class Col:
    """One expected column.

    Parameters
    ----------
    name : str
        Column name as published.
    kind : {"str", "int", "float", "date"}
        Expected type. Values that cannot be parsed raise a SourceError.
    required : bool
        Whether a blank value is an error.
    fmt : str, optional
        ``strftime`` format for ``kind="date"``; several may be given separated by ``|``.
    """

    name: str
    kind: str = "str"
    required: bool = True
    fmt: str | None = None


def _open_text(path: Path, member: str | None) -> IO[bytes]:
    if not path.is_file():
        raise SourceError(str(path), "file not found")
    if member is not None or path.suffix == ".zip":
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise SourceError(path.name, f"not a valid zip file ({exc})") from exc
        names = [n for n in zf.namelist() if n.lower().endswith(".csv")]
        name = member if member is not None else (names[0] if len(names) == 1 else None)
        if name is None or name not in zf.namelist():
            raise SourceError(path.name, f"zip has no member {member or '(single .csv)'}; it holds {names[:5]}")
        return zf.open(name)
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    return open(path, "rb")


def read_csv(
    path: Path | str,
    cols: list[Col],
    *,
    label: str | None = None,
    names: list[str] | None = None,
    member: str | None = None,
    usecols_only: bool = True,
) -> pd.DataFrame:
    """Read a CSV file as text and check the expected columns and their types.

    Parameters
    ----------
    path : Path or str
        A ``.csv``, ``.csv.gz`` or ``.zip`` (holding one CSV, or ``member``).
    cols : list of Col
        The columns to keep and check.
    label : str, optional
        Name to report in errors; defaults to the file name.
    names : list of str, optional
        Column names for a file without a header row.
    member : str, optional
        Member of a zip archive to read.
    usecols_only : bool
        Keep only the expected columns.

    Returns
    -------
    pandas.DataFrame
        Typed columns: ``int`` as Int64, ``float`` as float64, ``date`` as datetime64.

    Raises
    ------
    SourceError
        File missing or empty, a column missing, or a value of the wrong type.
    """
    path = Path(path)
    label = label or (f"{path.name}:{member}" if member else path.name)
    with _open_text(path, member) as fh:
        raw = fh.read()
    if not raw.strip():
        raise SourceError(label, "file is empty")
    df = parse_csv_bytes(raw, label, names=names)
    return check_frame(df, cols, label, header=names is None, usecols_only=usecols_only)


def parse_csv_bytes(raw: bytes, label: str, *, names: list[str] | None = None) -> pd.DataFrame:
    """Parse CSV bytes with every column as text (Arrow-backed strings, blanks as "")."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Unicode text" as Excel saves it
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError(label, f"starts as UTF-16 text but cannot be read as it ({exc.reason})") from exc
    encoding = "utf8" if _is_utf8(raw) else "latin-1"
    if names:
        columns = names
    else:
        first = raw.split(b"\n", 1)[0].decode(encoding).rstrip("\r")
        try:
            columns = next(csv.reader([first]))
        except (csv.Error, StopIteration) as exc:
            raise SourceError(label, f"the header row cannot be read as CSV ({exc})", row=1) from exc
    try:
        table = pacsv.read_csv(
            io.BytesIO(raw),
            read_options=pacsv.ReadOptions(column_names=names, encoding=encoding),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in columns},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise SourceError(label, f"cannot be parsed as CSV ({exc})", row=_ragged_row(raw, encoding, len(columns))) \
            from exc
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def _ragged_row(raw: bytes, encoding: str, width: int) -> int | None:
    """Return the first row (1 = the header) whose number of fields is not ``width``, if any."""
    text = io.StringIO(raw.decode(encoding, errors="replace"), newline="")
    try:
        for i, fields in enumerate(csv.reader(text), start=1):
            if fields and len(fields) != width:
                return i
    except csv.Error:
        return None
    return None


def one_edition(df: pd.DataFrame, label: str, column: str = "EXTRACT_DATE") -> None:
    """Refuse a file whose rows come from more than one extract (two months' files joined into one).

    Raises
    ------
    SourceError
        Naming the first row whose ``column`` differs from the first row's.
    """
    if df.empty:
        return
    values = df[column]
    differ = (values != values.iloc[0]).fillna(True).to_numpy(dtype=bool)
    if differ.any():
        i = int(differ.nonzero()[0][0])
        first, other = (pd.Timestamp(v).date() if isinstance(v, pd.Timestamp) else v
                        for v in (values.iloc[0], values.iloc[i]))
        raise SourceError(label, f"the file mixes extracts: more than one extract date ({first} in row 2, {other} "
                                 "here); one file holds one month's edition", row=i + 2, column=column)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _to_float(s: pd.Series) -> pd.Series:
    """Convert text to float64; values that do not parse become NaN (fast path via Arrow)."""
    try:
        return s.astype("float64[pyarrow]").astype("float64")
    except (ValueError, TypeError, NotImplementedError, ArithmeticError):
        return pd.to_numeric(s, errors="coerce").astype("float64")
    except Exception as exc:  # pyarrow.ArrowInvalid on a value that is not a number
        if type(exc).__name__ != "ArrowInvalid":
            raise
        return pd.to_numeric(s, errors="coerce").astype("float64")


def check_frame(
    df: pd.DataFrame, cols: list[Col], label: str, *, header: bool = True, usecols_only: bool = True
) -> pd.DataFrame:
    """Check and convert the columns of a text frame (see :func:`read_csv`)."""
    if df.empty:
        raise SourceError(label, "file has a header but no data rows")
    offset = 2 if header else 1
    for c in cols:
        if c.name not in df.columns:
            raise SourceError(label, f"missing column (found: {', '.join(map(str, df.columns[:12]))})", column=c.name)
    out = df[[c.name for c in cols]].copy() if usecols_only else df.copy()
    for c in cols:
        s = out[c.name].str.strip()
        blank = s.eq("")
        if c.required and blank.any():
            i = int(blank.to_numpy().nonzero()[0][0])
            raise SourceError(label, "value is blank", row=i + offset, column=c.name)
        if c.kind == "str":
            out[c.name] = s.astype(object).where(~blank.to_numpy(dtype=bool), None)
            continue
        if c.kind in ("int", "float"):
            conv = _to_float(s.where(~blank, None))
            huge = conv.abs() > 2.0**53  # "inf", or a figure no count or amount here can reach
            conv = conv.mask(huge)
            what = "a finite number" if huge.any() else "a number"
            if c.kind == "int":
                frac = conv.notna() & (conv % 1 != 0)
                conv = conv.where(~frac, float("nan"))
                what = "a whole number"
        elif c.kind == "date":
            conv = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
            for fmt in (c.fmt or "%Y-%m-%d").split("|"):
                todo = conv.isna() & ~blank
                conv[todo] = pd.to_datetime(s[todo], format=fmt, errors="coerce")
            what = f"a date ({c.fmt})"
        else:  # pragma: no cover - programming error
            raise ValueError(f"column {c.name!r} has kind {c.kind!r}; a Col's kind is one of str, int, float, date")
        bad = conv.isna() & ~blank
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise SourceError(label, f"expected {what}, found {s.iloc[i]!r}", row=i + offset, column=c.name)
        if c.kind == "int":
            conv = conv.astype("Int64")
        elif c.kind == "float":
            conv = conv.astype("float64")
        out[c.name] = conv
    return out


def read_geojson(path: Path | str, cols: list[Col], *, label: str | None = None):
    """Read a GeoJSON (optionally gzipped) and check its property columns.

    Returns
    -------
    geopandas.GeoDataFrame
        In the file's CRS (EPSG:4326 for GeoJSON).
    """
    import geopandas as gpd

    path = Path(path)
    label = label or path.name
    with _open_text(path, None) as fh:
        raw = fh.read()
    if not raw.strip():
        raise SourceError(label, "file is empty")
    try:
        gdf = gpd.read_file(io.BytesIO(raw))
    except Exception as exc:  # pyogrio raises several types
        raise SourceError(label, f"cannot be read as GeoJSON ({exc})") from exc
    if gdf.empty:
        raise SourceError(label, "has no features")
    text = pd.DataFrame({c.name: gdf[c.name].astype(str) if c.name in gdf else None for c in cols})
    text = text[[c.name for c in cols if c.name in gdf]]
    for c in cols:
        if c.name not in gdf.columns:
            raise SourceError(label, "missing property", column=c.name)
    checked = check_frame(text, cols, label, header=False)
    missing = gdf.geometry.isna() | gdf.geometry.is_empty
    if missing.any():
        i = int(missing.to_numpy().nonzero()[0][0])
        raise SourceError(label, "feature has no geometry", row=i + 1, column="geometry")
    return gpd.GeoDataFrame(checked, geometry=gdf.geometry.values, crs=gdf.crs or "EPSG:4326")
