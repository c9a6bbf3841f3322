"""What a site appraisal is asked: practices or an area, demand, travel, flags, capacity and assumptions."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from locality.assumptions import AgeWeights, AreaBenchmark
from locality.errors import SitesError
from locality.travel import TRAVEL_KINDS
from locality.vocabulary import CAPACITY_BASES, DEMAND_KINDS

#: Where a modelled catchment looks for its LSOAs and competing practices.
CATCHMENTS = {"open": "across area boundaries: every practice site around competes for the LSOAs",
              "sub_icb": "within the chosen practices' sub-ICBs only (as saved before catchments crossed "
                         "area boundaries)"}
#: What a site's capacity (in patients) is compared with when demand is residents.
CAPACITY_AGAINST = {"registered": "registered patients (NHS England lists)",
                    "residents": "residents (Census 2021)"}


@dataclass(frozen=True)
class Capacity:
    """How much each kept site can take, and whether the choice of sites must respect it.

    Attributes
    ----------
    basis : {"none", "m2", "room"}
        Not used, patients per m² of floor area, or patients per clinical room.
    rate : float
        Patients per unit of the basis.
    respect : bool
        Choose sites within capacity (HiGHS MIP); otherwise choose on travel alone and report
        the use of capacity and any shortfall.
    against : {"registered", "residents"}
        What capacity is compared with. ``"registered"`` (the default): the practices'
        registered patients, who use the buildings — residents demand is scaled up to their
        total, keeping where they live. ``"residents"``: the Census 2021 residents themselves.
        Registered-list demand is registered patients either way.
    """

    basis: str = "none"
    rate: float = 0.0
    respect: bool = False
    against: str = "registered"

    def __post_init__(self):
        if self.basis not in CAPACITY_BASES:
            raise SitesError(f"Capacity basis must be one of {', '.join(CAPACITY_BASES)} (got {self.basis!r}).")
        if not _is_number(self.rate) or not math.isfinite(self.rate) or self.rate < 0:
            raise SitesError(f"The capacity rate must be a number of 0 or more (got {self.rate!r}).")
        if self.basis != "none" and self.rate <= 0:
            raise SitesError(f"Capacity {CAPACITY_BASES[self.basis]} needs a rate above 0 (patients per unit).")
        if self.against not in CAPACITY_AGAINST:
            raise SitesError(f"Capacity is compared with one of {', '.join(CAPACITY_AGAINST)} "
                             f"(got {self.against!r}).")
        object.__setattr__(self, "rate", float(self.rate))
        object.__setattr__(self, "respect", bool(self.respect))

    @classmethod
    def from_dict(cls, cap: dict | None) -> Capacity:
        """Return a capacity from its file form; files written before ``against`` existed compared residents."""
        cap = cap or {}
        return cls(cap.get("basis", "none"), cap.get("rate", 0.0), cap.get("respect", False),
                   cap.get("against", "residents"))

    def to_dict(self) -> dict:
        """Return the capacity as plain data (its file form)."""
        return asdict(self)

    def label(self) -> str:
        """Return the capacity in words: ``10 patients per m², compared with registered patients, a hard limit``."""
        if not self.used:
            return "not used"
        unit = {"m2": "m²", "room": "clinical room"}[self.basis]
        how = "sites chosen within it" if self.respect else "reported, not a limit"
        return f"{self.rate:,g} patients per {unit}, compared with {CAPACITY_AGAINST[self.against]}; {how}"

    @property
    def used(self) -> bool:
        """Return whether capacity is part of the appraisal."""
        return self.basis != "none"

    @property
    def patients_per_m2(self) -> float | None:
        """Return the rate that converts a shortfall in patients to m² (capacity by floor area only)."""
        return self.rate if self.basis == "m2" else None


@dataclass(frozen=True)
class SiteOptions:
    """The parameters of a site appraisal (frozen: it keys caches and is saved in scenario files).

    Attributes
    ----------
    practices : tuple of str
        ODS codes of the practices whose sites are appraised (or give ``area``).
    area : str, optional
        Every practice of an area (sub-ICB, ICB, region or local-authority code) instead.
    demand : {"residents", "registered"}
        Census 2021 residents of the catchment's LSOAs, or each practice's registered list at its
        own address.
    circuity : float, optional
        Road ÷ straight-line distance; default the factor the store derived (IoD2019).
    must_keep, must_close : tuple of str
        site_ids that must stay open or close (added to an estates register's own flags).
    capacity : Capacity
        Capacity of the kept sites.
    keep_counts : tuple of int, optional
        Numbers of sites to keep (default: every number from 1 to the number of sites).
    age_weights : AgeWeights, optional
        Weight residents by Census 2021 age band (residents demand only).
    area_benchmark : AreaBenchmark, optional
        Estimate the floor areas a register does not give from list size.
    need_index : bool
        Weight registered-list demand by each practice's need index (weighted ÷ registered
        patients, NHS Payments to General Practice 2022-23).
    estimate_costs : bool
        Estimate the running costs no register gives from the practices' NHS Premises Payments
        2022-23 (the default; scenario files without the key were saved before it, and re-run without).
    catchment : {"open", "sub_icb"}
        Where the modelled catchment looks (a key of :data:`CATCHMENTS`): across area boundaries,
        with every practice around competing (the default), or only the LSOAs and practices of the
        chosen practices' sub-ICBs, as releases before it did (scenario files without the key).
    travel : {"straight", "drive", "walk"}
        Straight-line distance × circuity, or minutes by road or on foot on a built road network
        (:mod:`locality.travel.networks`). An uploaded matrix is passed beside the options.
    roads : str, optional
        The road network to route on (default: the smallest built one covering the points).
    """

    practices: tuple[str, ...] = ()
    area: str | None = None
    demand: str = "residents"
    circuity: float | None = None
    must_keep: tuple[str, ...] = ()
    must_close: tuple[str, ...] = ()
    capacity: Capacity = field(default_factory=Capacity)
    keep_counts: tuple[int, ...] | None = None
    age_weights: AgeWeights | None = None
    area_benchmark: AreaBenchmark | None = None
    need_index: bool = False
    catchment: str = "open"
    estimate_costs: bool = True
    travel: str = "straight"
    roads: str | None = None

    def __post_init__(self):
        self._check_demand_choices()
        for name in ("practices", "must_keep", "must_close"):
            value = getattr(self, name)
            if isinstance(value, str) or not all(isinstance(c, str) for c in value):
                raise SitesError(f"{name} must be a list of codes (got {value!r}).")
        if self.area is not None and not isinstance(self.area, str):
            raise SitesError(f"The area must be a code such as U2G6B (got {self.area!r}).")
        if self.keep_counts is not None and not all(
                isinstance(k, int) and not isinstance(k, bool) and k >= 1 for k in self.keep_counts):
            raise SitesError(f"The numbers of sites to keep must be whole numbers of 1 or more (got "
                             f"{self.keep_counts!r}).")
        if self.circuity is not None and not (_is_number(self.circuity) and math.isfinite(self.circuity)):
            raise SitesError(f"The circuity factor must be a number (got {self.circuity!r}).")
        codes = tuple(sorted({c.strip().upper() for c in self.practices if c.strip()}))
        object.__setattr__(self, "practices", codes)
        object.__setattr__(self, "must_keep", tuple(self.must_keep))
        object.__setattr__(self, "must_close", tuple(self.must_close))
        if self.keep_counts is not None:
            object.__setattr__(self, "keep_counts", tuple(int(k) for k in self.keep_counts))
        if self.demand not in DEMAND_KINDS:
            raise SitesError(f"Demand must be one of {', '.join(DEMAND_KINDS)} (got {self.demand!r}).")
        if self.circuity is not None and self.circuity < 1.0:
            raise SitesError(f"The circuity factor must be at least 1 (got {self.circuity}).")
        if self.age_weights is not None and self.demand != "residents":
            raise SitesError("Age weights apply to residents (Census 2021 age bands); registered lists are not "
                             "weighted by age.")
        if self.travel not in TRAVEL_KINDS:
            raise SitesError(f"Travel must be one of {', '.join(TRAVEL_KINDS)} (got {self.travel!r}).")
        if self.roads is not None and (not isinstance(self.roads, str) or self.travel == "straight"):
            raise SitesError(f"A road network (got {self.roads!r}) is named only with drive or walk travel.")
        if not codes and not self.area:
            raise SitesError("Give practice codes or an area code.")

    def _check_demand_choices(self) -> None:
        """Refuse a catchment, need-index or cost-estimate choice that cannot be used."""
        if self.catchment not in CATCHMENTS:
            raise SitesError(f"The catchment must be one of {', '.join(CATCHMENTS)} (got {self.catchment!r}).")
        for name in ("estimate_costs", "need_index"):
            if not isinstance(getattr(self, name), bool):
                raise SitesError(f"{name} must be true or false (got {getattr(self, name)!r}).")
        if self.need_index and self.demand != "registered":
            raise SitesError("The need index weights registered lists; resident demand is weighted by age instead.")

    def to_dict(self) -> dict:
        """Return the options as plain data (``dataclasses.asdict``, assumptions in their file form)."""
        out = asdict(self)
        out["age_weights"] = None if self.age_weights is None else self.age_weights.to_dict()
        out["area_benchmark"] = None if self.area_benchmark is None else self.area_benchmark.to_dict()
        out["practices"], out["must_keep"], out["must_close"] = (list(self.practices), list(self.must_keep),
                                                                 list(self.must_close))
        return out

    @classmethod
    def from_scenario(cls, section: dict) -> SiteOptions:
        """Return the options of a scenario file's ``sites`` section (which holds no area or keep counts).

        Raises
        ------
        SitesError, AssumptionError
            Naming the value that cannot be used.
        """
        return cls.from_dict({k: v for k, v in section.items() if k not in ("area", "keep_counts")})

    @classmethod
    def from_dict(cls, d: dict) -> SiteOptions:
        """Return options from :meth:`to_dict`'s form (or a scenario file's ``sites`` section).

        Keys the options do not hold (``chosen_k``, ``weights``, ``register``, ``travel_matrix``)
        are ignored; a missing key takes its default, except ``catchment``: a file without it was
        saved before catchments crossed area boundaries, so it is re-run as it was (``sub_icb``).

        Raises
        ------
        SitesError, AssumptionError
            Naming the value that cannot be used.
        """
        counts = d.get("keep_counts")
        return cls(practices=tuple(d.get("practices") or ()), area=d.get("area"),
                   demand=d.get("demand") or "residents", circuity=d.get("circuity"),
                   must_keep=tuple(d.get("must_keep") or ()), must_close=tuple(d.get("must_close") or ()),
                   capacity=Capacity.from_dict(d.get("capacity")),
                   keep_counts=None if counts is None else tuple(counts) if isinstance(counts, list | tuple)
                   else (counts,),
                   age_weights=AgeWeights.from_dict(d.get("age_weights")),
                   area_benchmark=AreaBenchmark.from_dict(d.get("area_benchmark")),
                   need_index=d.get("need_index", False),
                   catchment=d.get("catchment", "sub_icb"), estimate_costs=d.get("estimate_costs", False),
                   travel=d.get("travel") or "straight", roads=d.get("roads"))


def _is_number(value) -> bool:
    """Return whether ``value`` is a real number (not a bool, a string or None)."""
    return isinstance(value, int | float) and not isinstance(value, bool)
