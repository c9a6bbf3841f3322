"""Least change: bring today's PCNs into the band by moving the fewest practices (or patients).

:class:`RepairProblem` is a :class:`~locality.grouping.problem.GroupingProblem` that starts from
today's PCN membership instead of a blank map:

- the area is cut exactly as in the fresh mode (a site above the ceiling is its own group, a part
  cut off from the rest below the floor is one group, and so on: the same proven exceptions);
- each remaining connected part is relabelled by :mod:`~locality.grouping.repair_mip`: every
  group within the band and connected, locks holding, with the fewest practices (or patients)
  leaving the PCN they are in today. A PCN may split (its practices in a new group) or be wound
  up (all its practices join others); both are counted, practice by practice. Practices in no
  PCN today are placed where they fit best, and are not counted as moves;
- parts of up to ``settings.REPAIR_EXACT_MAX_UNITS`` sites are solved with every site free to take
  every label, so the minimum is proven; larger parts let each site take only the PCNs held within
  a few steps of it, and the result comes with a lower bound (:func:`moves_bound`);
- a part where no in-band grouping exists keeps the fresh mode's grouping of it, with its proof,
  relabelled to keep as many practices in their PCN as possible.

Each move carries its reason (:func:`move_reason`).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from locality import settings
from locality.errors import GroupingError
from locality.grouping import partition, repair_mip
from locality.grouping.compare import Comparison
from locality.grouping.problem import GroupingOptions, GroupingProblem, GroupingResult, UnitGraph, _Part
from locality.vocabulary import PLACEHOLDER_PCN, band_status

#: What a repair may minimise.
MINIMISE = ("practices", "patients")


@dataclass
class PartRepair:
    """How one connected part was repaired.

    Attributes
    ----------
    units : list of int
        The part's units.
    method : str
        ``"exact"`` (every site could take every label), ``"local"`` (labels within a few steps),
        or ``"fresh"`` (no in-band relabelling found: the fresh grouping, relabelled).
    status : str
        The model's status (``optimal``, ``feasible``, ``infeasible``, ``unknown``).
    lower_bound : float
        Proven lower bound on the part's changes.
    """

    units: list[int]
    method: str
    status: str
    lower_bound: float
    seconds: float


@dataclass
class RepairOutcome:
    """The moves of a repair and how far they are from the proven minimum.

    Attributes
    ----------
    minimise : str
        ``"practices"`` or ``"patients"``.
    moves : DataFrame
        One row per practice that changes PCN (``kind`` "move") or that has no PCN today and
        is placed (``kind`` "place"): ``practice_code, practice_name, patients, from_pcn,
        from_pcn_name, from_patients, to_group, to_pcn, to_pcn_name, to_patients, from_after,
        to_after, kind, reason``. ``*_patients`` are today's totals in the area; ``*_after`` the
        groups' totals after the repair (``from_after`` is null when the PCN is wound up).
    continues : dict
        Group → the PCN code it continues ("" for a new group).
    lower_bound : float
        Proven lower bound on the minimised quantity (practices or patients moved).
    """

    minimise: str
    moves: pd.DataFrame
    continues: dict[str, str]
    lower_bound: float
    parts: list[PartRepair] = field(default_factory=list)
    pcns_outside_before: int = 0
    pcns_before: int = 0

    @property
    def moved(self) -> pd.DataFrame:
        """Return the practices that change PCN (placements left out)."""
        return self.moves[self.moves["kind"] == "move"]

    @property
    def practices_moved(self) -> int:
        """Return the number of practices that change PCN."""
        return len(self.moved)

    @property
    def patients_moved(self) -> int:
        """Return the registered patients of the practices that change PCN."""
        return int(self.moved["patients"].sum())

    @property
    def objective(self) -> float:
        """Return the minimised quantity: practices or patients moved."""
        return float(self.practices_moved if self.minimise == "practices" else self.patients_moved)

    @property
    def proven(self) -> bool:
        """True when the moves are proven the fewest (the lower bound is met)."""
        return self.objective <= math.ceil(self.lower_bound - 1e-9)

    @property
    def splits(self) -> int:
        """Return the PCNs whose practices end in more than one group."""
        m = self.moved
        return int(m[m["from_after"].notna()]["from_pcn"].nunique())

    @property
    def wound_up(self) -> int:
        """Return the PCNs that no group continues (all their practices join other groups)."""
        m = self.moved
        return int(m[m["from_after"].isna()]["from_pcn"].nunique())

    @property
    def new_groups(self) -> int:
        """Return the groups that continue no PCN."""
        return sum(1 for v in self.continues.values() if not v)

    def headline(self) -> str:
        """Return the planner's sentence: the moves and, unless proven, the bound."""
        unit = "practices" if self.minimise == "practices" else "patients"
        n = self.practices_moved
        text = f"{n} practice{'s' if n != 1 else ''} move ({self.patients_moved:,} patients)"
        if self.proven:
            return f"{text}; proven the fewest {unit} that can move."
        lb = math.ceil(self.lower_bound - 1e-9)
        return f"{text}; at least {lb:,} {unit} must move (not proven the fewest)."

    def as_dict(self) -> dict:
        """Return the JSON summary fields of a repair."""
        return {
            "mode": "repair", "minimise": self.minimise, "practices_moved": self.practices_moved,
            "patients_moved": self.patients_moved, "moves_lower_bound": math.ceil(self.lower_bound - 1e-9),
            "moves_proven_minimal": self.proven, "practices_placed": int((self.moves["kind"] == "place").sum()),
            "pcn_splits": self.splits, "pcns_wound_up": self.wound_up, "new_groups": self.new_groups,
            "repair_methods": sorted({p.method for p in self.parts}),
        }

    def moves_records(self) -> list[dict]:
        """Return the moves for JSON: one entry per moved (or placed) practice."""
        cols = ["practice_code", "practice_name", "patients", "from_pcn", "from_pcn_name", "from_patients",
                "to_group", "to_pcn", "to_pcn_name", "to_patients", "from_after", "to_after", "kind", "reason"]
        return self.moves[cols].astype(object).where(self.moves[cols].notna(), None).to_dict("records")


