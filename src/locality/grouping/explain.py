"""Why a group is outside the bounds (or in pieces): the exception kinds and their reasons.

The engine records a :class:`Diagnosis` for each such group: its :class:`ExceptionKind` and the
few facts its reason needs (the practices it names, the part's total, a count, whether a
budget ran out). :func:`reason` turns a diagnosis and the group's :class:`GroupFacts` into
the sentence a planner reads, from the one template per kind in :data:`TEMPLATES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class ExceptionKind(StrEnum):
    """The kinds of grouping exception (their values are the kinds written to JSON)."""

    #: One site (or locked set of sites) above the ceiling: its own group.
    ABOVE_CEILING_UNIT = "above_ceiling_unit"
    #: As above, with a part below the floor that can reach the rest only through it.
    ABOVE_CEILING_UNIT_ENCLOSING = "above_ceiling_unit_enclosing"
    #: The whole area is below the floor: one group.
    AREA_BELOW_FLOOR = "area_below_floor"
    #: A part cut off from the rest of the area (no shared LSOA boundary), below the floor.
    ISLAND = "island"
    #: Practices that can reach the rest only through one another, kept together and outside.
    PENDANT = "pendant"
    #: Practices that must be grouped together exceed the ceiling, so this part cannot fit.
    NO_CONTIGUOUS_FIT_PENDANT = "no_contiguous_fit_pendant"
    #: No number of groups fits the part's total.
    NO_GROUP_COUNT_FITS = "no_group_count_fits"
    #: The exhaustive check found no contiguous grouping of the part that fits.
    NO_CONTIGUOUS_FIT = "no_contiguous_fit"
    #: Outside the bounds with the number of groups the user asked for (not proven forced).
    TARGET_COUNT = "target_count"
    #: The search found no in-bounds grouping, without a proof that none exists.
    UNRESOLVED = "unresolved"
    #: The group's territory is in more than one piece.
    NOT_CONTIGUOUS = "not_contiguous"

    @property
    def forced(self) -> bool:
        """Return True when this kind of exception is proven forced (by geography, arithmetic or locks)."""
        return self not in (ExceptionKind.TARGET_COUNT, ExceptionKind.UNRESOLVED)


@dataclass(frozen=True)
class Diagnosis:
    """The engine's finding for one group outside the bounds (or not contiguous).

    Attributes
    ----------
    kind : ExceptionKind
    codes : tuple of str
        The practices the reason names besides the group's own list: those enclosed by a
        unit above the ceiling (``ABOVE_CEILING_UNIT_ENCLOSING``), or those that can only be
        grouped together (``NO_CONTIGUOUS_FIT_PENDANT``). Sorted.
    part_patients : float, optional
        The connected part's total patients (``NO_GROUP_COUNT_FITS``).
    part_units : int, optional
        The sites (or locked sets of sites) in the connected part (``NO_CONTIGUOUS_FIT``).
    target_groups : int, optional
        The number of groups asked for in this part (``TARGET_COUNT``).
    budget_hit : bool
        The exhaustive check stopped at its budget (``UNRESOLVED``).
    """

    kind: ExceptionKind
    codes: tuple[str, ...] = ()
    part_patients: float | None = None
    part_units: int | None = None
    target_groups: int | None = None
    budget_hit: bool = False

    @property
    def forced(self) -> bool:
        """Return True when the exception is proven forced (see :attr:`ExceptionKind.forced`)."""
        return self.kind.forced


@dataclass(frozen=True)
class GroupFacts:
    """What a reason may say about one group.

    Attributes
    ----------
    name : str
        The group's name (``G01`` …).
    patients : int
        The group's registered patients.
    practices : tuple of str
        The group's practice codes, sorted.
    practice_patients : tuple of int
        Each of those practices' patients, in the same order.
    locked_pcns : tuple of str
        The PCNs in the group that the options keep whole, sorted.
    floor, ceiling : int
        The band.
    locked_pcn_names : tuple of str
        Those PCNs' names, in the same order (codes are used when empty).
    shared_sites : tuple of str
        Sites in the group holding practices of two or more of its PCNs, as text
        (``F82007 (… East One PCN) and F82028 (… East PCN) share a site at RM10 9SR``): why
        locked PCNs became one unit.
    """

    name: str
    patients: int
    practices: tuple[str, ...]
    practice_patients: tuple[int, ...]
    locked_pcns: tuple[str, ...]
    floor: int
    ceiling: int
    locked_pcn_names: tuple[str, ...] = ()
    shared_sites: tuple[str, ...] = ()


#: One reason template per kind; the fields are those :func:`reason` fills in.
TEMPLATES: Final[dict[ExceptionKind, str]] = {
    ExceptionKind.ABOVE_CEILING_UNIT: "{who} {core_patients:,} patients, above the {ceiling:,} ceiling.{shared}",
    ExceptionKind.ABOVE_CEILING_UNIT_ENCLOSING: (
        "{who} {core_patients:,} patients, above the {ceiling:,} ceiling.{shared} Practices {codes} can reach the "
        "rest of the area only through it, so they join it: one group outside the band instead of two "
        "({patients:,} patients in all)."),
    ExceptionKind.AREA_BELOW_FLOOR: (
        "The whole area has {patients:,} patients, below the {floor:,} floor: it can only be one group."),
    ExceptionKind.ISLAND: (
        "Practices {members} are cut off from the rest of the area (no shared LSOA boundary) and have "
        "{patients:,} patients, {where}."),
    ExceptionKind.PENDANT: (
        "{given}{practices} {members} can reach the rest of the area only through one another (too few patients on "
        "their own beyond each link), so any grouping{that_keeps} keeps them together: {patients:,} patients, "
        "{where}.{shared}"),
    ExceptionKind.NO_CONTIGUOUS_FIT_PENDANT: (
        "No grouping of this part of the area fits {band}: practices {codes} can only be grouped together and "
        "exceed the ceiling. The best grouping found leaves this group at {patients:,} patients, {where}."),
    ExceptionKind.NO_GROUP_COUNT_FITS: (
        "{part_patients:,.0f} patients in this connected part cannot be split into groups of {band}: "
        "no number of groups fits."),
    ExceptionKind.NO_CONTIGUOUS_FIT: (
        "No contiguous grouping of the {part_units} sites in this connected part of the area fits {band}: "
        "every grouping was checked. This group has {patients:,} patients, {where}."),
    ExceptionKind.TARGET_COUNT: "With {target_groups} groups, as requested, this group has {patients:,} patients, {where}.",
    ExceptionKind.UNRESOLVED: (
        "The search found no in-bounds grouping here; {patients:,} patients, {where}. Not proven forced"
        "{budget_note}."),
    ExceptionKind.NOT_CONTIGUOUS: (
        "{name}'s territory is in more than one piece: geography (or a lock) forces it."),
}


def reason(diagnosis: Diagnosis, facts: GroupFacts) -> str:
    """Return the planner's sentence for a diagnosis, from its kind's template.

    Parameters
    ----------
    diagnosis : Diagnosis
        What the engine found.
    facts : GroupFacts
        The group it is about.

    Returns
    -------
    str
    """
    return TEMPLATES[diagnosis.kind].format(**_fields(diagnosis, facts))


def _pcn_list(f: GroupFacts) -> str:
    """Return the group's locked PCNs by name, with their codes: ``PCN Ascot PCN (U14074)``."""
    names = f.locked_pcn_names or f.locked_pcns
    said = [n if n == c else f"{n} ({c})" for n, c in zip(names, f.locked_pcns, strict=True)]
    if len(said) == 1:
        return f"PCN {said[0]}"
    return f"PCNs {', '.join(said[:-1])} and {said[-1]}"


