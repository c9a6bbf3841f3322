"""Scenarios: a named, saved set of parameters, the results they gave, and the data edition used.

A scenario is one readable JSON document (the file a planner exports and a colleague imports):

- ``name``, ``description``, ``area`` (sub-ICB, ICB, region or local-authority code);
- ``grouping``: the Localities parameters and locks (or ``null``);
- ``sites``: the Hubs & estates parameters, the chosen number of sites to keep, and the estates
  register and travel matrix used (their rows are embedded, so the file is self-contained);
- ``edition``: the registered-list extract date and the sha256 of every source file;
- ``results``: what the engines gave (practice → group, group sizes, every site option).

:func:`run_scenario` re-runs the engines from the parameters alone; :func:`check_reproduced`
says whether a re-run gave the saved results, and :func:`edition_differences` whether the data
edition differs. The engines are deterministic for a given seed, so on the same data a re-run
gives identical results.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import duckdb
import jsonschema
import pandas as pd

from locality import store
from locality.assumptions import AGE_BANDS, AgeWeights, AreaBenchmark, AssumptionError
from locality.errors import ScenarioError, SitesError
from locality.grouping.area import plain
from locality.grouping.problem import GroupingOptions
from locality.sites.options import Capacity, SiteOptions

FORMAT = "locality-planner-scenario"


#: Version 2 added the planner's age weights and floor-area benchmark (``sites.age_weights``,
#: ``sites.area_benchmark``); version 3 drive and walk minutes on a road network (``sites.travel``,
#: ``sites.roads``). A file is written as the lowest version that holds what it uses, so earlier
#: releases still read it, and refuse (by version) a file they would misread. Version 4 added the planning
#: year, housing trajectory and new-build candidates (``growth``).
VERSION = 4


_CODES = {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 64}, "maxItems": 5000}

#: The largest scenario file read (bytes): a register and a sub-ICB's travel matrix fit well within it.
MAX_FILE_BYTES = 10_000_000
#: The deepest nesting of objects and arrays read (a scenario file needs 7 levels).
MAX_DEPTH = 16
#: The longest description and source texts (characters).
MAX_DESCRIPTION = 2_000
MAX_SOURCE = 500
_SOURCE = {"type": "string", "pattern": r"\S.*\S", "maxLength": MAX_SOURCE}


SCHEMA = {
    "type": "object",
    "required": ["format", "version", "name", "area"],
    "properties": {
        "format": {"const": FORMAT},
        "version": {"enum": [1, 2, 3, VERSION]},
        "name": {"type": "string", "minLength": 1, "maxLength": 120},
        "description": {"type": "string", "maxLength": MAX_DESCRIPTION},
        "area": {"type": "string", "minLength": 2, "maxLength": 12},
        "grouping": {"type": ["object", "null"], "required": ["floor", "ceiling"], "properties": {
            "floor": {"type": "integer", "minimum": 0},
            "ceiling": {"type": "integer", "minimum": 1},
            "n_groups": {"type": ["integer", "null"], "minimum": 1},
            "keep_pcns_whole": _CODES,
            "keep_together": {"type": "array", "items": _CODES},
            "keep_apart": {"type": "array", "items": _CODES},
            "seed": {"type": "integer"},
            "mode": {"enum": ["fresh", "repair"]},
            "minimise": {"enum": ["practices", "patients"]}}},
        "sites": {"type": ["object", "null"], "required": ["practices"], "properties": {
            "practices": {**_CODES, "minItems": 1},
            "circuity": {"type": ["number", "null"], "minimum": 1},
            "demand": {"enum": ["residents", "registered"]},
            "must_keep": _CODES, "must_close": _CODES,
            "capacity": {"type": "object", "properties": {
                "basis": {"enum": ["none", "m2", "room"]}, "rate": {"type": "number", "minimum": 0},
                "respect": {"type": "boolean"}, "against": {"enum": ["registered", "residents"]}}},
            "chosen_k": {"type": ["integer", "null"], "minimum": 1},
            "weights": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0}},
            "register": {"type": ["object", "null"], "required": ["name", "sites"],
                         "properties": {"name": {"type": "string", "maxLength": 120},
                                        "sites": {"type": "array", "items": {"type": "object"}}}},
            "travel": {"enum": ["straight", "drive", "walk"]},
            "roads": {"type": ["string", "null"], "minLength": 1, "maxLength": 200},
            "travel_matrix": {"type": ["array", "null"], "items": {
                "type": "object", "required": ["lsoa21_code", "site_id", "minutes"]}},
            "age_weights": {"type": ["object", "null"], "required": ["weights", "source"], "properties": {
                "weights": {"type": "object", "propertyNames": {"enum": [*AGE_BANDS.values(), *AGE_BANDS]},
                            "additionalProperties": {"type": "number", "minimum": 0}},
                "source": _SOURCE}},
            "area_benchmark": {"type": ["object", "null"], "required": ["m2_per_patient", "source"],
                               "properties": {"m2_per_patient": {"type": "number", "exclusiveMinimum": 0,
                                                                 "maximum": 10},
                                              "source": _SOURCE}}}},
        "growth": {"type": ["object", "null"], "properties": {
            "planning_year": {"type": ["object", "null"], "required": ["year", "demand"], "properties": {
                "year": {"type": "integer", "minimum": 2000, "maximum": 2100},
                "demand": {"enum": ["today", "trend", "housing", "both"]},
                "need": {"type": "object", "properties": {"patients_per_gp": {"type": "number"}, "source": _SOURCE}},
                "housing": {"type": ["object", "null"], "required": ["name", "rows"], "properties": {
                    "name": {"type": "string", "maxLength": 120}, "illustrative": {"type": "boolean"},
                    "people_per_home": {"type": "object", "properties": {"value": {"type": "number"},
                                                                         "source": _SOURCE}},
                    "rows": {"type": "array", "maxItems": 20_000, "items": {
                        "type": "object", "required": ["site_ref", "year", "dwellings", "easting", "northing"],
                        "properties": {"site_ref": {"type": "string", "minLength": 1, "maxLength": 64},
                                       "year": {"type": "integer", "minimum": 2000, "maximum": 2100},
                                       "dwellings": {"type": "number", "minimum": 0, "maximum": 10_000},
                                       "easting": {"type": "number"}, "northing": {"type": "number"},
                                       "status": {"enum": ["permitted", "allocated", "other"]}}}}}}}},
            "grouped_for_year": {"type": "boolean"},
            "new_builds": {"type": "array", "maxItems": 50, "items": {"type": "object", "required": ["name", "source"]}}}},
        "edition": {"type": "object"},
        "results": {"type": "object"},
    },
}


def file_version(doc: dict) -> int:
    """Return a scenario file's version: 4 with growth, 3 with road travel, 2 with the planner's assumptions, else 1."""
    if doc.get("growth"):
        return VERSION
    s = doc.get("sites") or {}
    if s.get("travel", "straight") != "straight":
        return 3
    return 2 if s.get("age_weights") or s.get("area_benchmark") else 1


def validate(doc: dict, file: str = "scenario") -> dict:
    """Check a scenario document against :data:`SCHEMA` and the rules the schema cannot express.

    Raises
    ------
    ScenarioError
        Naming the file and the field at fault, e.g. ``grouping.floor: 'x' is not of type 'integer'``.
    """
    if not isinstance(doc, dict):
        raise ScenarioError(f"{file}: a scenario file holds one JSON object.")
    err = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(SCHEMA).iter_errors(doc))
    if err is not None:
        where = ".".join(str(p) for p in err.absolute_path) or "(top level)"
        raise ScenarioError(f"{file}: {where}: {err.message}")
    g = doc.get("grouping")
    if g and g["floor"] > g["ceiling"]:
        raise ScenarioError(f"{file}: grouping: the floor {g['floor']:,} is above the ceiling {g['ceiling']:,}.")
    if not g and not doc.get("sites"):
        raise ScenarioError(f"{file}: a scenario needs a grouping, site options, or both.")
    s = doc.get("sites") or {}
    for key, cls in (("age_weights", AgeWeights), ("area_benchmark", AreaBenchmark)):
        try:
            cls.from_dict(s.get(key))
        except AssumptionError as exc:
            raise ScenarioError(f"{file}: sites.{key}: {exc}") from None
    if s:
        try:
            SiteOptions.from_scenario(s)
        except (SitesError, AssumptionError) as exc:
            raise ScenarioError(f"{file}: sites: {exc}") from None
    if doc.get("growth"):
        from locality.errors import LocalityError
        from locality.growth.scenario import from_section

        try:
            from_section(doc["growth"])
        except (LocalityError, TypeError, KeyError, ValueError) as exc:
            raise ScenarioError(f"{file}: growth: {exc}") from None
    return doc


def new_scenario(name: str, area: str, description: str = "", grouping: GroupingOptions | None = None,
                 sites: dict | None = None) -> dict:
    """Build a scenario document (without results) from the engines' parameters.

    Parameters
    ----------
    name, area, description : str
    grouping : GroupingOptions, optional
    sites : dict, optional
        ``practices`` (ODS codes) and optionally ``circuity``, ``demand`` (``residents`` or
        ``registered``), ``must_keep``, ``must_close``,
        ``capacity`` (``basis``, ``rate``, ``respect``), ``chosen_k``, ``weights``, ``register``
        (a register frame from :func:`locality.store.userdata.load_register`, with its name under
        ``register_name``), ``travel_matrix`` (a frame from :func:`locality.sites.read_travel_matrix`),
        ``age_weights`` (:class:`~locality.assumptions.AgeWeights`), ``area_benchmark``
        (:class:`~locality.assumptions.AreaBenchmark`) and ``need_index`` (weight registered lists by
        each practice's NHS Payments 2022-23 need index).
    """
    doc = {"format": FORMAT, "version": VERSION, "name": name.strip(), "description": description.strip(),
           "area": area.strip().upper(), "grouping": None, "sites": None}
    if grouping is not None:
        doc["grouping"] = plain(asdict(grouping))
    if sites is not None:
        doc["sites"] = _sites_section(dict(sites))
    doc["version"] = file_version(doc)
    return validate(plain(doc), name)


def _sites_section(s: dict) -> dict:
    """Return a scenario's ``sites`` section: the :class:`SiteOptions` (``asdict``) and the choice made."""
    reg, matrix = s.pop("register", None), s.pop("travel_matrix", None)
    opts = SiteOptions(practices=tuple(s["practices"]), demand=s.get("demand", "residents"),
                       circuity=s.get("circuity"), must_keep=tuple(sorted(s.get("must_keep", ()))),
                       must_close=tuple(sorted(s.get("must_close", ()))),
                       capacity=Capacity.from_dict(s.get("capacity")),
                       age_weights=s.get("age_weights"), area_benchmark=s.get("area_benchmark"),
                       need_index=bool(s.get("need_index", False)), catchment=s.get("catchment", "open"),
                       estimate_costs=bool(s.get("estimate_costs", True)),
                       travel=s.get("travel") or "straight", roads=s.get("roads"))
    o = opts.to_dict()
    return {"practices": o["practices"], "circuity": o["circuity"], "demand": o["demand"],
            "must_keep": o["must_keep"], "must_close": o["must_close"], "capacity": o["capacity"],
            "chosen_k": s.get("chosen_k"), "weights": s.get("weights", {}),
            "register": None if reg is None or not len(reg) else
            {"name": s.get("register_name", "register"), "sites": _records(reg)},
            "travel_matrix": None if matrix is None else _records(matrix),
            "age_weights": o["age_weights"], "area_benchmark": o["area_benchmark"],
            **({"need_index": True} if o["need_index"] else {}), "catchment": o["catchment"],
            "estimate_costs": o["estimate_costs"], "travel": o["travel"], "roads": o["roads"]}


def _records(frame: pd.DataFrame) -> list[dict]:
    return plain(frame.astype(object).where(frame.notna(), None).to_dict("records"))


def grouping_options(doc: dict) -> GroupingOptions | None:
    """Return the scenario's Localities parameters as engine options (``None`` without a grouping)."""
    g = doc.get("grouping")
    if not g:
        return None
    return GroupingOptions(int(g["floor"]), int(g["ceiling"]), g.get("n_groups"),
                           tuple(g.get("keep_pcns_whole", ())), tuple(tuple(t) for t in g.get("keep_together", ())),
                           tuple(tuple(t) for t in g.get("keep_apart", ())), int(g.get("seed", 0)),
                           mode=g.get("mode", "fresh"), minimise=g.get("minimise", "practices"))


def edition(con: duckdb.DuckDBPyConnection, optional_used: set[str] | frozenset[str] = frozenset()) -> dict:
    """Return the data edition of a store: the list extract date and the sha256 of every source file.

    Optional sources (``optional = true`` in ``sources.toml``) count only when in ``optional_used``:
    a scenario that did not use them does not depend on them.
    """
    prov = store.provenance(con)
    skip = _optional_files() - {n for k in optional_used for n in _optional_files(k)}
    return {"extract_date": store.meta(con).get("extract_date"),
            "files": {f: h for f, h in zip(prov["file"], prov["sha256"], strict=True) if f not in skip}}


def _optional_files(key: str | None = None) -> set[str]:
    """Return the file names an optional source (or every optional source) may be read from."""
    from pathlib import PurePosixPath

    from locality.settings import source_config, source_keys

    keys = [key] if key else [k for k in source_keys(optional=True) if source_config()[k].get("optional")]
    return {PurePosixPath(p).name for k in keys for p in [source_config()[k]["path"], *source_config()[k].get("also", [])]}


def edition_differences(saved: dict | None, current: dict) -> list[str]:
    """How the data a scenario was made on differs from the store's (empty when identical)."""
    if not saved:
        return ["The scenario does not record its data edition."]
    out = []
    if saved.get("extract_date") != current.get("extract_date"):
        out.append(f"Registered-list extract: saved on {saved.get('extract_date')}, this store has "
                   f"{current.get('extract_date')}.")
    a, b = saved.get("files", {}), current.get("files", {})
    changed = sorted(f for f in set(a) & set(b) if a[f] != b[f])
    if changed:
        out.append(f"Source files with different contents: {', '.join(changed)}.")
    # a file the store reads that the scenario does not record was added later (e.g. AHAH v3 with road
    # travel): it is not a difference unless the results differ, which the re-run checks
    if set(a) - set(b):
        out.append(f"Source files the scenario used that this store lacks: {', '.join(sorted(set(a) - set(b)))}.")
    return out


def loads(text: str | bytes, file: str = "scenario file") -> dict:
    """Parse and check a scenario file's text (JSON).

    Raises
    ------
    ScenarioError
        Naming the file, and the line and column of a JSON syntax error or the field at fault.
    """
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError(f"{file}: the file is {len(text) / 1e6:.1f} MB; a scenario file may be at most "
                            f"{MAX_FILE_BYTES / 1e6:.0f} MB.")
    if not text.strip():
        raise ScenarioError(f"{file}: the file is empty.")
    try:
        doc = json.loads(text)
    except RecursionError:
        raise ScenarioError(f"{file}: objects or arrays are nested too deeply; a scenario file nests at most "
                            f"{MAX_DEPTH} levels.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f"line {exc.lineno}, column {exc.colno}: " if isinstance(exc, json.JSONDecodeError) else ""
        raise ScenarioError(f"{file}: {where}not a readable JSON scenario file ({exc.msg if hasattr(exc, 'msg') else exc})"
                            ) from None
    if _depth(doc) > MAX_DEPTH:
        raise ScenarioError(f"{file}: objects or arrays are nested more than {MAX_DEPTH} levels deep; this is not "
                            "a scenario file.")
    return validate(doc, file)


def _depth(doc) -> int:
    """Return how deeply objects and arrays nest in a parsed JSON document (without recursion)."""
    deepest, todo = 0, [(doc, 1)]
    while todo:
        node, d = todo.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, d)
            if d > MAX_DEPTH:
                return d
            todo.extend((v, d + 1) for v in (node.values() if isinstance(node, dict) else node))
    return deepest


def dumps(doc: dict) -> str:
    """Return a scenario document as indented JSON text (the export format)."""
    return json.dumps(plain(doc), indent=2, ensure_ascii=False) + "\n"