class RepairProblem(GroupingProblem):
    """Today's PCNs, brought into the band with the fewest moves (see the module docstring).

    Parameters
    ----------
    practices, lsoas, adjacency, options
        As :class:`~locality.grouping.problem.GroupingProblem`; ``options.minimise`` chooses
        practices or patients.
    """

    def __init__(self, practices: pd.DataFrame, lsoas: pd.DataFrame, adjacency: pd.DataFrame,
                 options: GroupingOptions, registrations: pd.DataFrame | None = None):
        if options.n_groups is not None:
            raise GroupingError("A target number of groups does not apply when starting from today's PCNs: "
                                "the repair keeps as many PCNs as it can.")
        if options.minimise not in MINIMISE:
            raise GroupingError(f"Minimise must be one of {', '.join(MINIMISE)} (got {options.minimise!r}).")
        super().__init__(practices, lsoas, adjacency, options, registrations)
        self._parts: list[PartRepair] = []
        pcn = self.practices["pcn_code"].fillna(PLACEHOLDER_PCN).astype(str)
        self.practices["pcn_code"] = pcn
        self._labelled = (pcn != PLACEHOLDER_PCN).to_numpy()
        self._charge = np.where(self._labelled, 1.0 if options.minimise == "practices" else 0.0, 0.0)
        if options.minimise == "patients":
            self._charge = np.where(self._labelled, self.practices["patients"].to_numpy(dtype=float), 0.0)

    def solve(self) -> GroupingResult:
        """Repair today's PCNs and return the result, with :attr:`GroupingResult.repair` set."""
        t0 = time.perf_counter()
        self._parts = []
        result = super().solve()
        result.repair = self._outcome(result)
        result.groups["continues_pcn"] = result.groups["group"].map(
            {g: self._pcn_names.get(c, "") for g, c in result.repair.continues.items()})
        result.elapsed_s = time.perf_counter() - t0
        return result

    @property
    def _pcn_names(self) -> dict[str, str]:
        p = self.practices
        return dict(zip(p["pcn_code"], p["pcn_name"].fillna(""), strict=False))

    # -- one part ------------------------------------------------------------------------
    def _partition(self, part: _Part, ug: UnitGraph, apart: dict[int, set[int]], seed: int) -> partition.Partition:
        """Relabel one connected part with the fewest changes; fall back to the fresh search when none fits."""
        t = time.perf_counter()
        cu = part.units
        o = self.options
        local = {u: i for i, u in enumerate(cu)}
        cnb = [{local[v] for v in ug.territory.unit_neighbours[u] if v in local} for u in cu]
        capart = {local[u]: {local[v] for v in vs if v in local} for u, vs in apart.items() if u in local}
        comp = partition.Component(ug.weights[cu], ug.xy[cu], cnb, o.floor, o.ceiling, capart)
        model, _codes = self._model(comp, cu, ug)
        bound = moves_bound(self._part_frame(cu, ug), o.floor, o.ceiling, o.minimise)
        exact = len(cu) <= settings.REPAIR_EXACT_MAX_UNITS
        fits = bool(partition.feasible_group_counts(part.patients, o.floor, o.ceiling))
        sol = repair_mip.RepairSolve(None, math.inf, 0.0, "infeasible", True)
        fresh = super()._partition(part, ug, apart, seed)
        incumbent = relabel(fresh.groups, model) if not fresh.n_outside else None
        if fits:
            sol = repair_mip.solve(model, hops=None if exact else settings.REPAIR_LOCAL_HOPS, incumbent=incumbent)
        if sol.labels is not None:
            groups: dict[int, list[int]] = {}
            for i, lab in enumerate(sol.labels):
                groups.setdefault(lab, []).append(i)
            glist = [groups[k] for k in sorted(groups)]
            lb = max(bound, sol.lower_bound)
            self._parts.append(PartRepair(list(cu), "exact" if sol.exact else "local", sol.status, lb,
                                          time.perf_counter() - t))
            return partition.Partition(glist, 0.0, 0, partition._sse(glist, comp.w, comp.xy))
        if sol.status == "infeasible" and sol.exact and fresh.n_outside and fresh.proof is None:
            fresh.proof = partition.Proof.EXHAUSTIVE  # HiGHS proved that no contiguous in-band grouping exists
        self._parts.append(PartRepair(list(cu), "fresh", sol.status, bound if not fresh.n_outside else 0.0,
                                      time.perf_counter() - t))
        return fresh

    def _part_frame(self, cu: list[int], ug: UnitGraph) -> pd.DataFrame:
        """Return the part's practices: ``pcn_code, patients, charge`` (charge: the cost of moving it)."""
        inside = np.isin(ug.unit, cu)
        p = self.practices[inside]
        return pd.DataFrame({"pcn_code": p["pcn_code"].to_numpy(), "patients": p["patients"].to_numpy(dtype=float),
                             "charge": self._charge[inside]})

    def _model(self, comp: partition.Component, cu: list[int], ug: UnitGraph) -> tuple[repair_mip.RepairModel,
                                                                                       list[str]]:
        """Return the part's least-change model and its labels (today's PCN codes)."""
        inside = np.isin(ug.unit, cu)
        p = self.practices[inside]
        codes = sorted(set(p.loc[self._labelled[inside], "pcn_code"]))
        lpos = {c: k for k, c in enumerate(codes)}
        local = {u: i for i, u in enumerate(cu)}
        n, nl = len(cu), len(codes)
        charge_by = np.zeros((n, nl))
        weight_by = np.zeros((n, nl))
        new_cost = np.zeros(n)
        for u, code, pts, ch in zip(ug.unit[inside], p["pcn_code"], p["patients"], self._charge[inside],
                                    strict=True):
            i = local[int(u)]
            new_cost[i] += ch
            if code in lpos:
                charge_by[i, lpos[code]] += ch
                weight_by[i, lpos[code]] += pts
        cost = new_cost[:, None] - charge_by
        today = weight_by.sum(axis=0)
        anchor = (weight_by.T @ comp.xy) / np.maximum(today, 1e-9)[:, None] if nl else np.zeros((0, 2))
        home = np.where(weight_by.sum(axis=1) > 0, weight_by.argmax(axis=1) if nl else -1, -1)
        return repair_mip.RepairModel(comp, cost, new_cost, today, anchor, home.astype(int)), codes

    # -- the whole area ------------------------------------------------------------------
    def _outcome(self, result: GroupingResult) -> RepairOutcome:
        """Name the PCN each group continues, list the moves with their reasons, and total the bound."""
        o = self.options
        a = result.assignment
        charge = pd.Series(self._charge, index=a.index)
        continues = continuation(a, charge)
        covered = {u for part in self._parts for u in part.units}
        # units outside the relabelled parts (sites above the ceiling, islands): their own mixing is unavoidable
        rest = a[~a["unit"].isin(covered)]
        inevitable = sum(float(c.sum() - c.groupby(rest.loc[c.index, "pcn_code"]).sum().max())
                         for _u, c in charge[rest.index].groupby(rest["unit"]) if len(c))
        lower = sum(part.lower_bound for part in self._parts) + inevitable
        today = a.groupby("pcn_code")["patients"].sum()
        today = today[today.index != PLACEHOLDER_PCN]
        moves = move_table(a, continues, result.groups.set_index("group")["patients"], o.floor, o.ceiling,
                           self._pcn_names)
        outside = int((band_status(today.to_numpy(dtype=float), o.floor, o.ceiling) != "within").sum())
        return RepairOutcome(o.minimise, moves, continues, lower, list(self._parts), outside, len(today))


