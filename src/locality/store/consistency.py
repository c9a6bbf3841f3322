"""Checks across the official files, and against the previous store, before a build replaces it.

Each file's reader checks its own columns and types; these checks catch what a single file
cannot show: a practice map cut at a line end (half of England's practices, every row valid),
an age-band file from another month, or an ODS file that does not know the practices.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from locality.errors import SourceError, StoreError

#: A drop in practices or registered patients of more than this share, against the previous
#: store, stops the build unless the user says it is expected (``--allow-drop``). Month to month
#: both move by well under 1%.
MAX_DROP = 0.03

#: The age-band file's organisation types, and the practice map's column giving each practice's one.
_ORG_COLUMNS = {"PCN": "pcn_code", "SUB_ICB_LOCATION_CODE": "sub_icb_location_code", "ICB": "icb_code",
                "COMM REGION": "comm_region_code"}


def _examples(codes) -> str:
    codes = sorted(codes)
    return ", ".join(codes[:5]) + (f" and {len(codes) - 5:,} more" if len(codes) > 5 else "")


def check_official_files(pmap: pd.DataFrame, age: pd.DataFrame, epr: pd.DataFrame, names: dict[str, str]) -> None:
    """Refuse a practice map, age-band file and ODS file that do not describe the same practices.

    - every practice of the map has an age-band total, and every practice of the age file is on the map;
    - the ODS file knows every practice;
    - the age file's published PCN, sub-ICB, ICB, region and national totals equal the sums of their
      practices (for the organisations it holds rows for).

    Parameters
    ----------
    pmap, age, epr : DataFrame
        As :func:`~locality.sources.read_practice_map`, :func:`~locality.sources.read_practice_age`
        (with ``attrs["org_totals"]``) and :func:`~locality.sources.read_epraccur` return them.
    names : dict
        ``practice_map``, ``practice_age``, ``epraccur`` → the file names to report.

    Raises
    ------
    SourceError
        Naming the file at fault, the counts and examples.
    """
    on_map = set(pmap["practice_code"])
    tot = age[(age["sex"] == "ALL") & (age["age_band"] == "ALL")].set_index("practice_code")["patients"]
    in_age = set(age["practice_code"])
    if on_map - in_age:
        missing = on_map - in_age
        raise SourceError(names["practice_age"], f"{len(missing):,} of the {len(on_map):,} practices of "
                          f"{names['practice_map']} have no rows ({_examples(missing)}): the two files are "
                          "incomplete or from different months", column="ORG_CODE")
    if in_age - on_map:
        missing = in_age - on_map
        raise SourceError(names["practice_map"], f"{len(missing):,} of the {len(in_age):,} practices of "
                          f"{names['practice_age']} are missing ({_examples(missing)}): is the file cut short, or "
                          "from a different month?", column="PRACTICE_CODE")
    unknown = on_map - set(epr["org_code"])
    if unknown:
        raise SourceError(names["epraccur"], f"does not know {len(unknown):,} practice(s) of {names['practice_map']} "
                          f"({_examples(unknown)}): is it cut short, or older than the practice map?", column="org_code")
    totals = age.attrs.get("org_totals")
    if totals is None or totals.empty:
        return
    patients = pmap[["practice_code", *_ORG_COLUMNS.values()]].assign(n=pmap["practice_code"].map(tot))
    for org_type, col in _ORG_COLUMNS.items():
        published = totals[totals["org_type"] == org_type].set_index("org_code")["patients"].astype("int64")
        if published.empty:
            continue
        sums = patients.groupby(col)["n"].sum().reindex(published.index).fillna(0).astype("int64")
        bad = published.index[published.to_numpy() != sums.to_numpy()]
        if len(bad):
            c = bad[0]
            raise SourceError(names["practice_age"], f"the {org_type} total of {c} is {published[c]:,} but its "
                              f"practices add up to {sums[c]:,} ({len(bad):,} such totals): the file is incomplete "
                              "or inconsistent", column="NUMBER_OF_PATIENTS")
    national = totals[totals["org_type"].isin(["NATIONAL", "ENGLAND", "COUNTRY"])]
    if len(national) and int(national["patients"].iloc[0]) != int(tot.sum()):
        raise SourceError(names["practice_age"], f"the national total is {int(national['patients'].iloc[0]):,} but "
                          f"its practices add up to {int(tot.sum()):,}", column="NUMBER_OF_PATIENTS")


def headline(practice: pd.DataFrame) -> tuple[int, int]:
    """Return (practices, registered patients) of a new store's practice table."""
    return len(practice), int(practice["patients"].fillna(0).sum())


def previous_headline(path: Path) -> tuple[int, int] | None:
    """Return (practices, registered patients) of the store at ``path``, or ``None`` without a readable one."""
    if not Path(path).is_file():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute("SELECT count(*), coalesce(sum(patients), 0) FROM practice").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return (int(row[0]), int(row[1])) if row else None


def check_against_previous(new: tuple[int, int], old: tuple[int, int] | None, allow_drop: bool,
                           max_drop: float = MAX_DROP) -> None:
    """Stop the build when practices or patients fall by more than ``max_drop`` against the previous store.

    Raises
    ------
    StoreError
        Giving both figures, unless ``allow_drop``.
    """
    if old is None or allow_drop:
        return
    for what, a, b in (("practices", old[0], new[0]), ("registered patients", old[1], new[1])):
        if a and b < a * (1 - max_drop):
            raise StoreError(f"The new files give {b:,} {what} against {a:,} in the previous store "
                             f"({100 * (a - b) / a:.1f}% fewer; more than {100 * max_drop:.0f}% stops the build). "
                             "A raw file may be cut short. The previous store is unchanged. If the drop is expected "
                             "(for example a smaller area's files), build again with --allow-drop.")
