"""Group an area's practices into contiguous groups within a population floor and ceiling.

Usage follows spopt's shape: build a :class:`GroupingProblem` from frames and options,
call :meth:`GroupingProblem.solve`, and read the :class:`GroupingResult`.

- Practices at one site always stay together; locks (keep a PCN whole, keep practices
  together) merge sites into one unit; "keep apart" locks forbid units sharing a group.
- Territory: each unit's catchment is whole LSOA 2021s (nearest site by centroid, made
  connected), and contiguity comes from LSOA adjacency.
- Every group outside the bounds is reported with its reason, and marked *forced* only
  when proven: a single site above the ceiling, an area (or island) total that no number
  of groups can fit, or an exhaustive check that no contiguous grouping fits.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import shapely

from locality import geography, graph
from locality.errors import GroupingError
from locality.grouping import partition, territory
from locality.grouping.explain import Diagnosis, ExceptionKind, GroupFacts, reason
from locality.vocabulary import band_status


@dataclass(frozen=True)
class GroupingOptions:
    """Parameters of a grouping run.

    Parameters
    ----------
    floor, ceiling : int
        Bounds on each group's registered patients.
    n_groups : int, optional
        Target number of groups (default: chosen from the area total and the band).
    keep_pcns_whole : tuple of str
        PCN codes whose practices must stay in one group.
    keep_together : tuple of tuple of str
        Sets of practice codes that must share a group.
    keep_apart : tuple of tuple of str
        Sets of practice codes that must all be in different groups.
    seed : int
        Seed for the randomised search; the same seed gives the same result.
    mode : str
        ``"fresh"`` (the best grouping from a blank map) or ``"repair"`` (start from today's PCNs
        and bring them into the band with the fewest moves: :mod:`~locality.grouping.repair`).
    minimise : str
        What a repair minimises: ``"practices"`` moved or ``"patients"`` moved.
    """

    floor: int
    ceiling: int
    n_groups: int | None = None
    keep_pcns_whole: tuple[str, ...] = ()
    keep_together: tuple[tuple[str, ...], ...] = ()
    keep_apart: tuple[tuple[str, ...], ...] = ()
    seed: int = 0
    mode: str = "fresh"
    minimise: str = "practices"


@dataclass
class GroupException:
    """A group outside the bounds (or not contiguous), and why.

    ``kind`` is an :class:`~locality.grouping.explain.ExceptionKind` (a string enum, so it
    compares equal to its value, e.g. ``"island"``); ``reason`` is the planner's sentence.
    """

    group: str
    kind: ExceptionKind
    reason: str
    forced: bool
    patients: int
    practices: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Return the plain-dict form for JSON."""
        return {"group": self.group, "kind": self.kind.value, "reason": self.reason, "forced": self.forced,
                "patients": self.patients, "practices": self.practices}


@dataclass
class GroupingResult:
    """The outcome of a grouping run.

    Attributes
    ----------
    assignment : DataFrame
        One row per practice: ``practice_code, practice_name, pcn_code, pcn_name, patients,
        site_id, group, unit`` (``unit``: the site, or locked set of sites, it moves with).
    groups : DataFrame
        One row per group: ``group, patients, practices, sites, lsoas, residents,
        mean_distance_km, shape_index, mean_imd_decile, status, contiguous, main_pcn``.
    lsoa_group : DataFrame
        ``lsoa21_code, group, unit`` (the territory, and the unit whose catchment holds each LSOA).
    outlines : dict of str → shapely geometry
        Each group's outline (union of its LSOAs, BNG).
    exceptions : list of GroupException
    demand_method : {"modelled", "registered", "mixed"}
        How the territory was drawn: nearest sites, where the practices' registered patients live
        (NHS England's LSOA file), or both (:data:`locality.vocabulary.DEMAND_METHODS`).
    """

    options: GroupingOptions
    assignment: pd.DataFrame
    groups: pd.DataFrame
    lsoa_group: pd.DataFrame
    outlines: dict
    exceptions: list[GroupException]
    messages: list[str]
    elapsed_s: float
    demand_method: str = "modelled"
    #: A repair's moves and bound (:class:`~locality.grouping.repair.RepairOutcome`); None in the fresh mode.
    repair: Any = None

    @property
    def within_share(self) -> float:
        """Share of groups within the bounds (0–1)."""
        return float((self.groups["status"] == "within").mean()) if len(self.groups) else 0.0

    @property
    def all_within(self) -> bool:
        """True when every group is within the bounds."""
        return bool((self.groups["status"] == "within").all())

    @property
    def all_contiguous(self) -> bool:
        """True when every group's territory is one connected piece."""
        return bool(self.groups["contiguous"].all())

    @property
    def excess(self) -> int:
        """Total patients outside the bounds, over all groups."""
        f, c = self.options.floor, self.options.ceiling
        return int(sum(partition.violation(p, f, c) for p in self.groups["patients"]))

    @property
    def unforced(self) -> list[GroupException]:
        """Bound exceptions not proven forced."""
        return [e for e in self.exceptions if not e.forced]


