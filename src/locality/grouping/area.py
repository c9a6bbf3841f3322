"""Run a grouping for a named area and export it (shared by the CLI and the Localities page)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from locality import store
from locality.funding import SOURCE as FUNDING_SOURCE
from locality.funding import funding_table
from locality.geography import dissolve, geoms_bng_to_wgs84
from locality.grouping.compare import Comparison, compare_with_today
from locality.grouping.problem import GroupingOptions, GroupingResult, group_practices
from locality.growth.area import projected_lists
from locality.growth.planning import PlanningYear, ProjectedLists, group_outlook


@dataclass
class AreaGrouping:
    """A grouping of one area's practices, with its comparison against today's PCNs."""

    area_code: str
    area_type: str
    area_name: str
    result: GroupingResult
    comparison: Comparison
    lsoas: pd.DataFrame
    covered: frozenset[str] = frozenset()  # practices whose patients by LSOA are known
    funding: dict[str, pd.DataFrame] | None = None  # NHS payments 2022-23 per group, PCN and area
    projection: ProjectedLists | None = None  # the practices' lists at a planning year
    outlook: pd.DataFrame | None = None  # each group now and at the planning year (growth.planning.group_outlook)
    for_year: bool = False  # grouped on the planning year's lists (else today's, read at the year)

    def summary(self) -> dict:
        """Return the headline figures for the CLI and the page."""
        r = self.result
        return {
            "area": self.area_code, "area_type": self.area_type, "floor": r.options.floor,
            "ceiling": r.options.ceiling, "seed": r.options.seed, "groups": len(r.groups),
            "within_bounds_share": round(r.within_share, 4), "all_within_bounds": r.all_within,
            "all_contiguous": r.all_contiguous, "excess_patients": r.excess,
            "forced_exceptions": sum(e.forced for e in r.exceptions),
            "unforced_exceptions": len(r.unforced), **self.comparison.as_dict(),
            "demand_method": r.demand_method,
            **(r.repair.as_dict() if r.repair is not None else {}),
            **({"planning_year": self.projection.plan.year,
                "groups_leaving_band_by_year": int(self.outlook["leaves_band"].sum())}
               if self.projection is not None and self.outlook is not None else {}),
            "seconds": round(r.elapsed_s, 3),
        }

    def to_json(self) -> dict:
        """Return the ``group --json`` object: groups, exceptions, summary."""
        r = self.result
        members = r.assignment.groupby("group")["practice_code"].apply(lambda s: sorted(s)).to_dict()
        groups = [{**{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()},
                   "practices": members.get(row["group"], []), "n_practices": int(row["practices"]),
                   "demand_method": self.group_method(members.get(row["group"], []))}
                  for row in r.groups.to_dict("records")]
        c = self.comparison
        out = {"groups": groups, "exceptions": [e.as_dict() for e in r.exceptions], "messages": r.messages,
               "demand_method": r.demand_method,
               "movers": c.moves.rename(columns={"pcn_home_group": "pcn_group"}).to_dict("records"),
               "pcns_today": c.pcns_today.to_dict("records"), "summary": self.summary()}
        if r.repair is not None:
            out["moves"] = r.repair.moves_records()
            out["moves_lower_bound"] = self.summary()["moves_lower_bound"]
        if self.funding is not None:
            out["funding"] = {"source": FUNDING_SOURCE, **{k: v.to_dict("records") for k, v in self.funding.items()}}
        if self.projection is not None and self.outlook is not None:
            out["planning_year"] = {**self.projection.plan.to_dict(), "grouped_for_year": self.for_year,
                                    "projection": True, "method": self.projection.method(),
                                    "gp_need": self.projection.plan.need.label(),
                                    "groups": self.outlook.to_dict("records")}
        return out

    def group_method(self, practice_codes: list[str]) -> str:
        """Return how one group's territory was drawn: ``registered``, ``mixed`` or ``modelled``."""
        known = [c in self.covered for c in practice_codes]
        return "registered" if known and all(known) else ("mixed" if any(known) else "modelled")

    def geodataframe(self) -> gpd.GeoDataFrame:
        """Return the group outlines with their figures, in WGS84 (for maps and GeoJSON download)."""
        r = self.result
        g = r.groups[r.groups["group"].isin(r.outlines)].copy()
        geoms = geoms_bng_to_wgs84(pd.Series([r.outlines[x] for x in g["group"]]).to_numpy())
        return gpd.GeoDataFrame(g, geometry=list(geoms), crs="EPSG:4326")

    def pcn_territories(self) -> gpd.GeoDataFrame:
        """Return today's PCNs drawn the same way as the proposal: each catchment goes to its site's main PCN.

        Returns
        -------
        GeoDataFrame
            ``pcn_code, pcn_name, practices, patients`` (in this area) and ``status`` against the
            band (whole-PCN list), in WGS84.
        """
        a = self.result.assignment
        main = (a.groupby(["unit", "pcn_code"])["patients"].sum().reset_index()
                .sort_values(["unit", "patients", "pcn_code"], ascending=[True, False, True])
                .drop_duplicates("unit").set_index("unit")["pcn_code"])
        lsoa_pcn = self.result.lsoa_group["unit"].map(main)
        geoms = shapely.from_wkb(self.lsoas["geom_bng"].map(bytes).to_numpy())
        d = dissolve(geoms, lsoa_pcn)
        today = self.comparison.pcns_today.set_index("pcn_code")
        here = a.groupby("pcn_code").agg(pcn_name=("pcn_name", "first"), practices=("practice_code", "count"),
                                         patients_here=("patients", "sum"))
        out = here.reindex(d["key"]).reset_index().rename(columns={"key": "pcn_code", "index": "pcn_code"})
        out["patients"] = out["pcn_code"].map(today["patients"]).fillna(out["patients_here"]).astype(int)
        out["status"] = out["pcn_code"].map(today["status"]).fillna("no PCN")
        return gpd.GeoDataFrame(out, geometry=list(geoms_bng_to_wgs84(d["geometry"].to_numpy())), crs="EPSG:4326")

    def geojson(self) -> str:
        """Return the group outlines and figures as GeoJSON text."""
        return self.geodataframe().to_json(drop_id=True)

    def assignment_csv(self) -> str:
        """Return the practice → group assignment as CSV text."""
        return self.result.assignment.to_csv(index=False)


