"""Run a scenario's engines on this store, and import a scenario file (re-run and check)."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import numpy as np
import pandas as pd

from locality import store
from locality.errors import AreaError, GroupingError, SitesError
from locality.grouping.area import AreaGrouping, group_area, plain
from locality.growth.planning import PlanningYear
from locality.growth.scenario import from_section
from locality.scenarios import checks
from locality.scenarios.format import edition, edition_differences, file_version, grouping_options, loads, validate
from locality.sites import SiteAppraisal, SiteOptions, appraise_sites
from locality.store.need_weights import DEFAULT_WEIGHTS_PREFIX
from locality.store.optional_sources import REGISTERED_LSOA_KEYS
from locality.vocabulary import DEMAND_METHODS, WITHIN, within_label


@dataclass
class ScenarioRun:
    """A scenario's document and what the engines gave for it on this store."""

    doc: dict
    edition: dict
    grouping: AreaGrouping | None = None
    sites: SiteAppraisal | None = None
    notes: list[str] = field(default_factory=list)
    plan: PlanningYear | None = None  # the planning year of the file's growth section
    new_builds: tuple = ()  # its new-build candidates

    @property
    def chosen(self) -> pd.Series | None:
        """The site option the planner chose.

        The saved ``chosen_k`` when that option is possible on this data (``None`` when it is not:
        :func:`run_scenario` adds a note); without a saved choice, the fewest sites with no
        capacity shortfall.
        """
        if self.sites is None:
            return None
        ok = self.sites.table
        k = (self.doc.get("sites") or {}).get("chosen_k")
        if k is not None:
            return self.sites.option(k)
        if ok.empty:
            return None
        if "shortfall_patients" in ok:
            enough = ok[ok["shortfall_patients"].fillna(0) <= 0]
            ok = enough if len(enough) else ok
        return ok.iloc[0]

    def results(self) -> dict:
        """Return the results in the canonical, comparable form saved with the scenario (no timings)."""
        out: dict = {}
        if self.grouping is not None:
            r = self.grouping.result
            s = self.grouping.summary()
            out["grouping"] = {
                "assignment": dict(sorted(zip(r.assignment["practice_code"], r.assignment["group"], strict=True))),
                "groups": [{"group": g.group, "patients": int(g.patients), "practices": int(g.practices),
                            "status": g.status} for g in r.groups.itertuples()],
                "summary": {k: v for k, v in s.items() if k not in ("seconds", "demand_method")},
            }
        if self.sites is not None:
            u = self.sites.unit
            cols = ["k", "status", "kept", "closed", f"mean_travel_{u}", f"p90_travel_{u}",
                    *(within_label(t, u) for t in WITHIN[u]), "area_released_m2", "area_released_estimated_m2",
                    "cost_released_gbp",
                    "shortfall_patients", "gap"]
            rows = []
            for o in self.sites.all_options().to_dict("records"):
                rows.append({c: _round(o.get(c)) for c in cols if c in o})
            out["sites"] = {"unit": u, "demand": self.sites.demand.kind,
                            "people": round(self.sites.demand.points["weight"].sum()),
                            "site_ids": list(self.sites.sites["site_id"]), "options": rows,
                            "chosen_k": None if self.chosen is None else int(self.chosen["k"])}
            if self.sites.options.travel != "straight":  # files without road travel keep their form
                out["sites"]["travel"] = self.sites.travel.provenance
            if self.new_builds:
                out["sites"]["builds_new"] = {int(o["k"]): o.get("builds_new") for o in rows_new(self.sites)}
        if self.plan is not None and self.grouping is not None and self.grouping.outlook is not None:
            out["growth"] = {"year": self.plan.year, "projection": True,
                             "groups": [{k: _round(v) for k, v in r.items()}
                                        for r in self.grouping.outlook.to_dict("records")]}
        methods = self.demand_methods()
        if any(v != "modelled" for k, v in methods.items() if k != "groups"):
            out["demand_method"] = methods  # absent: every part modelled (as in files saved before it existed)
        return plain(out)

    def optional_sources_used(self) -> set[str]:
        """Return the keys of the optional sources (``sources.toml``) this run's results depend on."""
        used: set[str] = set()
        if any(v != "modelled" for k, v in self.demand_methods().items() if k != "groups"):
            used |= set(REGISTERED_LSOA_KEYS)
        if self.sites is not None:
            opts = self.doc.get("sites") or {}
            ages = self.sites.demand.age_weights
            if opts.get("need_index") or (ages is not None and ages.source.startswith(DEFAULT_WEIGHTS_PREFIX)):
                used.add("nhs_payments")
        return used

    def demand_methods(self) -> dict:
        """Return how demand was placed, per part (not compared on import: files saved before it lack it)."""
        out: dict = {}
        if self.grouping is not None:
            g = self.grouping
            out["grouping"] = g.result.demand_method
            out["groups"] = {r["group"]: g.group_method(r["practices"]) for r in g.to_json()["groups"]}
        if self.sites is not None:
            out["sites"] = self.sites.demand.method
        return out

    def projection_line(self) -> str | None:
        """Return how this run's figures at its planning year were projected (None: today's lists)."""
        if self.plan is None:
            return None
        if self.grouping is not None and self.grouping.projection is not None:
            return self.grouping.projection.method()
        if self.sites is not None:
            return next((n for n in self.sites.notes if n.startswith("Demand projected to")), None)
        return None

    def method_lines(self) -> list[tuple[str, str]]:
        """Return ``(what, how)`` pairs saying how demand was placed: the groups' territory, the sites' demand."""
        methods = self.demand_methods()
        lines = [(what, DEMAND_METHODS[methods[part]]) for part, what in (("grouping", "Territory"), ("sites", "Demand"))
                 if part in methods]
        projected = self.projection_line()
        return lines + ([("Projection", projected)] if projected else [])

    def document(self) -> dict:
        """Return the scenario document with this run's edition and results (what is saved and exported)."""
        return {**self.doc, "version": file_version(self.doc), "edition": self.edition, "results": self.results(),
                "saved_at": datetime.now(UTC).isoformat(timespec="seconds")}


