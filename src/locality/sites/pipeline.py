"""One pipeline from the store to a site appraisal: practices → sites → demand → travel → options.

The Hubs & estates page, the CLI and scenario files all call :func:`appraise_sites`.
"""

from __future__ import annotations

from dataclasses import replace

import duckdb
import numpy as np
import pandas as pd

from locality import store
from locality.demand import Demand
from locality.demand.catchment import catchment_window, registered_demand
from locality.demand.need import apply_need_index
from locality.demand.registered import registered_lists
from locality.demand.residents import catchment, residents
from locality.errors import SitesError
from locality.growth.area import projected_lists
from locality.growth.planning import PlanningYear, project_demand
from locality.sites import premises
from locality.sites.new_build import NewBuild, candidate_sites, weigh_new_builds
from locality.sites.options import SiteOptions
from locality.sites.premises_cost import estimate_running_costs
from locality.sites.problem import SiteAppraisal, SiteProblem
from locality.travel import TravelCost
from locality.travel.matrix import MATRIX_NOTE, from_matrix
from locality.travel.straight_line import straight_line
from locality.travel.valhalla import road_travel


def appraise_sites(con: duckdb.DuckDBPyConnection, options: SiteOptions, register: pd.DataFrame | None = None,
                   matrix: pd.DataFrame | None = None, plan: PlanningYear | None = None,
                   new_builds: tuple[NewBuild, ...] = ()) -> SiteAppraisal:
    """Appraise the sites of a set of practices (or of an area) on the store, for every number to keep.

    Parameters
    ----------
    con : DuckDBPyConnection
        The national store.
    options : SiteOptions
        What is asked.
    register : DataFrame, optional
        A checked estates register (:func:`locality.sources.estates.read_register`): its sites
        replace the practice postcodes, with their floor areas, rooms, tenure, condition, costs and
        flags. Without one the sites are practice postcodes and those figures are unknown.
    matrix : DataFrame, optional
        A travel-time matrix (:func:`locality.sources.travel_matrix.read_travel_matrix`) replacing
        straight-line distance (residents demand only).
    plan : PlanningYear, optional
        Appraise at a planning year: the practices' lists and the demand projected to it
        (:mod:`locality.growth.planning`); the projection's method is in the notes.
    new_builds : tuple of NewBuild, optional
        Sites that do not exist yet (:mod:`locality.sites.new_build`), competing with today's premises.

    Raises
    ------
    SitesError
        Unknown practices, practices without a location, practices missing from the register, a
        matrix with registered-list demand or with missing pairs, unknown flagged sites, or a
        capacity basis the sites lack.
    """
    circuity = options.circuity if options.circuity is not None else store.default_circuity(con).factor
    if matrix is not None and options.demand != "residents":
        raise SitesError("A travel matrix gives minutes from LSOAs: use it with residents as demand.")
    if matrix is not None and options.travel != "straight":
        raise SitesError(f"Give either a travel matrix or {options.travel} travel on a road network, not both.")
    around = _Around(con)
    practices = around.practices_of(options)
    projected = projected_lists(con, practices, plan) if plan is not None else None
    if register is not None and len(register):
        sites = premises.register_sites(register, practices)
    else:
        sites = premises.postcode_sites(practices)
    sites["town"] = premises.site_towns(sites, practices)
    benchmark = premises.estimate_floor_areas(sites, options.area_benchmark)  # today's lists: buildings do not grow
    today = practices
    if projected is not None:  # the sites' lists at the year (what capacity is compared with); demand below
        practices = projected.apply(practices)
        at_year = (premises.register_sites(register, practices) if register is not None and len(register)
                   else premises.postcode_sites(practices)).set_index("site_id")["patients"]
        sites["patients"] = sites["site_id"].map(at_year).fillna(sites["patients"])
    cost_notes = estimate_running_costs(sites, store.payments(con, practices["practice_code"])) \
        if options.estimate_costs else []
    notes = premises.shared_list_notes(sites, practices) + cost_notes
    candidates = candidate_sites(new_builds, store.postcode_coordinates(con, [c.postcode for c in new_builds
                                                                              if c.postcode]))
    area_known = bool(pd.to_numeric(sites["gia_m2"], errors="coerce").notna().any())
    if len(candidates):
        sites = pd.concat([sites.assign(new_build_cost_gbp=np.nan, new_build_source=None), candidates],
                          ignore_index=True)
        sites["gia_estimated"] = sites["gia_estimated"].fillna(False).astype(bool)
        notes.append("New-build candidates (no estate today; their area, rooms and cost are estimates): "
                     + "; ".join(f"{c.name}: {c.gia_m2:,.0f} m², {c.clinical_rooms} rooms, £{c.cost_gbp:,.0f} "
                                 f"(source: {c.source})" for c in new_builds) + ".")
    premises.locate(sites)
    demand = _demand(con, options, today, sites, around)
    if projected is not None:
        demand = project_demand(demand, projected)
    notes += list(demand.notes)
    if options.travel in ("drive", "walk"):
        travel, road_notes = _road_travel(con, options, demand, sites)
        notes += [*road_notes, f"Travel is {travel.provenance}."]
    else:
        travel = _travel(demand, sites, circuity, matrix)
        if travel.unit == "min":
            notes.append(MATRIX_NOTE)
    names = dict(zip(practices["practice_code"], practices["practice_name"], strict=True))
    out = SiteProblem(sites, demand, travel, options).solve(notes=tuple(notes), practice_names=names,
                                                            area_benchmark=benchmark)
    if len(candidates):
        out = replace(out, table=weigh_new_builds(out.table, candidates, area_known))
    return out