def exceptions_table(result: GroupingResult, names: dict[str, str]) -> pd.DataFrame:
    """Return the exceptions as a table, with practice names, for the page."""
    rows = [{"group": e.group, "forced": "yes" if e.forced else "not proven", "patients": e.patients,
             "reason": e.reason, "practices": "; ".join(f"{c} {names.get(c, '')}".strip() for c in e.practices)}
            for e in result.exceptions]
    return pd.DataFrame(rows, columns=["group", "forced", "patients", "reason", "practices"])


def group_area(con: duckdb.DuckDBPyConnection, code: str, options: GroupingOptions, plan: PlanningYear | None = None,
               for_year: bool = False) -> AreaGrouping:
    """Group the practices of an area (sub-ICB, ICB, region or local authority code).

    With ``plan``, each group is also read at the planning year (``outlook``: sizes, band, GP need); with
    ``for_year`` the grouping is made on the planning year's lists (the outlook then gives today's sizes).

    Where NHS England's LSOA file covers the area's practices, the territory follows where their
    registered patients live; elsewhere it is modelled (nearest site). ``result.demand_method`` says which.

    Raises
    ------
    AreaError
        Unknown area code.
    GroupingError
        A request that cannot be run as asked (e.g. a lock naming a practice not in the area).
    """
    a = store.area(con, code)
    p, lsoa, adj = store.grouping_inputs(con, a["area_type"], a["code"])
    p, proj = _planned(con, p, plan, for_year)
    reg = store.registrations(con, p["practice_code"])
    result = group_practices(p, lsoa, adj, options, reg if len(reg) else None)
    out = AreaGrouping(a["code"], a["area_type"], a["name"], result, _compared(con, result, options), lsoa,
                       frozenset(reg["practice_code"]), _funding(con, result, a["code"]))
    return _with_outlook(out, proj, for_year)


def _planned(con: duckdb.DuckDBPyConnection, p: pd.DataFrame, plan: PlanningYear | None,
             for_year: bool) -> tuple[pd.DataFrame, ProjectedLists | None]:
    """Project the practices to the planning year; with ``for_year``, group on those lists."""
    if plan is None:
        return p, None
    proj = projected_lists(con, p, plan)
    return (proj.apply(p) if for_year else p), proj


def _with_outlook(out: AreaGrouping, proj: ProjectedLists | None, for_year: bool) -> AreaGrouping:
    if proj is not None:
        o = out.result.options
        out.projection, out.for_year = proj, for_year
        out.outlook = group_outlook(out.result.assignment, proj, o.floor, o.ceiling)
    return out


def _funding(con: duckdb.DuckDBPyConnection, result: GroupingResult, code: str) -> dict[str, pd.DataFrame] | None:
    """Return the NHS payments 2022-23 of the proposed groups, today's PCNs and the area (None without the file)."""
    if not store.info_count(con, "practice_payments"):
        return None
    a = result.assignment
    pay = store.payments(con, a["practice_code"])
    return {"groups": funding_table(a, pay), "pcns": funding_table(a, pay, key="pcn_name"),
            "area": funding_table(a.assign(area=code), pay, key="area")}


