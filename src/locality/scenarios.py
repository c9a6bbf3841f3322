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
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import jsonschema
import numpy as np
import pandas as pd

from locality import store
from locality.assumptions import AGE_BANDS, AgeWeights, AreaBenchmark, AssumptionError
from locality.compare import adjusted_rand_index, home_groups
from locality.errors import LocalityError
from locality.grouping import GroupingOptions
from locality.localities import AreaGrouping, group_area, plain
from locality.sites import (
    WITHIN,
    SiteInstance,
    apply_travel_matrix,
    appraise,
    area_released_text,
    build_instance,
    capacities,
    within_label,
)

FORMAT = "locality-planner-scenario"
#: Version 2 added the planner's age weights and floor-area benchmark (``sites.age_weights``,
#: ``sites.area_benchmark``); a file is written as version 1 when it uses neither, so earlier
#: releases still read it, and refuse (by version) a file they would misread.
VERSION = 2


class ScenarioError(LocalityError):
    """A scenario file or request that cannot be used (the message names the field)."""


_CODES = {"type": "array", "items": {"type": "string", "minLength": 1}}
SCHEMA = {
    "type": "object",
    "required": ["format", "version", "name", "area"],
    "properties": {
        "format": {"const": FORMAT},
        "version": {"enum": [1, VERSION]},
        "name": {"type": "string", "minLength": 1, "maxLength": 120},
        "description": {"type": "string"},
        "area": {"type": "string", "minLength": 2},
        "grouping": {"type": ["object", "null"], "required": ["floor", "ceiling"], "properties": {
            "floor": {"type": "integer", "minimum": 0},
            "ceiling": {"type": "integer", "minimum": 1},
            "n_groups": {"type": ["integer", "null"], "minimum": 1},
            "keep_pcns_whole": _CODES,
            "keep_together": {"type": "array", "items": _CODES},
            "keep_apart": {"type": "array", "items": _CODES},
            "seed": {"type": "integer"}}},
        "sites": {"type": ["object", "null"], "required": ["practices"], "properties": {
            "practices": {**_CODES, "minItems": 1},
            "circuity": {"type": ["number", "null"], "minimum": 1},
            "demand": {"enum": ["residents", "registered"]},
            "must_keep": _CODES, "must_close": _CODES,
            "capacity": {"type": "object", "properties": {
                "basis": {"enum": ["none", "m2", "room"]}, "rate": {"type": "number", "minimum": 0},
                "respect": {"type": "boolean"}}},
            "chosen_k": {"type": ["integer", "null"], "minimum": 1},
            "weights": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0}},
            "register": {"type": ["object", "null"], "required": ["name", "sites"],
                         "properties": {"name": {"type": "string"}, "sites": {"type": "array"}}},
            "travel_matrix": {"type": ["array", "null"], "items": {
                "type": "object", "required": ["lsoa21_code", "site_id", "minutes"]}},
            "age_weights": {"type": ["object", "null"], "required": ["weights", "source"], "properties": {
                "weights": {"type": "object", "propertyNames": {"enum": [*AGE_BANDS.values(), *AGE_BANDS]},
                            "additionalProperties": {"type": "number", "minimum": 0}},
                "source": {"type": "string", "pattern": r"\S.*\S"}}},
            "area_benchmark": {"type": ["object", "null"], "required": ["m2_per_patient", "source"],
                               "properties": {"m2_per_patient": {"type": "number", "exclusiveMinimum": 0,
                                                                 "maximum": 10},
                                              "source": {"type": "string", "pattern": r"\S.*\S"}}}}},
        "edition": {"type": "object"},
        "results": {"type": "object"},
    },
}


def file_version(doc: dict) -> int:
    """The version a scenario file is written as: 2 when it uses the planner's assumptions, else 1."""
    s = doc.get("sites") or {}
    return VERSION if s.get("age_weights") or s.get("area_benchmark") else 1


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
    return doc