def rows_new(appraisal: SiteAppraisal) -> list[dict]:
    """Return the feasible options with what they build (``k, builds_new``)."""
    t = appraisal.table
    return t[["k", "builds_new"]].to_dict("records") if "builds_new" in t else []


def _round(v):
    if v is pd.NA:
        return None
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        return None if v != v else round(float(v), 4)
    if isinstance(v, list | tuple | np.ndarray):
        return [_round(x) for x in v]
    return v


def run_scenario(con: duckdb.DuckDBPyConnection, doc: dict, file: str | None = None) -> ScenarioRun:
    """Run a scenario's engines on this store: the grouping, then the site options.

    The codes the scenario names, and the register and travel matrix it embeds, are checked
    first (:mod:`locality.scenarios.checks`); ``file`` names the scenario in messages (default:
    its name).

    Raises
    ------
    ScenarioError, GroupingError, SitesError, AreaError
        When the scenario cannot be run on this store as saved (e.g. a practice that no longer exists).
    """
    file = file or (doc.get("name", "scenario") if isinstance(doc, dict) else "scenario")
    validate(doc, file)
    checks.check_codes(con, doc, file)
    run = ScenarioRun(doc, edition(con))
    plan, for_year, new_builds = from_section(doc.get("growth"))
    run.plan, run.new_builds = plan, new_builds
    opts = grouping_options(doc)
    if opts is not None:
        with _naming(file, "grouping"):
            run.grouping = group_area(con, doc["area"], opts, plan, for_year)
    s = doc.get("sites")
    if s:
        reg = s.get("register")
        register = checks.embedded_register(con, reg, file) if reg else None
        if s.get("circuity") is None:  # record the store's default, so the file says what was used
            s = {**s, "circuity": store.default_circuity(con).factor}
            run.doc = {**doc, "sites": s}
        matrix = checks.embedded_matrix(con, s["travel_matrix"], file) if s.get("travel_matrix") else None
        with _naming(file, "sites"):
            run.sites = appraise_sites(con, SiteOptions.from_scenario(s), register, matrix, plan=plan,
                                       new_builds=new_builds)
        k = s.get("chosen_k")
        if k is not None and run.chosen is None:
            why = run.sites.status_of(k)
            run.notes.append(f"The saved option, keeping {k} site(s), cannot be had on this data ({why}); "
                             "no option is shown as chosen.")
    run.edition = edition(con, run.optional_sources_used())
    return run


@contextmanager
def _naming(file: str, section: str):
    """Re-raise a grouping or site-options error with the scenario file and its section in front."""
    try:
        yield
    except (GroupingError, SitesError, AreaError) as exc:
        raise type(exc)(f"{file}: {section}: {exc}") from None


def check_reproduced(saved: dict | None, rerun: dict) -> list[str]:
    """Differences between saved results and a re-run's (empty when identical)."""
    if not saved:
        return ["The file holds no results to check against."]
    out = []
    for part in ("grouping", "sites", "growth"):
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
    run = run_scenario(con, doc, file)
    return Imported(run, check_reproduced(doc.get("results"), run.results()),
                    edition_differences(doc.get("edition"), run.edition))


# --- comparing ---------------------------------------------------------------------------------