@dataclass
class UnitGraph:
    """What the search works on: units, their weights, positions, catchments and adjacency.

    Attributes
    ----------
    unit : ndarray of int
        The unit of each practice (row order of the problem's practices).
    weights : ndarray of float
        Registered patients per unit.
    xy : (n_units, 2) ndarray
        Patient-weighted unit positions (BNG metres).
    territory : locality.grouping.territory.Territory
        LSOA catchments and unit adjacency (``territory.unit_neighbours``).
    """

    unit: np.ndarray
    weights: np.ndarray
    xy: np.ndarray
    territory: territory.Territory
    messages: list[str]


@dataclass(frozen=True)
class _Part:
    """One connected part of the area (units at or below the ceiling), as the search saw it."""

    units: list[int]
    patients: float
    target: int | None
    whole_area: bool  # the area's only part, with no unit above the ceiling
    island: bool  # one of several parts, and below the floor on its own


class GroupingProblem:
    """An area's practices, its LSOAs and their adjacency, and the grouping options.

    Parameters
    ----------
    practices : DataFrame
        ``practice_code, practice_name, pcn_code, pcn_name, patients, site_id, easting, northing``.
    lsoas : DataFrame
        ``lsoa21_code, centroid_e, centroid_n, residents, imd_decile`` and optionally ``geom_bng`` (WKB).
    adjacency : DataFrame
        ``a, b`` LSOA code pairs (either order).
    options : GroupingOptions
    registrations : DataFrame, optional
        ``practice_code, lsoa21_code, patients``: where the practices' registered patients live
        (NHS England's LSOA file). Where given, each LSOA goes to the unit, and then the group,
        holding most of its registered patients (nearest site where none of them lives there),
        with the same contiguity repair.
    """

    def __init__(self, practices: pd.DataFrame, lsoas: pd.DataFrame, adjacency: pd.DataFrame,
                 options: GroupingOptions, registrations: pd.DataFrame | None = None):
        if options.floor <= 0 or options.ceiling < options.floor:
            raise GroupingError(f"The floor ({options.floor:,}) must be positive and at most the ceiling "
                                f"({options.ceiling:,}).")
        if practices.empty:
            raise GroupingError("The area has no practices to group.")
        if lsoas.empty:
            raise GroupingError("The area has no LSOAs: its territory cannot be built.")
        if options.n_groups is not None and options.n_groups < 1:
            raise GroupingError("The target number of groups must be at least 1.")
        self.practices = practices.reset_index(drop=True).copy()
        self.practices["patients"] = self.practices["patients"].fillna(0).astype(float)
        self.lsoas = lsoas.reset_index(drop=True)
        self.adjacency = adjacency
        self.options = options
        self.registrations = registrations if registrations is not None and len(registrations) else None
        self._registered: np.ndarray | None = None
        self._check_locks()

    # -- set-up --------------------------------------------------------------------------
    def _check_locks(self) -> None:
        codes = set(self.practices["practice_code"])
        pcns = set(self.practices["pcn_code"])
        for p in self.options.keep_pcns_whole:
            if p not in pcns:
                raise GroupingError(f"Cannot keep PCN {p} whole: none of its practices is in this area.")
        for kind, sets in (("together", self.options.keep_together), ("apart", self.options.keep_apart)):
            for s in sets:
                missing = sorted(set(s) - codes)
                if missing:
                    raise GroupingError(f"Cannot keep {', '.join(missing)} {kind}: not a practice in this area.")
                if len(set(s)) < 2:
                    raise GroupingError(f"A keep-{kind} lock needs at least two practices (got {list(s)}).")

    def _units(self) -> tuple[np.ndarray, list[str]]:
        """Merge practices into units (same site, locked PCNs, keep-together sets); return each practice's unit."""
        p = self.practices
        n = len(p)
        uf = graph.UnionFind(range(n))
        by_site = p.groupby("site_id").indices
        for idx in by_site.values():
            for j in idx[1:]:
                uf.union(idx[0], j)
        for pcn in self.options.keep_pcns_whole:
            idx = np.flatnonzero(p["pcn_code"].to_numpy() == pcn)
            for j in idx[1:]:
                uf.union(idx[0], j)
        pos = {c: i for i, c in enumerate(p["practice_code"])}
        for s in self.options.keep_together:
            idx = [pos[c] for c in s]
            for j in idx[1:]:
                uf.union(idx[0], j)
        roots = uf.roots()
        uniq = {r: k for k, r in enumerate(sorted(set(roots)))}
        unit = np.array([uniq[r] for r in roots], dtype=np.int64)
        notes: list[str] = []
        for s in self.options.keep_apart:
            us = [unit[pos[c]] for c in s]
            if len(set(us)) < len(us):
                raise GroupingError(
                    f"Cannot keep {', '.join(s)} apart: some of them share a site or are locked together.")
        return unit, notes

    # -- solve ---------------------------------------------------------------------------
    def unit_graph(self) -> UnitGraph:
        """Build the units (sites merged by locks), their LSOA catchments and their adjacency."""
        p = self.practices
        unit, messages = self._units()
        n_units = int(unit.max()) + 1
        w = np.bincount(unit, weights=p["patients"].to_numpy(), minlength=n_units)
        lsoa_codes = self.lsoas["lsoa21_code"].to_numpy()
        lpos = {c: i for i, c in enumerate(lsoa_codes)}
        adj = self.adjacency
        a = adj["a"].map(lpos)
        b = adj["b"].map(lpos)
        ok = a.notna() & b.notna()
        lnb = territory.lsoa_neighbour_sets(len(lsoa_codes), a[ok].astype(int).to_numpy(),
                                            b[ok].astype(int).to_numpy())
        located = p["easting"].notna().to_numpy()
        sites = p[located].drop_duplicates("site_id")
        site_xy = sites[["easting", "northing"]].to_numpy(dtype=float)
        site_unit = unit[sites.index.to_numpy()]
        site_lsoa = sites["lsoa21_code"].map(lpos).fillna(-1).astype(int).to_numpy() if "lsoa21_code" in sites \
            else np.full(len(sites), -1)
        lsoa_xy = self.lsoas[["centroid_e", "centroid_n"]].to_numpy(dtype=float)
        self._registered = self._registered_matrix(unit, lpos, n_units)
        terr = territory.build_territory(lsoa_xy, lnb, site_xy, site_unit, site_lsoa, n_units, self._registered)
        # unit positions: patient-weighted mean of its practices (unlocated: area centre)
        pw = np.where(located, p["patients"].to_numpy() + 1e-9, 0.0)
        sw = np.bincount(unit, weights=pw, minlength=n_units)
        sx = np.bincount(unit, weights=np.nan_to_num(p["easting"].to_numpy(dtype=float)) * pw, minlength=n_units)
        sy = np.bincount(unit, weights=np.nan_to_num(p["northing"].to_numpy(dtype=float)) * pw, minlength=n_units)
        xy = np.column_stack([sx, sy]) / np.maximum(sw, 1e-12)[:, None]
        xy[sw <= 0] = lsoa_xy.mean(axis=0)
        return UnitGraph(unit=unit, weights=w, xy=xy, territory=terr, messages=messages)

    def _registered_matrix(self, unit: np.ndarray, lpos: dict[str, int], n_units: int) -> np.ndarray | None:
        """Return the units' registered patients per area LSOA, (n_lsoa, n_units), or None without registrations."""
        if self.registrations is None:
            return None
        r = self.registrations
        upos = dict(zip(self.practices["practice_code"], unit, strict=True))
        li = r["lsoa21_code"].map(lpos)
        ui = r["practice_code"].map(upos)
        ok = li.notna() & ui.notna()
        m = np.zeros((len(lpos), n_units))
        np.add.at(m, (li[ok].astype(int).to_numpy(), ui[ok].astype(int).to_numpy()),
                  r.loc[ok, "patients"].to_numpy(dtype=float))
        return m

    @property
    def demand_method(self) -> str:
        """Return how the territory is drawn: ``registered``, ``mixed`` or ``modelled``."""
        if self.registrations is None:
            return "modelled"
        covered = self.practices["practice_code"].isin(set(self.registrations["practice_code"]))
        return "registered" if covered.all() else ("mixed" if covered.any() else "modelled")

    def solve(self) -> GroupingResult:
        """Run the grouping and return its result (never raises for bound problems)."""
        t0 = time.perf_counter()
        o = self.options
        ug = self.unit_graph()
        w, terr, messages = ug.weights, ug.territory, ug.messages
        n_units = len(w)
        apart = self._apart_units(ug.unit)
        # big units are their own (forced) groups; the rest splits into connected components
        big = [u for u in range(n_units) if w[u] > o.ceiling]
        groups: list[list[int]] = [[u] for u in big]
        diagnoses: list[Diagnosis | None] = [Diagnosis(ExceptionKind.ABOVE_CEILING_UNIT) for _ in big]
        rest = [u for u in range(n_units) if w[u] <= o.ceiling]
        comps = graph.components(rest, [terr.unit_neighbours[u] - set(big) for u in range(n_units)])
        comps.sort(key=lambda c: min(c))
        multi = len(comps) > 1
        if o.n_groups is not None and (big or multi):
            messages.append("The target number of groups applies to the whole area; it was shared between "
                            "separate parts in proportion to their patients.")
        total_rest = float(w[rest].sum()) if rest else 0.0
        for ci, comp in enumerate(comps):
            cu = sorted(comp)
            if multi and self._join_enclosing_unit(cu, ug, big, groups, diagnoses):
                continue
            cw = w[cu]
            part_info = _Part(cu, float(cw.sum()), self._part_target(cw, len(big), multi, total_rest),
                              whole_area=len(comps) == 1 and not big, island=bool(multi and cw.sum() < o.floor))
            part = self._partition(part_info, ug, apart, o.seed + 7919 * ci)
            for gi_local, g in enumerate(part.groups):
                groups.append([cu[i] for i in g])
                diagnoses.append(self._diagnose(part_info, part, gi_local, float(cw[g].sum()), ug.unit))
        return self._result(groups, diagnoses, ug, t0)

    def _apart_units(self, unit: np.ndarray) -> dict[int, set[int]]:
        """Return the keep-apart locks between units: each unit → the units it must not share a group with."""
        pos = {c: i for i, c in enumerate(self.practices["practice_code"])}
        apart: dict[int, set[int]] = {}
        for s in self.options.keep_apart:
            us = [int(unit[pos[c]]) for c in s]
            for x in us:
                apart.setdefault(x, set()).update(set(us) - {x})
        return apart

    def _join_enclosing_unit(self, cu: list[int], ug: UnitGraph, big: list[int], groups: list[list[int]],
                             diagnoses: list[Diagnosis | None]) -> bool:
        """Join a part to the smallest unit above the ceiling it touches, when the part is below the floor.

        Such a part can reach the others only through sites above the ceiling: one group outside the
        bounds instead of two. Return True if the part was joined.
        """
        w, nbrs = ug.weights, ug.territory.unit_neighbours
        touching = sorted({v for u in cu for v in nbrs[u]} & set(big), key=lambda b: (w[b], b))
        if not touching or w[cu].sum() >= self.options.floor:
            return False
        gi = big.index(touching[0])
        groups[gi] = groups[gi] + cu
        prev = diagnoses[gi]
        enclosed = self.practices["practice_code"].to_numpy()[np.isin(ug.unit, cu)]
        codes = tuple(sorted({*(prev.codes if prev else ()), *enclosed}))
        diagnoses[gi] = Diagnosis(ExceptionKind.ABOVE_CEILING_UNIT_ENCLOSING, codes=codes)
        return True

    def _part_target(self, cw: np.ndarray, n_big: int, multi: bool, total_rest: float) -> int | None:
        """Return the number of groups asked of one part (the area's target shared by patients), or None."""
        target = self.options.n_groups
        if target is None:
            return None
        share = target - n_big if not multi else round(max(target - n_big, 1) * cw.sum() / max(total_rest, 1))
        return max(1, min(int(share), len(cw)))

    def _partition(self, part: _Part, ug: UnitGraph, apart: dict[int, set[int]], seed: int) -> partition.Partition:
        """Search one connected part for its groups (indices into ``part.units``)."""
        cu = part.units
        local = {u: i for i, u in enumerate(cu)}
        cnb = [{local[v] for v in ug.territory.unit_neighbours[u] if v in local} for u in cu]
        capart = {local[u]: {local[v] for v in vs if v in local} for u, vs in apart.items() if u in local}
        comp = partition.Component(ug.weights[cu], ug.xy[cu], cnb, self.options.floor, self.options.ceiling, capart)
        return partition.solve_component(comp, k=part.target, seed=seed)

    def _diagnose(self, info: _Part, part: partition.Partition, g: int, patients: float,
                  unit: np.ndarray) -> Diagnosis | None:
        """Return why group ``g`` of a part is outside the bounds, or None when it is within them."""
        o = self.options
        proof = part.proof_of(g)
        if partition.violation(patients, o.floor, o.ceiling) <= 0:
            return None
        if info.whole_area and len(part.groups) == 1 and info.patients < o.floor:
            return Diagnosis(ExceptionKind.AREA_BELOW_FLOOR)
        if info.island:
            return Diagnosis(ExceptionKind.ISLAND)
        if proof == partition.Proof.PENDANT and part.group_proof is not None:
            return Diagnosis(ExceptionKind.PENDANT)
        if proof == partition.Proof.PENDANT:
            stuck: list[str] = []
            if part.pendant_parts:
                units = [info.units[i] for i in part.pendant_parts[0]]
                stuck = sorted(self.practices["practice_code"].iloc[np.flatnonzero(np.isin(unit, units))])
            return Diagnosis(ExceptionKind.NO_CONTIGUOUS_FIT_PENDANT, codes=tuple(stuck))
        if proof == partition.Proof.ARITHMETIC:
            return Diagnosis(ExceptionKind.NO_GROUP_COUNT_FITS, part_patients=info.patients)
        if proof == partition.Proof.EXHAUSTIVE:
            return Diagnosis(ExceptionKind.NO_CONTIGUOUS_FIT, part_units=len(info.units))
        if info.target is not None:
            return Diagnosis(ExceptionKind.TARGET_COUNT, target_groups=info.target)
        return Diagnosis(ExceptionKind.UNRESOLVED, budget_hit=not part.complete)

    # -- result --------------------------------------------------------------------------
    def _result(self, groups: list[list[int]], diagnoses: list[Diagnosis | None], ug: UnitGraph,
                t0: float) -> GroupingResult:
        """Name the groups and build the result's tables, outlines and exceptions."""
        o = self.options
        unit, terr, w, messages = ug.unit, ug.territory, ug.weights, ug.messages
        p = self.practices
        lsoas = self.lsoas
        pts = p["patients"].to_numpy(dtype=float)
        ex = p["easting"].to_numpy(dtype=float)
        ny = p["northing"].to_numpy(dtype=float)
        has = ~np.isnan(ex)
        # group index of each practice, and patient-weighted centres (practices with a location)
        gidx_of_unit = np.empty(len(w), dtype=np.int64)
        for gi, g in enumerate(groups):
            gidx_of_unit[g] = gi
        gp = gidx_of_unit[unit]
        wt = np.where(has, pts + 1e-9, 0.0)
        sw = np.bincount(gp, weights=wt, minlength=len(groups))
        cx = np.bincount(gp, weights=np.where(has, ex, 0.0) * wt, minlength=len(groups)) / np.maximum(sw, 1e-12)
        cy = np.bincount(gp, weights=np.where(has, ny, 0.0) * wt, minlength=len(groups)) / np.maximum(sw, 1e-12)
        # stable names: north to south, then west to east
        order = sorted(range(len(groups)), key=lambda i: (-np.round(cy[i], -2), cx[i], min(groups[i])))
        name_of = np.empty(len(groups), dtype=object)
        width = max(2, len(str(len(groups))))
        for rank, gi in enumerate(order, start=1):
            name_of[gi] = f"G{rank:0{width}d}"
        assignment = p[["practice_code", "practice_name", "pcn_code", "pcn_name", "patients", "site_id"]].copy()
        assignment["patients"] = assignment["patients"].astype(int)
        assignment["group"] = name_of[gp]
        assignment["unit"] = unit
        lsoa_gi = self._group_territory(gidx_of_unit, groups, terr)
        lsoa_group = pd.DataFrame({"lsoa21_code": lsoas["lsoa21_code"], "group": name_of[lsoa_gi],
                                   "unit": terr.owner})

        dist = np.where(has, np.hypot(ex - cx[gp], ny - cy[gp]) / 1000, 0.0)
        mean_d = np.bincount(gp, weights=dist * wt, minlength=len(groups)) / np.maximum(sw, 1e-12)
        mean_d[sw <= 0] = np.nan
        resid = lsoas["residents"].to_numpy(dtype=float)
        imd = lsoas["imd_decile"].to_numpy(dtype=float)
        ok = ~np.isnan(imd) & ~np.isnan(resid)
        r_w = np.where(ok, resid + 1e-9, 0.0)
        r_sum = np.bincount(lsoa_gi, weights=np.nan_to_num(resid), minlength=len(groups))
        imd_w = np.bincount(lsoa_gi, weights=np.where(ok, imd, 0.0) * r_w, minlength=len(groups))
        imd_n = np.bincount(lsoa_gi, weights=r_w, minlength=len(groups))
        n_lsoa = np.bincount(lsoa_gi, minlength=len(groups))
        patients = np.bincount(gp, weights=pts, minlength=len(groups)).round().astype(int)
        n_pr = np.bincount(gp, minlength=len(groups))
        n_sites = assignment.groupby("group")["site_id"].nunique()
        main = (assignment.groupby(["group", "pcn_name"])["patients"].sum().reset_index()
                .sort_values(["group", "patients", "pcn_name"], ascending=[True, False, True])
                .drop_duplicates("group").set_index("group")["pcn_name"])
        codes_of = assignment.groupby("group")["practice_code"].apply(lambda s: sorted(s))
        geoms = shapely.from_wkb(lsoas["geom_bng"].map(bytes).to_numpy()) if "geom_bng" in lsoas else None

        rows, outlines, exceptions = [], {}, []
        for gi in order:
            name = name_of[gi]
            shape = float("nan")
            if geoms is not None and n_lsoa[gi]:
                outline = geography.union(geoms[lsoa_gi == gi])
                outlines[name] = outline
                per = shapely.length(outline)
                shape = float(4 * np.pi * shapely.area(outline) / per**2) if per > 0 else float("nan")
            tot = int(patients[gi])
            status = band_status(tot, o.floor, o.ceiling)
            contiguous = terr.is_connected(groups[gi])
            rows.append({
                "group": name, "patients": tot, "practices": int(n_pr[gi]), "sites": int(n_sites[name]),
                "lsoas": int(n_lsoa[gi]), "residents": int(r_sum[gi]),
                "mean_distance_km": round(float(mean_d[gi]), 2), "shape_index": round(shape, 3),
                "mean_imd_decile": round(float(imd_w[gi] / imd_n[gi]), 2) if imd_n[gi] > 0 else float("nan"),
                "status": status, "contiguous": contiguous, "main_pcn": main.get(name, ""),
            })
            codes = codes_of[name]
            found = [d for d in (diagnoses[gi], None if contiguous else Diagnosis(ExceptionKind.NOT_CONTIGUOUS))
                     if d is not None]
            if found:
                facts = self._facts(name, tot, assignment[assignment["group"] == name], codes)
                exceptions += [GroupException(name, d.kind, reason(d, facts), d.forced, tot, codes) for d in found]
        return GroupingResult(o, assignment, pd.DataFrame(rows), lsoa_group, outlines, exceptions, messages,
                              time.perf_counter() - t0, self.demand_method)

    def _group_territory(self, gidx_of_unit: np.ndarray, groups: list[list[int]],
                         terr: territory.Territory) -> np.ndarray:
        """Return each LSOA's group: its units' group, or, with registrations, the group holding most of its patients.

        With registrations the groups' territories are repaired like the units' (exclaves handed on).
        """
        lsoa_gi = gidx_of_unit[terr.owner]
        if self._registered is None:
            return lsoa_gi
        by_group = np.zeros((len(lsoa_gi), len(groups)))
        for gi, g in enumerate(groups):
            by_group[:, gi] = self._registered[:, g].sum(axis=1)
        owner = territory.most_registered(by_group, lsoa_gi)
        anchor = np.array([terr.anchor[g[0]] for g in groups], dtype=np.int64)
        territory.hand_on_exclaves(owner, anchor, terr.lsoa_neighbours)
        return owner

    def _facts(self, name: str, patients: int, members: pd.DataFrame, codes: list[str]) -> GroupFacts:
        """Return what a reason may say about one group (``members``: its rows of the assignment)."""
        o = self.options
        per_practice = dict(zip(members["practice_code"], members["patients"], strict=True))
        locked = tuple(sorted(set(members["pcn_code"]) & set(o.keep_pcns_whole)))
        pcn_name = dict(zip(members["pcn_code"], members["pcn_name"], strict=False))
        return GroupFacts(name=name, patients=patients, practices=tuple(codes),
                          practice_patients=tuple(int(per_practice[c]) for c in codes),
                          locked_pcns=locked, floor=o.floor, ceiling=o.ceiling,
                          locked_pcn_names=tuple(str(pcn_name.get(c, c)) for c in locked),
                          shared_sites=self._shared_sites(members))

    def _shared_sites(self, members: pd.DataFrame) -> tuple[str, ...]:
        """Return the sites among ``members`` holding practices of two or more PCNs, as sentences."""
        postcode = dict(zip(self.practices["practice_code"], self.practices["postcode"], strict=True))
        out = []
        for _, at in members.groupby("site_id", sort=True):
            if at["pcn_code"].nunique() < 2:
                continue
            who = " and ".join(f"{r.practice_code} ({r.pcn_name})" for r in at.itertuples())
            out.append(f"{who} share a site at {postcode.get(at['practice_code'].iloc[0], 'one address')}")
        return tuple(out)


def group_practices(practices: pd.DataFrame, lsoas: pd.DataFrame, adjacency: pd.DataFrame,
                    options: GroupingOptions, registrations: pd.DataFrame | None = None) -> GroupingResult:
    """Build a :class:`GroupingProblem` (or, with ``options.mode == "repair"``, a repair) and solve it.

    ``registrations`` (practice × LSOA registered patients, where known) draw the territories.
    """
    if options.mode == "repair":
        from locality.grouping.repair import RepairProblem

        return RepairProblem(practices, lsoas, adjacency, options, registrations).solve()
    if options.mode != "fresh":
        raise GroupingError(f"The grouping mode must be 'fresh' or 'repair' (got {options.mode!r}).")
    return GroupingProblem(practices, lsoas, adjacency, options, registrations).solve()