def new_scenario(name: str, area: str, description: str = "", grouping: GroupingOptions | None = None,
                 sites: dict | None = None) -> dict:
    """A scenario document (without results) from the engines' parameters.

    Parameters
    ----------
    name, area, description : str
    grouping : GroupingOptions, optional
    sites : dict, optional
        ``practices`` (ODS codes) and optionally ``circuity``, ``demand`` (``residents`` or
        ``registered``), ``must_keep``, ``must_close``,
        ``capacity`` (``basis``, ``rate``, ``respect``), ``chosen_k``, ``weights``, ``register``
        (a register frame from :func:`locality.userdata.load_register`, with its name under
        ``register_name``), ``travel_matrix`` (a frame from :func:`locality.sites.read_travel_matrix`),
        ``age_weights`` (:class:`~locality.assumptions.AgeWeights`) and ``area_benchmark``
        (:class:`~locality.assumptions.AreaBenchmark`).
    """
    doc = {"format": FORMAT, "version": VERSION, "name": name.strip(), "description": description.strip(),
           "area": area.strip().upper(), "grouping": None, "sites": None}
    if grouping is not None:
        doc["grouping"] = {"floor": grouping.floor, "ceiling": grouping.ceiling, "n_groups": grouping.n_groups,
                           "keep_pcns_whole": list(grouping.keep_pcns_whole),
                           "keep_together": [list(t) for t in grouping.keep_together],
                           "keep_apart": [list(t) for t in grouping.keep_apart], "seed": grouping.seed}
    if sites is not None:
        s = dict(sites)
        reg = s.pop("register", None)
        matrix = s.pop("travel_matrix", None)
        doc["sites"] = {
            "practices": sorted(s.pop("practices")), "circuity": s.pop("circuity", None),
            "demand": s.pop("demand", "residents"),
            "must_keep": sorted(s.pop("must_keep", ())), "must_close": sorted(s.pop("must_close", ())),
            "capacity": s.pop("capacity", {"basis": "none", "rate": 0.0, "respect": False}),
            "chosen_k": s.pop("chosen_k", None), "weights": s.pop("weights", {}),
            "register": None if reg is None or not len(reg) else
            {"name": s.pop("register_name", "register"), "sites": _records(reg)},
            "travel_matrix": None if matrix is None else _records(matrix),
            **{k: None if s.get(k) is None else s[k].to_dict() for k in ("age_weights", "area_benchmark")},
        }
    doc["version"] = file_version(doc)
    return validate(plain(doc), name)


def _records(frame: pd.DataFrame) -> list[dict]:
    return plain(frame.astype(object).where(frame.notna(), None).to_dict("records"))


def grouping_options(doc: dict) -> GroupingOptions | None:
    """The scenario's Localities parameters as engine options (``None`` without a grouping)."""
    g = doc.get("grouping")
    if not g:
        return None
    return GroupingOptions(int(g["floor"]), int(g["ceiling"]), g.get("n_groups"),
                           tuple(g.get("keep_pcns_whole", ())), tuple(tuple(t) for t in g.get("keep_together", ())),
                           tuple(tuple(t) for t in g.get("keep_apart", ())), int(g.get("seed", 0)))


def edition(con: duckdb.DuckDBPyConnection) -> dict:
    """The data edition of a store: the list extract date and the sha256 of every source file."""
    prov = store.provenance(con)
    return {"extract_date": store.meta(con).get("extract_date"),
            "files": dict(zip(prov["file"], prov["sha256"], strict=True))}


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
    if set(a) ^ set(b):
        out.append(f"Source files not in both: {', '.join(sorted(set(a) ^ set(b)))}.")
    return out