def _fields(d: Diagnosis, f: GroupFacts) -> dict[str, object]:
    """Return every field a template may use."""
    enclosed = set(d.codes)
    core = [c for c in f.practices if c not in enclosed]
    core_patients = sum(p for c, p in zip(f.practices, f.practice_patients, strict=True) if c not in enclosed)
    locks = _pcn_list(f) if f.locked_pcns else ""
    if f.locked_pcns:
        who = f"{locks}, kept whole, {'have together' if len(f.locked_pcns) > 1 else 'has alone'}"
    elif len(core) == 1:
        who = f"Practice {core[0]} alone has"
    else:
        who = f"Practices {', '.join(core)} share a site (or are locked together) and have"
    return {
        "name": f.name, "patients": f.patients, "floor": f.floor, "ceiling": f.ceiling,
        "band": f"{f.floor:,}–{f.ceiling:,}",
        "where": "above the ceiling" if f.patients > f.ceiling else "below the floor",
        "members": ", ".join(f.practices), "codes": ", ".join(d.codes), "who": who,
        "core_patients": core_patients, "part_patients": d.part_patients, "part_units": d.part_units,
        "target_groups": d.target_groups,
        "shared": (f" The locked PCNs are one unit because practices share a site: {'; '.join(f.shared_sites)}."
                   if len(f.locked_pcns) > 1 and f.shared_sites else ""),
        "given": f"With {locks} kept whole (your lock{'s' if len(f.locked_pcns) > 1 else ''}), " if f.locked_pcns
        else "",
        "practices": "practices" if f.locked_pcns else "Practices",
        "that_keeps": f" that keeps {'them' if len(f.locked_pcns) > 1 else 'it'} whole" if f.locked_pcns else "",
        "budget_note": " (the exhaustive check stopped at its budget)" if d.budget_hit else "",
    }