def continuation(assignment: pd.DataFrame, charge: pd.Series) -> dict[str, str]:
    """Return the PCN each group continues: a one-to-one match keeping the most practices (or patients) in place.

    Parameters
    ----------
    assignment : DataFrame
        ``pcn_code, patients, group`` per practice.
    charge : Series
        Each practice's cost of moving (1 per practice, or its patients; 0 for practices in no PCN).

    Returns
    -------
    dict
        Group → PCN code ("" when the group continues none: a new group).
    """
    a = assignment.assign(charge=charge.to_numpy())
    real = a[a["pcn_code"] != PLACEHOLDER_PCN]
    pairs = real.groupby(["group", "pcn_code"]).agg(charge=("charge", "sum"), patients=("patients", "sum"))
    total = float(pairs["patients"].sum()) + 1.0
    # keep the most charge in place; ties to the most patients
    kept = {k: float(r.charge) + 0.5 * float(r.patients) / total for k, r in pairs.iterrows()}
    out = dict.fromkeys(sorted(a["group"].unique()), "")
    out.update(best_match(kept))
    return out


def relabel(groups: list[list[int]], model: repair_mip.RepairModel) -> list[int]:
    """Return a label per node for a grouping: each group continues the label keeping most in place, else new."""
    kept: dict[tuple[int, int], float] = {}
    for g, members in enumerate(groups):
        for i in members:
            for lab in range(model.n_labels):
                gain = float(model.new_cost[i] - model.cost[i, lab])
                if gain > 0:
                    kept[(g, lab)] = kept.get((g, lab), 0.0) + gain
    match = best_match(kept)
    label = [0] * model.comp.n
    fresh_label = model.n_labels
    for g, members in enumerate(groups):
        matched = match.get(g)
        if matched is None:
            matched, fresh_label = fresh_label, fresh_label + 1
        for i in members:
            label[i] = int(matched)
    return label