@dataclass
class ScenarioRun:
    """A scenario's document and what the engines gave for it on this store."""

    doc: dict
    edition: dict
    grouping: AreaGrouping | None = None
    instance: SiteInstance | None = None
    options: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def chosen(self) -> pd.Series | None:
        """The site option the planner chose.

        The saved ``chosen_k`` when that option is possible on this data (``None`` when it is not:
        :func:`run_scenario` adds a note); without a saved choice, the fewest sites with no
        capacity shortfall.
        """
        if self.options is None:
            return None
        ok = self.options[self.options["status"] == "ok"]
        k = (self.doc.get("sites") or {}).get("chosen_k")
        if k is not None:
            hit = ok[ok["k"] == k]
            return hit.iloc[0] if len(hit) else None
        if ok.empty:
            return None
        if "shortfall_patients" in ok:
            enough = ok[ok["shortfall_patients"].fillna(0) <= 0]
            ok = enough if len(enough) else ok
        return ok.iloc[0]

    def results(self) -> dict:
        """The results in the canonical, comparable form saved with the scenario (no timings)."""
        out: dict = {}
        if self.grouping is not None:
            r = self.grouping.result
            s = self.grouping.summary()
            out["grouping"] = {
                "assignment": dict(sorted(zip(r.assignment["practice_code"], r.assignment["group"], strict=True))),
                "groups": [{"group": g.group, "patients": int(g.patients), "practices": int(g.practices),
                            "status": g.status} for g in r.groups.itertuples()],
                "summary": {k: v for k, v in s.items() if k not in ("seconds",)},
            }
        if self.options is not None:
            u = self.instance.unit
            cols = ["k", "status", "kept", "closed", f"mean_travel_{u}", f"p90_travel_{u}",
                    *(within_label(t, u) for t in WITHIN[u]), "area_released_m2", "area_released_estimated_m2",
                    "cost_released_gbp",
                    "shortfall_patients", "gap"]
            rows = []
            for o in self.options.to_dict("records"):
                rows.append({c: _round(o.get(c)) for c in cols if c in o})
            out["sites"] = {"unit": u, "demand": self.instance.demand_kind,
                            "people": int(round(self.instance.demand["weight"].sum())),
                            "site_ids": list(self.instance.sites["site_id"]), "options": rows,
                            "chosen_k": None if self.chosen is None else int(self.chosen["k"])}
        return plain(out)

    def document(self) -> dict:
        """The scenario document with this run's edition and results (what is saved and exported)."""
        return {**self.doc, "version": file_version(self.doc), "edition": self.edition, "results": self.results(),
                "saved_at": datetime.now(UTC).isoformat(timespec="seconds")}


def _round(v):
    if isinstance(v, float | np.floating):
        return None if v != v else round(float(v), 4)
    if isinstance(v, list | tuple | np.ndarray):
        return [_round(x) for x in v]
    return v


def run_scenario(con: duckdb.DuckDBPyConnection, doc: dict) -> ScenarioRun:
    """Run a scenario's engines on this store: the grouping, then the site options.

    Raises
    ------
    ScenarioError, GroupingError, SitesError, AreaError
        When the scenario cannot be run on this store as saved (e.g. a practice that no longer exists).
    """
    validate(doc, doc.get("name", "scenario") if isinstance(doc, dict) else "scenario")
    run = ScenarioRun(doc, edition(con))
    opts = grouping_options(doc)
    if opts is not None:
        run.grouping = group_area(con, doc["area"], opts)
    s = doc.get("sites")
    if s:
        reg = s.get("register")
        register = None
        if reg:
            register = pd.DataFrame(reg["sites"])
            if "lease_end" in register:
                register["lease_end"] = pd.to_datetime(register["lease_end"]).dt.date
        if s.get("circuity") is None:  # record the store's default, so the file says what was used
            s = {**s, "circuity": store.default_circuity(con).factor}
            run.doc = {**doc, "sites": s}
        inst = build_instance(con, list(s["practices"]), circuity=float(s["circuity"]), register=register,
                              demand=s.get("demand", "residents"),
                              age_weights=AgeWeights.from_dict(s.get("age_weights")),
                              area_benchmark=AreaBenchmark.from_dict(s.get("area_benchmark")))
        if s.get("travel_matrix"):
            inst = apply_travel_matrix(inst, pd.DataFrame(s["travel_matrix"]))
        cap_spec = s.get("capacity") or {"basis": "none"}
        cap, per_m2 = None, None
        if cap_spec.get("basis", "none") != "none":
            cap = capacities(inst, cap_spec["basis"], float(cap_spec["rate"]))
            per_m2 = float(cap_spec["rate"]) if cap_spec["basis"] == "m2" else None
        run.instance = inst
        run.options = appraise(inst, None, tuple(s.get("must_keep", ())), tuple(s.get("must_close", ())), cap,
                               bool(cap_spec.get("respect", False)), per_m2)
        k = s.get("chosen_k")
        if k is not None and run.chosen is None:
            row = run.options[run.options["k"] == k]
            why = row["status"].iloc[0] if len(row) else f"there are only {len(inst.sites)} sites"
            run.notes.append(f"The saved option, keeping {k} site(s), cannot be had on this data ({why}); "
                             "no option is shown as chosen.")
    return run


