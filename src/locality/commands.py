"""What the command line adds around the engines: areas given as lists of codes, registers by name or file.

Every command takes ``--area`` the same way: one or several codes, comma-separated, in any case.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from locality import store
from locality.errors import SitesError
from locality.sites.problem import SiteAppraisal


def area_practices(con: duckdb.DuckDBPyConnection, codes: tuple[str, ...], also: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Return the ODS codes of every practice in the areas ``codes`` (plus ``also``), sorted.

    Raises
    ------
    AreaError
        Naming an unknown area code.
    """
    found = set(also)
    for code in dict.fromkeys(c.upper() for c in codes):
        a = store.area(con, code)
        found |= set(store.practices(con, a["area_type"], a["code"])["practice_code"])
    return tuple(sorted(found))


def load_register_arg(con: duckdb.DuckDBPyConnection, ref: str) -> pd.DataFrame:
    """Return an estates register given on the command line: a ``.csv``/``.xlsx`` file, or a saved register's name.

    Raises
    ------
    RegisterError
        A file with problems (every row and column at fault).
    SitesError
        Neither a file nor a saved register.
    """
    from locality.sources.estates import read_register
    from locality.store import userdata

    path = Path(ref)
    if path.is_file():
        return read_register(path.read_bytes(), path.name, con)
    saved = userdata.load_register(ref)
    if saved.empty:
        names = ", ".join(userdata.registers()["register"]) or "none saved"
        raise SitesError(f"No estates register {ref!r}: give a .csv or .xlsx file, or a saved register ({names}).")
    return saved


def practices_found(con: duckdb.DuckDBPyConnection, query: str, areas: tuple[str, ...],
                    outside: bool = False) -> tuple[pd.DataFrame, str]:
    """Return the practices matching ``query`` (within ``areas`` if given) and a heading saying what was searched.

    With ``outside``, only the areas' practices whose PCN holds most of its patients elsewhere.

    Raises
    ------
    AreaError
        An unknown area code.
    SitesError
        ``outside`` without an area.
    """
    from locality.finder import find_practices
    from locality.grouping.borders import outside_practice_codes

    if outside and not areas:
        raise SitesError("--outside needs --area: the practices of PCNs mostly outside that area.")
    if areas:
        named = [store.area(con, c.upper()) for c in dict.fromkeys(areas)]
        pool = pd.concat([store.practices(con, a["area_type"], a["code"]) for a in named]) \
            .drop_duplicates("practice_code").reset_index(drop=True)
        where = " + ".join(f"{a['name']} ({a['code']})" for a in named)
    else:
        pool, where = store.all_practices(con), "England"
    if outside:
        pool = pool[pool["practice_code"].isin(outside_practice_codes(pool, store.pcn_table(con)))]
    found = find_practices(pool, query) if query.strip() else _all(pool)
    what = f"matching {query!r}" if query.strip() else "all"
    kind = " in PCNs mostly outside the area" if outside else ""
    return found, f"{len(found)} practice(s) {what}{kind} in {where}"


def _all(pool: pd.DataFrame) -> pd.DataFrame:
    from locality.places import post_towns

    return pool.assign(town=post_towns(pool), match="").sort_values("practice_name").reset_index(drop=True)


def sites_output(appraisal: SiteAppraisal, with_register: bool = False) -> dict:
    """Return a site appraisal as the ``sites --json`` object: sites with names and towns, every option.

    Each option's kept and closed sites are also given by name (``kept_names``, ``closed_names``:
    the register's site name, or the practices' names, with the post town).
    """
    from locality.sites.capacity import capacity_shortfall
    from locality.sites.labels import site_labels

    a = appraisal
    bench, ages, cap = a.options.area_benchmark, a.options.age_weights, a.options.capacity
    cols = ["site_id", "site_name", "town", "postcode", "practices", "practice_names", "patients",
            *(["gia_m2", "gia_estimated"] if bench or with_register else []),
            *(["clinical_rooms", "condition"] if with_register else []),
            *(["running_cost_gbp", "cost_estimated"] if with_register or a.sites["running_cost_gbp"].notna().any()
              else [])]
    cols = [c for c in cols if c in a.sites]
    names = site_labels(a)
    sites = [{**r, "label": names[r["site_id"]]} for r in a.sites[cols].to_dict("records")]
    options = a.all_options().to_dict("records")
    for o in options:
        for key in ("kept", "closed"):
            if isinstance(o.get(key), list):
                o[f"{key}_names"] = [names[x] for x in o[key]]
    short = capacity_shortfall(a)
    return {"sites": sites, "demand": a.demand.kind, "demand_method": a.demand.method,
            "demand_provenance": a.demand.provenance,
            "demand_points": len(a.demand.points), "people": round(a.demand.total), "circuity": a.travel.circuity,
            "travel": a.options.travel, "travel_unit": a.unit, "travel_source": a.travel.provenance,
            "notes": list(a.notes), "age_weights": ages.to_dict() if ages else None,
            "area_benchmark": bench.to_dict() if bench else None, "capacity": cap.to_dict() if cap.used else None,
            "capacity_shortfall": short.message() if short else None, "options": options}