def best_match(kept: dict) -> dict:
    """Return the one-to-one match of keys' first to second parts with the most total ``kept`` (HiGHS).

    Parameters
    ----------
    kept : dict
        ``(a, b) → value``: what pairing ``a`` with ``b`` keeps (only positive pairs matter).
    """
    import highspy

    pairs = sorted(k for k, v in kept.items() if v > 0)
    if not pairs:
        return {}
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    n = len(pairs)
    h.addVars(n, np.zeros(n), np.ones(n))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), -np.array([kept[k] for k in pairs]))
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger, dtype=np.uint8))
    for side in (0, 1):
        by: dict = {}
        for j, k in enumerate(pairs):
            by.setdefault(k[side], []).append(j)
        for idx in by.values():
            h.addRow(0, 1, len(idx), np.asarray(idx, dtype=np.int32), np.ones(len(idx)))
    h.run()
    sol = np.asarray(h.getSolution().col_value)
    return {a: b for (a, b), v in zip(pairs, sol, strict=True) if v > 0.5}


def move_table(assignment: pd.DataFrame, continues: dict[str, str], group_patients: pd.Series, floor: int,
               ceiling: int, pcn_names: dict[str, str]) -> pd.DataFrame:
    """Return the practices that change PCN (or are placed), each with its reason.

    A practice moves when its group does not continue its PCN. See :class:`RepairOutcome` for the columns.
    """
    a = assignment
    today = a.groupby("pcn_code")["patients"].sum()
    group_of_pcn = {pcn: g for g, pcn in continues.items() if pcn}
    rows = []
    for r in a.sort_values(["pcn_code", "practice_code"]).itertuples():
        placed = r.pcn_code == PLACEHOLDER_PCN
        if not placed and continues.get(r.group) == r.pcn_code:
            continue
        to_pcn = continues.get(r.group, "")
        from_group = group_of_pcn.get(r.pcn_code)
        mates = sorted(set(a.loc[(a["unit"] == r.unit) & (a["practice_code"] != r.practice_code)
                                 & (a["pcn_code"] != to_pcn), "practice_code"]))
        row = {"practice_code": r.practice_code, "practice_name": r.practice_name, "patients": int(r.patients),
               "from_pcn": "" if placed else r.pcn_code, "from_pcn_name": "" if placed else pcn_names.get(r.pcn_code, ""),
               "from_patients": None if placed else int(today[r.pcn_code]), "to_group": r.group, "to_pcn": to_pcn,
               "to_pcn_name": pcn_names.get(to_pcn, "") if to_pcn else "",
               "to_patients": int(today[to_pcn]) if to_pcn else None,
               "from_after": None if placed or from_group is None else int(group_patients[from_group]),
               "to_after": int(group_patients[r.group]), "kind": "place" if placed else "move"}
        row["reason"] = move_reason(row, floor, ceiling, mates)
        rows.append(row)
    cols = ["practice_code", "practice_name", "patients", "from_pcn", "from_pcn_name", "from_patients", "to_group",
            "to_pcn", "to_pcn_name", "to_patients", "from_after", "to_after", "kind", "reason"]
    out = pd.DataFrame(rows, columns=cols)
    for c in ("from_patients", "to_patients", "from_after"):
        out[c] = out[c].astype("Int64")
    return out