def check_reproduced(saved: dict | None, rerun: dict) -> list[str]:
    """Differences between saved results and a re-run's (empty when identical)."""
    if not saved:
        return ["The file holds no results to check against."]
    out = []
    for part in ("grouping", "sites"):
        a, b = saved.get(part), rerun.get(part)
        if a == b:
            continue
        if a is None or b is None:
            out.append(f"{part}: only one of the saved results and the re-run has it.")
            continue
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                out.append(f"{part}.{key} differs.")
    return out


def loads(text: str | bytes, file: str = "scenario file") -> dict:
    """Parse and check a scenario file's text (JSON).

    Raises
    ------
    ScenarioError
        Naming the file, and the line and column of a JSON syntax error or the field at fault.
    """
    try:
        doc = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f"line {exc.lineno}, column {exc.colno}: " if isinstance(exc, json.JSONDecodeError) else ""
        raise ScenarioError(f"{file}: {where}not a readable JSON scenario file ({exc.msg if hasattr(exc, 'msg') else exc})"
                            ) from None
    return validate(doc, file)


def dumps(doc: dict) -> str:
    """A scenario document as indented JSON text (the export format)."""
    return json.dumps(plain(doc), indent=2, ensure_ascii=False) + "\n"


@dataclass
class Imported:
    """The outcome of importing a scenario file: the re-run, and how it compares with the file."""

    run: ScenarioRun
    differences: list[str]
    edition_differences: list[str]

    @property
    def identical(self) -> bool:
        """True when the re-run reproduced the file's results exactly."""
        return not self.differences


def import_scenario(con: duckdb.DuckDBPyConnection, text: str | bytes, file: str = "scenario file") -> Imported:
    """Read a scenario file, re-run it on this store, and say whether the results and data edition match."""
    doc = loads(text, file)
    run = run_scenario(con, doc)
    return Imported(run, check_reproduced(doc.get("results"), run.results()),
                    edition_differences(doc.get("edition"), run.edition))


# --- comparing ---------------------------------------------------------------------------------

#: The headline figures, in the order reports show them.
HEADLINE_ORDER = ("Groups", "Within the band", "Practices that move", "Sites kept", "Mean travel",
                  "Estate released")


def headline_pairs(run: ScenarioRun, most: int = 6) -> list[tuple[str, str]]:
    """Up to ``most`` headline figures as (label, text), grouping first, then the site option."""
    h = headline(run)
    return [(k, str(h[k])) for k in HEADLINE_ORDER if k in h][:most]


def figure_parts(value) -> tuple[str, str]:
    """A headline figure split into its number and its qualifier, for big type.

    ``"1,927 m (age-weighted)"`` → ``("1,927 m", "age-weighted")``; ``"2 of 3"`` → ``("2 of 3", "")``.
    """
    text = str(value)
    if text.endswith(")") and " (" in text:
        main, _, qualifier = text.rpartition(" (")
        return main, qualifier[:-1]
    return text, ""


def figure_card(label: str, value, joined: str = "{label} · {qualifier}") -> tuple[str, str]:
    """A headline figure as (label, number) for big type, its qualifier moved into the label.

    ``("Mean travel", "1,927 m (age-weighted)")`` → ``("Mean travel · age-weighted", "1,927 m")``.
    """
    number, qualifier = figure_parts(value)
    return (joined.format(label=label, qualifier=qualifier) if qualifier else label), number