def road_coverage(con: duckdb.DuckDBPyConnection, options: SiteOptions,
                  register: pd.DataFrame | None = None) -> tuple[str | None, str]:
    """Return the built road network covering an appraisal's sites and demand points, or None and why not.

    Parameters
    ----------
    con, options, register
        As for :func:`appraise_sites` (the travel asked for does not matter).

    Returns
    -------
    tuple
        The network's name (or None) and a sentence: what it is, or why drive and walk are not offered.
    """
    from locality.travel import networks
    from locality.travel.valhalla import demand_lonlat, lonlat

    if not networks.networks():  # nothing to cover with: say so without finding the catchment
        return None, networks.covering([], [])[1]
    around = _Around(con)
    practices = around.practices_of(options)
    sites = premises.register_sites(register, practices) if register is not None and len(register) else \
        premises.postcode_sites(practices)
    premises.locate(sites)
    demand = _demand(con, options, practices, sites, around)
    every = np.vstack([demand_lonlat(demand.points), lonlat(sites["easting"], sites["northing"])])
    found, why = networks.covering(every[:, 0], every[:, 1])
    return (found.name if found else None), why


class _Around:
    """The store's practices per sub-ICB, read once each (the appraisal's and their neighbours')."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.by_sub_icb: dict[str, pd.DataFrame] = {}

    def sub_icb_practices(self, subs: list[str]) -> pd.DataFrame:
        for s in subs:
            if s not in self.by_sub_icb:
                self.by_sub_icb[s] = store.practices(self.con, "sub_icb", s)
        return pd.concat([self.by_sub_icb[s] for s in subs])

    def practices_of(self, options: SiteOptions) -> pd.DataFrame:
        """Return the appraisal's practices, checked to exist and to have a location."""
        if options.area:
            a = store.area(self.con, options.area)
            practices = store.practices(self.con, a["area_type"], a["code"])
        else:
            found = store.sub_icbs_of_practices(self.con, list(options.practices))
            missing = sorted(set(options.practices) - set(found))
            if missing:
                raise SitesError(f"Unknown practice code(s): {', '.join(missing)}.")
            practices = self.sub_icb_practices(sorted(set(found.values())))
            practices = practices[practices["practice_code"].isin(options.practices)]
        unlocated = practices[practices["easting"].isna()]
        if len(unlocated):
            raise SitesError(f"Practices without a location: {', '.join(unlocated['practice_code'])}.")
        return practices


def _demand(con: duckdb.DuckDBPyConnection, options: SiteOptions, practices: pd.DataFrame, sites: pd.DataFrame,
            around: _Around) -> Demand:
    if options.demand == "registered":
        if store.registration_coverage(con, practices["practice_code"]):
            demand = registered_demand(con, practices)  # where the patients live (NHS England, by LSOA)
        else:
            on_register = sites if sites["source"].str.startswith("estates register").all() else None
            demand = registered_lists(practices, store.meta(con).get("extract_date"), on_register)
        return apply_need_index(demand, store.payments(con, practices["practice_code"])) if options.need_index \
            else demand
    if options.catchment == "sub_icb":  # as saved before catchments crossed area boundaries
        subs = sorted(practices["sub_icb_code"].unique())
        lsoas = pd.concat([store.lsoas(con, "sub_icb", s, with_geometry=False) for s in subs], ignore_index=True)
        everyone = around.sub_icb_practices(subs).dropna(subset=["easting"])
        others = everyone[~everyone["practice_code"].isin(practices["practice_code"])].drop_duplicates("site_id")
    else:
        lsoas, others = catchment_window(con, sites, practices)
    points, notes = catchment(lsoas, sites, others, practices["lsoa21_code"])
    england = store.england_age_bands(con) if options.age_weights is not None else None
    return residents(points, options.age_weights, england, notes)


def _road_travel(con: duckdb.DuckDBPyConnection, options: SiteOptions, demand: Demand,
                 sites: pd.DataFrame) -> tuple[TravelCost, list[str]]:
    """Drive or walk minutes on the named network, or the smallest built one covering every point."""
    from locality.travel import networks
    from locality.travel.valhalla import demand_lonlat, lonlat

    points = demand.points
    if demand.kind == "residents":  # route from the LSOAs' population centres where the store has them
        centres = store.lsoa_population_centres(con, list(points["lsoa21_code"]))
        points = points.merge(centres, on="lsoa21_code", how="left")
    if options.roads:
        net = networks.network(options.roads)
    else:
        every = np.vstack([demand_lonlat(points), lonlat(sites["easting"], sites["northing"])])
        found, why = networks.covering(every[:, 0], every[:, 1])
        if found is None:
            raise SitesError(f"No {options.travel} travel here: {why}.")
        net = found
    ids = ("lsoa21_code", "site_id") if demand.kind == "residents" else ("practice_code", "site_id")
    return road_travel(points, sites, options.travel, net, ids)


def _travel(demand: Demand, sites: pd.DataFrame, circuity: float, matrix: pd.DataFrame | None) -> TravelCost:
    if matrix is not None:
        return from_matrix(matrix, demand.points, sites)
    return straight_line(demand.points, sites, circuity)
