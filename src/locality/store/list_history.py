"""The build's list editions: every practice's registered list at each published edition found.

The latest edition is the July 2026 age-band file the store is built on (``practice.patients``). Older
editions are the totals files of ``sources.toml`` marked ``list_edition = true`` (each loaded when its
file is present). Three tables come out:

- ``list_edition``: one row per edition (extract date, file, practices, patients, commissioner coding);
- ``practice_list_edition``: each practice's list at each edition it appears in;
- ``practice_history``: every practice code seen in any edition, with the area it counts in (today's
  practice map for practices in it; otherwise the LSOA holding its last published postcode) and its
  ODS open and close dates (epraccur), which explain why a practice is missing from an edition.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from locality import geography
from locality.errors import SourceError
from locality.settings import optional_source_file, source_config
from locality.sources.list_editions import read_list_totals

EDITION_COLUMNS = ["extract_date", "source_key", "file", "commissioner_kind", "practices", "patients", "latest"]
LIST_COLUMNS = ["extract_date", "practice_code", "postcode", "commissioner_code", "patients"]


def edition_keys() -> list[str]:
    """Return the ``sources.toml`` keys of the older list editions (``list_edition = true``), in file order."""
    return [k for k, v in source_config().items() if isinstance(v, dict) and v.get("list_edition")]


def edition_tables(raw_dir: Path, read: Callable, provenance: list[dict], practice: pd.DataFrame,
                   epr: pd.DataFrame, postcode: pd.DataFrame, places: tuple[pd.DataFrame, np.ndarray],
                   latest: pd.Timestamp) -> dict[str, pd.DataFrame]:
    """Read the older editions that are present and return the three list-edition tables.

    Parameters
    ----------
    raw_dir : Path
        The raw-data directory.
    read : callable
        ``read(raw_dir, key, reader, edition=..., path=...)``: the build's reader, which appends the
        file's provenance to ``provenance``.
    provenance : list of dict
        The build's provenance rows.
    practice : DataFrame
        The store's practice table (today's lists, areas and locations).
    epr : DataFrame
        ODS epraccur as read (``org_code, name, open_date, close_date, status``).
    postcode : DataFrame
        Code-Point Open postcodes (``postcode, easting, northing, admin_district_code``).
    places : (DataFrame, ndarray)
        The store's LSOA table (``lsoa21_code, sub_icb_code, icb_code, region_code, lad_code``) and the
        LSOA polygons in British National Grid, in its order.
    latest : Timestamp
        The extract date of today's lists.

    Returns
    -------
    dict
        ``list_edition``, ``practice_list_edition`` and ``practice_history``.

    Raises
    ------
    SourceError
        An edition's extract date is the same as another's, or not before today's lists.
    """
    cur = practice[["practice_code", "postcode", "sub_icb_code", "patients"]].dropna(subset=["patients"])
    lists = [pd.DataFrame({"extract_date": latest, "practice_code": cur["practice_code"], "postcode": cur["postcode"],
                           "commissioner_code": cur["sub_icb_code"], "patients": cur["patients"].astype("int64")})]
    editions = [{"extract_date": latest, "source_key": "practice_age", "file": "gp-reg-pat-prac-quin-age.zip",
                 "commissioner_kind": "sub-ICB location", "practices": len(cur), "patients": int(cur["patients"].sum()),
                 "latest": True}]
    for key in edition_keys():
        path = optional_source_file(raw_dir, key)
        if path is None:
            continue
        rows = read(raw_dir, key, read_list_totals, path=path)
        date = pd.Timestamp(rows["extract_date"].iloc[0])
        provenance[-1]["edition"] = f"extract {date:%Y-%m-%d}"
        if date >= latest or any(e["extract_date"] == date for e in editions):
            raise SourceError(path.name, f"extract date {date:%Y-%m-%d} is not an older edition than the others "
                              f"({', '.join(f'{e['extract_date']:%Y-%m-%d}' for e in editions)})", column="EXTRACT_DATE")
        lists.append(rows[LIST_COLUMNS])
        editions.append({"extract_date": date, "source_key": key, "file": path.name,
                         "commissioner_kind": rows.attrs["commissioner_kind"], "practices": len(rows),
                         "patients": int(rows["patients"].sum()), "latest": False})
    long = pd.concat(lists, ignore_index=True)
    long["extract_date"] = pd.to_datetime(long["extract_date"])
    edition = pd.DataFrame(editions, columns=EDITION_COLUMNS).sort_values("extract_date").reset_index(drop=True)
    history = _history(long, practice, epr, postcode, *places)
    return {"list_edition": edition, "practice_list_edition": long.sort_values(["extract_date", "practice_code"])
            .reset_index(drop=True), "practice_history": history}


def _history(long: pd.DataFrame, practice: pd.DataFrame, epr: pd.DataFrame, postcode: pd.DataFrame,
             lsoa: pd.DataFrame, lsoa_geoms: np.ndarray) -> pd.DataFrame:
    """One row per practice code seen in any edition: its area, where that came from, and its ODS dates."""
    last = long.sort_values("extract_date").drop_duplicates("practice_code", keep="last").set_index("practice_code")
    codes = last.index.to_numpy()
    now = practice.set_index("practice_code")
    in_map = pd.Series(codes, index=codes).isin(now.index).to_numpy()
    h = pd.DataFrame({"practice_code": codes, "in_current_map": in_map, "last_postcode": last["postcode"].to_numpy()})
    pc = postcode.drop_duplicates("postcode").set_index("postcode")
    e = h["last_postcode"].map(pc["easting"]).astype("float64").to_numpy()
    n = h["last_postcode"].map(pc["northing"]).astype("float64").to_numpy()
    idx = geography.locate_points(e, n, lsoa_geoms)
    placed = np.where(idx >= 0, lsoa["lsoa21_code"].to_numpy()[np.maximum(idx, 0)], None)
    by_lsoa = lsoa.set_index("lsoa21_code")
    for col in ("sub_icb_code", "icb_code", "region_code", "lad_code"):
        from_map = h["practice_code"].map(now[col]) if col in now else pd.Series(None, index=h.index)
        from_place = pd.Series(placed, index=h.index).map(by_lsoa[col])
        h[col] = np.where(in_map, from_map, from_place)
    h["area_from"] = np.where(in_map, "practice map", np.where(pd.notna(placed), "last published postcode", None))
    ods = epr.drop_duplicates("org_code").set_index("org_code")
    h["practice_name"] = h["practice_code"].map(now["practice_name"]).fillna(
        h["practice_code"].map(ods["name"]).str.title())
    h["ods_status"] = h["practice_code"].map(ods["status"])
    h["open_date"] = pd.to_datetime(h["practice_code"].map(ods["open_date"]))
    h["close_date"] = pd.to_datetime(h["practice_code"].map(ods["close_date"]))
    return h.sort_values("practice_code").reset_index(drop=True)