def travel_text(value: float, unit: str) -> str:
    """A travel figure as text: ``1,519 m`` or ``12.5 min``."""
    return f"{value:,.0f} m" if unit == "m" else f"{value:.1f} min"


def _mean_travel_text(run: ScenarioRun, value: float) -> str:
    """Mean travel as text, saying when residents are weighted by age."""
    text = travel_text(value, run.instance.unit)
    return f"{text} (age-weighted)" if run.instance.age_weights is not None else text


def assumption_differences(a: ScenarioRun, b: ScenarioRun) -> list[str]:
    """Notes on the planner's assumptions that differ between two runs (their figures are not like for like)."""
    if a.instance is None or b.instance is None:
        return []
    def figures(inst: SiteInstance, attr: str):
        """The figures that change results: age weights as scaled to England's mean, or m² per patient."""
        v = getattr(inst, attr)
        if v is None:
            return None
        if attr == "age_weights":
            return tuple(round(w / inst.age_weight_mean, 9) for w in v.weights.values())
        return v.m2_per_patient

    out = []
    for what, attr in (("age weights", "age_weights"), ("floor-area benchmark", "area_benchmark")):
        x, y = getattr(a.instance, attr), getattr(b.instance, attr)
        if figures(a.instance, attr) != figures(b.instance, attr):
            sides = [f"{run.doc['name']}: {'none' if v is None else v.label() + ' (' + v.source + ')'}"
                     for run, v in ((a, x), (b, y))]
            out.append(f"The {what} differ, so the travel or area figures are not like for like — "
                       + "; ".join(sides) + ".")
    return out


def headline(run: ScenarioRun) -> dict:
    """Headline figures: groups, % within bounds, practices moving, mean travel, sites kept, estate released."""
    out: dict = {}
    if run.grouping is not None:
        s = run.grouping.summary()
        out.update({"Groups": s["groups"], "Within the band": f"{100 * s['within_bounds_share']:.0f}%",
                    "Band": f"{s['floor']:,}–{s['ceiling']:,}", "Practices that move": s["practices_moving"],
                    "Match with today (ARI)": f"{s['adjusted_rand_index']:.2f}"})
    c = run.chosen
    if c is not None:
        u = run.instance.unit
        n = len(run.instance.sites)
        out["Sites kept"] = f"{int(c['k'])} of {n}"
        out["Mean travel"] = _mean_travel_text(run, c[f"mean_travel_{u}"])
        released = f"{n - int(c['k'])} site(s)"
        area = area_released_text(c)
        if area:
            released += f", {area}"
        cost = c.get("cost_released_gbp")
        if cost is not None and cost == cost:
            released += f", £{cost:,.0f}/yr"
        out["Estate released"] = released
    return out


def today_headline(run: ScenarioRun) -> dict:
    """The same figures for today's PCNs in the scenario's area (all sites open)."""
    out: dict = {}
    if run.grouping is not None:
        cmp_ = run.grouping.comparison
        today = cmp_.pcns_today
        real = today[today["pcn_code"] != "U"] if "pcn_code" in today else today
        out.update({"Groups": len(real),
                    "Within the band": f"{100 * (real['status'] == 'within').mean():.0f}%" if len(real) else "–",
                    "Band": f"{run.grouping.result.options.floor:,}–{run.grouping.result.options.ceiling:,}",
                    "Practices that move": 0, "Match with today (ARI)": "1.00"})
    if run.instance is not None:
        d = run.instance.demand["weight"].to_numpy(dtype=float)
        travel = run.instance.cost.min(axis=1)
        mean = float(np.average(travel, weights=d)) if d.sum() else float("nan")
        out["Sites kept"] = f"{len(run.instance.sites)} of {len(run.instance.sites)}"
        out["Mean travel"] = _mean_travel_text(run, mean)
        out["Estate released"] = "none"
    return out


@dataclass
class ScenarioComparison:
    """Two scenarios (or one and today's PCNs) side by side."""

    names: tuple[str, str]
    headline: pd.DataFrame
    moves: pd.DataFrame
    ari: float | None
    sites: pd.DataFrame
    notes: list[str]


