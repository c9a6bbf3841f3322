"""The build's optional sources: registered patients by LSOA, and NHS payments to practices.

Each is loaded when its file is present (``optional = true`` in ``sources.toml``; the national
file at ``path``, or a subset in the same format at one of ``also``). Without it the tables are
built empty and the engines fall back to modelled catchments, saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from locality.errors import SourceError
from locality.settings import optional_source_file
from locality.sources.payments import PAYMENT_AMOUNTS, PAYMENTS_COLUMNS, PAYMENTS_YEAR, read_nhs_payments
from locality.sources.registered_lsoa import read_registered_lsoa, to_lsoa21
from locality.store import need_weights as need

#: The LSOA files, by source key (``all`` first: it is the one demand is read from).
REGISTERED_LSOA_KEYS = ("registered_lsoa", "registered_lsoa_female", "registered_lsoa_male")

#: Metadata keys this step writes.
META_KEYS = ("registered_lsoa_extract", "registered_lsoa_files", "registered_lsoa_all_from_sexes", "payments_year",
             *need.META_KEYS)

_PLACED = ["practice_code", "sex", "lsoa21_code", "patients"]
_UNPLACED = ["practice_code", "sex", "kind", "patients", "codes"]


def optional_tables(raw_dir: Path, lsoa11: pd.DataFrame, lsoa: pd.DataFrame, lists: pd.DataFrame, read: Callable,
                    provenance: list[dict]) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Read the optional sources that are present and return their tables and metadata.

    Parameters
    ----------
    raw_dir : Path
        The raw-data directory.
    lsoa11 : DataFrame
        The ONS LSOA 2011 → 2021 lookup (``lsoa11_code, lsoa21_code``).
    lsoa : DataFrame
        The store's LSOA table (``lsoa21_code, residents``): the LSOA 2021 codes and the Census
        2021 residents that share a split LSOA 2011's patients.
    lists : DataFrame
        Registered patients by practice, sex and 5-year age band (the default age weights are fitted
        on their age profile against the payments file's need index).
    read : callable
        ``read(raw_dir, key, reader, edition=..., path=...)``: the build's reader, which appends
        the file's provenance to ``provenance``.
    provenance : list of dict
        The build's provenance rows (the LSOA files' editions are set to their extract date).

    Returns
    -------
    tables : dict
        ``practice_lsoa``, ``practice_lsoa_unplaced`` and ``practice_payments`` (empty when absent).
    meta : dict
        :data:`META_KEYS` → value (``""`` when absent).
    """
    frames, files = [], []
    for key in REGISTERED_LSOA_KEYS:
        path = optional_source_file(raw_dir, key)
        if path is None:
            continue
        rows = read(raw_dir, key, read_registered_lsoa, path=path)
        _check_against_lists(rows, lists.groupby("practice_code")["patients"].sum(), path.name)
        provenance[-1]["edition"] = f"extract {pd.Timestamp(rows['extract_date'].max()):%Y-%m-%d}"
        frames.append(rows)
        files.append(path.name)
    meta = dict.fromkeys(META_KEYS, "")
    if frames:
        rows = pd.concat(frames, ignore_index=True)
        extract = f"{pd.Timestamp(rows['extract_date'].max()):%Y-%m-%d}"
        placed = to_lsoa21(rows, lsoa11, lsoa[["lsoa21_code", "residents"]])
        practice_lsoa, unplaced, derived = _all_from_sexes(placed.placed[_PLACED], placed.unplaced[_UNPLACED])
        meta["registered_lsoa_all_from_sexes"] = ",".join(derived)
        meta["registered_lsoa_extract"] = extract
        meta["registered_lsoa_files"] = ", ".join(files)
    else:
        practice_lsoa = pd.DataFrame({c: pd.Series(dtype="float64" if c == "patients" else object) for c in _PLACED})
        unplaced = pd.DataFrame({c: pd.Series(dtype="int64" if c == "patients" else object) for c in _UNPLACED})
    path = optional_source_file(raw_dir, "nhs_payments")
    if path is not None:
        payments = read(raw_dir, "nhs_payments", read_nhs_payments, edition=PAYMENTS_YEAR, path=path)
        meta["payments_year"] = PAYMENTS_YEAR
        meta.update(need.fit_age_weights(lists, payments).meta())
    else:
        payments = _empty_payments()
    return {"practice_lsoa": practice_lsoa, "practice_lsoa_unplaced": unplaced,
            "practice_payments": payments}, meta


def _check_against_lists(rows: pd.DataFrame, list_size: pd.Series, label: str) -> None:
    """Refuse an LSOA file that gives a practice far more patients than its registered list holds.

    In one month's edition a practice's patients by LSOA add up to its list size exactly; a later
    list edition moves them by a few per cent. More than twice the list (plus 100) is a broken
    file, not a month's change.

    Raises
    ------
    SourceError
        Naming the practice, the file and the first row of that practice.
    """
    totals = rows.groupby(["practice_code", "sex"])["patients"].sum().reset_index()
    totals["list"] = totals["practice_code"].map(list_size)
    bad = totals[totals["list"].notna() & (totals["patients"] > 2 * totals["list"] + 100)]
    if bad.empty:
        return
    worst = bad.iloc[0]
    first = int(((rows["practice_code"] == worst["practice_code"]) & (rows["sex"] == worst["sex"])).to_numpy().argmax())
    raise SourceError(label, f"practice {worst['practice_code']} has {int(worst['patients']):,} patients by LSOA "
                             f"({worst['sex']}) against a registered list of {int(worst['list']):,}",
                      row=first + 2, column="NUMBER_OF_PATIENTS")


def _empty_payments() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c in PAYMENT_AMOUNTS else object)
                         for c in PAYMENTS_COLUMNS.values()})


def _all_from_sexes(placed: pd.DataFrame, unplaced: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Add ``ALL`` rows, as female + male, for practices the ``all`` file leaves out but the sex files hold.

    Returns the two tables and the practices so derived (sorted).
    """
    have_all = set(placed.loc[placed["sex"] == "ALL", "practice_code"]) | set(
        unplaced.loc[unplaced["sex"] == "ALL", "practice_code"])
    by_sex = set(placed["practice_code"]) | set(unplaced["practice_code"])
    derived = sorted(by_sex - have_all)
    if not derived:
        return placed, unplaced, []
    p = (placed[placed["practice_code"].isin(derived)].groupby(["practice_code", "lsoa21_code"], as_index=False)
         ["patients"].sum().assign(sex="ALL"))
    u = (unplaced[unplaced["practice_code"].isin(derived)].groupby(["practice_code", "kind"], as_index=False)
         .agg(patients=("patients", "sum"), codes=("codes", lambda s: ",".join(sorted(set(",".join(s).split(",")))))))
    u = u.assign(sex="ALL")
    return (pd.concat([placed, p[_PLACED]], ignore_index=True), pd.concat([unplaced, u[_UNPLACED]], ignore_index=True),
            derived)