def _pcn_label(name: str, code: str) -> str:
    return f"{name or code}"


def move_reason(m: dict, floor: int, ceiling: int, mates: list[str] | None = None) -> str:
    """Return why a practice moves, e.g. "E84012 moves from X PCN (61,400) to Y PCN (27,900): brings both within 30–50k".

    Parameters
    ----------
    m : dict
        A row of :func:`move_table` (without its reason).
    floor, ceiling : int
    mates : list of str, optional
        Practices at the same site (or locked with it) that move with it.
    """
    band = f"{floor // 1000}–{ceiling // 1000}k" if floor % 1000 == 0 and ceiling % 1000 == 0 \
        else f"{floor:,}–{ceiling:,}"
    to_name = (f"{_pcn_label(m['to_pcn_name'], m['to_pcn'])} ({m['to_patients']:,})" if m["to_pcn"]
               else f"new group {m['to_group']}")
    with_ = f" with {', '.join(mates)} (same site or locked together)" if mates else ""
    if m["kind"] == "place":
        return (f"{m['practice_code']} has no PCN today; it joins {to_name}{with_}, which ends at "
                f"{m['to_after']:,} ({band_status(m['to_after'], floor, ceiling)} {band}).")
    src = f"{_pcn_label(m['from_pcn_name'], m['from_pcn'])} ({m['from_patients']:,})"
    head = f"{m['practice_code']} moves{with_} from {src} to {to_name}"
    before_from = band_status(m["from_patients"], floor, ceiling)
    before_to = band_status(m["to_patients"], floor, ceiling) if m["to_pcn"] else None
    after_to = band_status(m["to_after"], floor, ceiling)
    after_from = None if m["from_after"] is None else band_status(m["from_after"], floor, ceiling)
    if after_from is None:
        clause = (f"{m['from_pcn_name'] or m['from_pcn']} is {before_from} the band on its own and is wound up; "
                  f"{to_name.split(' (')[0]} ends at {m['to_after']:,}")
    elif before_from != "within" and after_from == "within" and before_to not in (None, "within") \
            and after_to == "within":
        clause = f"brings both within {band} ({m['from_after']:,} and {m['to_after']:,})"
    elif m["to_pcn"] == "":
        clause = (f"{m['from_pcn_name'] or m['from_pcn']} splits: it ends at {m['from_after']:,} and the new group "
                  f"at {m['to_after']:,}")
    else:
        parts = []
        for name, before, after, n_after in ((m["from_pcn_name"] or m["from_pcn"], before_from, after_from,
                                              m["from_after"]),
                                             (m["to_pcn_name"] or m["to_pcn"], before_to, after_to, m["to_after"])):
            if before != "within" and after == "within":
                parts.append(f"brings {name} within {band} ({n_after:,})")
            elif after == "within":
                parts.append(f"{name} stays within {band} ({n_after:,})")
            else:
                parts.append(f"{name} ends at {n_after:,}, {after} the band")
        clause = "; ".join(parts)
    return f"{head}: {clause}."