def compare(a: ScenarioRun, b: ScenarioRun | None) -> ScenarioComparison:
    """Compare scenario ``a`` with scenario ``b``, or with today's PCNs when ``b`` is None.

    Returns
    -------
    ScenarioComparison
        ``headline`` (one row per figure, one column per side); ``moves`` (going from ``b`` to
        ``a``: the practices whose group in ``a`` is not the one holding most of their ``b``
        group's patients — the rule used against today, with ``b`` in the place of today's PCNs,
        so swapping the sides can give a different list); ``ari`` between
        the two groupings; ``sites`` (each site, kept or closed on each side).
    """
    name_a = a.doc["name"]
    name_b = b.doc["name"] if b is not None else "Today's PCNs"
    if name_b == name_a:
        name_b = f"{name_b} (2)"
    notes: list[str] = []
    ha, hb = headline(a), (headline(b) if b is not None else today_headline(a))
    if b is not None and a.grouping is not None and b.grouping is not None and a.doc["area"] != b.doc["area"]:
        notes.append(f"The scenarios cover different areas ({a.doc['area']} and {b.doc['area']}).")
    if b is not None:
        notes += assumption_differences(a, b)
    keys = list(dict.fromkeys([*ha, *hb]))
    table = pd.DataFrame({"Figure": keys, name_a: [str(ha.get(k, "–")) for k in keys],
                          name_b: [str(hb.get(k, "–")) for k in keys]})
    moves = pd.DataFrame(columns=["practice_code", "practice_name", "patients", "group_a", "group_b"])
    ari = None
    if a.grouping is not None and b is None:
        m = a.grouping.comparison.moves
        moves = m.rename(columns={"group": "group_a", "pcn_name": "group_b"})[
            ["practice_code", "practice_name", "patients", "group_a", "group_b"]]
        ari = a.grouping.comparison.ari
    elif a.grouping is not None and b is not None and b.grouping is not None:
        ga, gb = a.grouping.result.assignment, b.grouping.result.assignment
        both = ga[["practice_code", "practice_name", "patients", "group"]].merge(
            gb[["practice_code", "group"]], on="practice_code", suffixes=("_a", "_b"))
        if len(both) < max(len(ga), len(gb)):
            notes.append(f"The scenarios cover different practices: {len(both)} are in both and are compared.")
        ari = adjusted_rand_index(both["group_a"], both["group_b"]) if len(both) else None
        # pair each group of b with the group of a that most of its patients come from
        pairing = home_groups(both.rename(columns={"group_b": "pcn_code", "group_a": "group"}))
        moving = both["group_b"].map(pairing) != both["group_a"]
        moves = both[moving][["practice_code", "practice_name", "patients", "group_a", "group_b"]]
    moves = moves.rename(columns={"group_a": f"Group in {name_a}", "group_b": f"Group in {name_b}"})
    sites = _site_choices(a, b, name_a, name_b)
    return ScenarioComparison((name_a, name_b), table, moves.reset_index(drop=True), ari, sites, notes)


def _site_choices(a: ScenarioRun, b: ScenarioRun | None, name_a: str, name_b: str) -> pd.DataFrame:
    frames = []
    for run, name in ((a, name_a), (b, name_b)):
        if run is None:
            if a.instance is not None:  # today: every site open
                s = a.instance.sites
                frames.append(pd.DataFrame({"site_id": s["site_id"], "postcode": s["postcode"], name: "open"}))
            continue
        if run.instance is None or run.chosen is None:
            continue
        s = run.instance.sites
        kept = set(run.chosen["kept"])
        frames.append(pd.DataFrame({"site_id": s["site_id"], "postcode": s["postcode"],
                                    name: ["kept" if x in kept else "closed" for x in s["site_id"]]}))
    if not frames:
        return pd.DataFrame(columns=["site_id", "postcode"])
    out = frames[0]
    for f in frames[1:]:
        out = out.merge(f, on=["site_id", "postcode"], how="outer")
    return out.fillna("–").sort_values("site_id").reset_index(drop=True)