def _compared(con: duckdb.DuckDBPyConnection, result: GroupingResult, options: GroupingOptions) -> Comparison:
    """Return a grouping compared with today's PCNs (a repair's comparison counts its moves)."""
    comp = compare_with_today(result.assignment, store.pcn_table(con), options.floor, options.ceiling)
    if result.repair is not None:
        from locality.grouping.repair import repair_comparison

        comp = repair_comparison(result, comp)
    return comp


def group_areas(con: duckdb.DuckDBPyConnection, codes: list[str] | tuple[str, ...], options: GroupingOptions,
                practices: tuple[str, ...] = (), exclude: tuple[str, ...] = (), plan: PlanningYear | None = None,
                for_year: bool = False) -> AreaGrouping:
    """Group the practices of one or several areas, or a chosen list of practices, leaving some out.

    Parameters
    ----------
    codes : sequence of str
        Area codes (sub-ICB, ICB, region or local authority, any case); empty with ``practices``
        means the sub-ICBs those practices are in.
    options : GroupingOptions
    practices : tuple of str, optional
        Group only these practices (ODS codes); the territory is still every LSOA of the areas.
    exclude : tuple of str, optional
        Practices left out (for example those of PCNs mostly outside a local authority).
    plan, for_year : optional
        A planning year, as in :func:`group_area`.

    Raises
    ------
    AreaError
        An unknown area code.
    GroupingError
        Unknown or excluded-everything practice codes, naming them.
    """
    from locality.errors import GroupingError

    codes = [c.strip().upper() for c in codes if c.strip()]
    if not codes and practices:
        found = store.sub_icbs_of_practices(con, list(practices))
        unknown = sorted(set(practices) - set(found))
        if unknown:
            raise GroupingError(f"Unknown practice code(s): {', '.join(unknown)}.")
        codes = sorted(set(found.values()))
    if not codes:
        raise GroupingError("Give an area code or practice codes.")
    if len(codes) == 1 and not practices and not exclude:
        return group_area(con, codes[0], options, plan, for_year)
    areas = [store.area(con, c) for c in dict.fromkeys(codes)]
    parts = [store.grouping_inputs(con, a["area_type"], a["code"]) for a in areas]
    p = pd.concat([x[0] for x in parts], ignore_index=True).drop_duplicates("practice_code")
    lsoa = pd.concat([x[1] for x in parts], ignore_index=True).drop_duplicates("lsoa21_code").reset_index(drop=True)
    adj = store.lsoa_adjacency(con, list(lsoa["lsoa21_code"])) if len(parts) > 1 else parts[0][2]
    for what, chosen in (("to group", practices), ("to leave out", exclude)):
        unknown = sorted(set(chosen) - set(p["practice_code"]))
        if unknown:
            raise GroupingError(f"Practice code(s) {what} not in {', '.join(a['code'] for a in areas)}: "
                                f"{', '.join(unknown)}.")
    if practices:
        p = p[p["practice_code"].isin(practices)]
    p = p[~p["practice_code"].isin(exclude)].sort_values("practice_code").reset_index(drop=True)
    if p.empty:
        raise GroupingError("Every practice is left out: nothing to group.")
    p, proj = _planned(con, p, plan, for_year)
    reg = store.registrations(con, p["practice_code"])
    result = group_practices(p, lsoa, adj, options, reg if len(reg) else None)
    comp = _compared(con, result, options)
    code = "+".join(a["code"] for a in areas)
    name = " + ".join(a["name"] for a in areas)
    out = AreaGrouping(code, areas[0]["area_type"] if len(areas) == 1 else "areas", name, result, comp, lsoa,
                       frozenset(reg["practice_code"]), _funding(con, result, code))
    return _with_outlook(out, proj, for_year)


def dumps(obj) -> str:
    """Return JSON text, with NaN written as null."""
    return json.dumps(plain(obj))


def plain(obj):
    """Return a JSON-ready copy: numpy scalars and arrays to Python, NaN to None, dates to ISO text."""
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | np.ndarray):
        return [plain(v) for v in obj]
    if isinstance(obj, datetime):  # pandas Timestamps too
        midnight = (obj.hour, obj.minute, obj.second, obj.microsecond) == (0, 0, 0, 0)
        return obj.date().isoformat() if midnight else obj.isoformat()
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, np.generic):
        return plain(obj.item())
    if isinstance(obj, float) and obj != obj:
        return None
    return obj