def moves_bound(frame: pd.DataFrame, floor: float, ceiling: float, minimise: str = "practices") -> float:
    """Return a lower bound on the changes that bring every PCN of a part within the band.

    Each practice that moves leaves one PCN and joins at most one. A PCN above the ceiling must lose
    at least its excess (for practices: its fewest, largest practices that cover it); a PCN below the
    floor must either gain its shortfall (from practices of other PCNs, beyond any with no PCN today)
    or be wound up (all its practices leave). The bound is the least, over the choice of PCNs wound up,
    of the larger of the leaving and the joining totals.

    Parameters
    ----------
    frame : DataFrame
        The part's practices: ``pcn_code, patients, charge``.
    floor, ceiling : float
    minimise : str
        ``"practices"`` or ``"patients"``.
    """
    real = frame[frame["pcn_code"] != PLACEHOLDER_PCN]
    free = float(frame.loc[frame["pcn_code"] == PLACEHOLDER_PCN, "patients"].sum())
    sizes = real.groupby("pcn_code")["patients"].sum()
    biggest = np.sort(real["patients"].to_numpy(dtype=float))[::-1]
    leave = 0.0
    below: list[tuple[float, float]] = []  # (cost to wind up, joins needed)
    for pcn, s in sizes.items():
        mine = real[real["pcn_code"] == pcn]
        if s > ceiling:
            leave += _cover(np.sort(mine["patients"].to_numpy(dtype=float))[::-1], s - ceiling, minimise)
        elif s < floor:
            others = biggest  # a relaxation: any practice may join
            need = max(0.0, floor - s - free)
            below.append((float(mine["charge"].sum()), _cover(others, need, minimise) if need > 0 else 0.0))
    if not below:
        return leave
    # least over the PCNs wound up (knapsack over the cost of winding up), of max(leaving, joining)
    # (costs rounded down to a grid of at most ~500 steps, which keeps the bound valid)
    step = 1.0 if minimise == "practices" else max(1.0, sum(c for c, _j in below) / 500)
    best = {0.0: 0.0}  # wound-up cost → most joins saved
    for cost_w, joins in below:
        nxt = dict(best)
        for c, saved in best.items():
            key = math.floor((c + cost_w) / step) * step
            nxt[key] = max(nxt.get(key, 0.0), saved + joins)
        best = nxt
    total_joins = sum(j for _c, j in below)
    return float(min(max(leave + c, total_joins - saved) for c, saved in best.items()))


def _cover(sizes_desc: np.ndarray, amount: float, minimise: str) -> float:
    """Return the fewest practices (largest first) whose patients reach ``amount``; or the amount of patients."""
    if amount <= 0:
        return 0.0
    if minimise == "patients":
        return float(amount)
    reach = np.cumsum(sizes_desc)
    k = int(np.searchsorted(reach, amount - 1e-9)) + 1
    return float(min(k, len(sizes_desc)))


def repair_comparison(result: GroupingResult, comparison: Comparison) -> Comparison:
    """Return the comparison with today's PCNs, its practices that move being the repair's own moves.

    A repair names the PCN each group continues (:func:`continuation`), so a practice moves exactly
    when it leaves its PCN; the fresh mode's "home group" rule could count differently.
    """
    rep = result.repair
    moved = rep.moved
    group_of = {pcn: g for g, pcn in rep.continues.items() if pcn}
    moves = pd.DataFrame({"practice_code": moved["practice_code"], "practice_name": moved["practice_name"],
                          "pcn_name": moved["from_pcn_name"], "patients": moved["patients"],
                          "group": moved["to_group"], "pcn_home_group": moved["from_pcn"].map(group_of).fillna("")})
    # PCNs with practices outside the area are judged on the practices inside it
    partial = comparison.pcns_today[comparison.pcns_today["practices_in_area"] < comparison.pcns_today["practices"]]
    if len(partial):
        result.messages.append(
            f"{len(partial)} PCN(s) ({', '.join(partial['pcn_code'])}) also have practices outside this area; the "
            "repair counts only their practices here.")
    return replace(comparison, moves=moves.reset_index(drop=True))


def repair_practices(practices: pd.DataFrame, lsoas: pd.DataFrame, adjacency: pd.DataFrame,
                     options: GroupingOptions) -> GroupingResult:
    """Build a :class:`RepairProblem` and solve it."""
    return RepairProblem(practices, lsoas, adjacency, options).solve()
