"""Planning assumptions a planner supplies with their source: age weights and a floor-area benchmark.

Two figures of the site appraisal have no open national source that this project could verify:

* **age weights** for demand (how much more primary care a resident of one age band needs than
  another — for example the age–sex workload weights of the GMS global sum "Carr-Hill" formula,
  or a local consultation-rate study);
* a **floor-area benchmark** (m² of gross internal area per registered patient) to estimate the
  size of premises when no estates register is loaded.

So the app ships no default for either. A planner enters the figures *and the source they come
from*; the source is then printed beside every number they change — on the Hubs page, in the CLI
output, in scenario files and in the board pack — and areas computed from a benchmark are labelled
"estimated".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from locality.errors import AssumptionError
from locality.vocabulary import AGE_BANDS

_BAND_OF_LABEL = {v: k for k, v in AGE_BANDS.items()}


def _band(name: str) -> str:
    """Return a band's store column from its label (``65+``) or column name."""
    name = str(name).strip()
    return _BAND_OF_LABEL.get(name, name)


def _weights_by_band(pairs) -> dict[str, float]:
    """Weights keyed by store column from (band label or column, weight) pairs, refusing a band given twice."""
    weights: dict = {}
    for name, w in pairs:
        band = _band(name)
        if band in weights:
            raise AssumptionError(f"Age band {AGE_BANDS.get(band, str(name).strip())} is given twice.")
        weights[band] = w
    return weights


def _source(source: str, what: str) -> str:
    text = " ".join(str(source or "").split())
    if len(text) < 3:
        raise AssumptionError(f"{what} needs its source (publisher, title and year, or a link), so that "
                              "everyone reading the results can check it.")
    return text


@dataclass(frozen=True)
class AgeWeights:
    """Relative demand of a resident in each Census 2021 age band, with the weights' source.

    Attributes
    ----------
    weights : dict
        Store column (a key of :data:`AGE_BANDS`) → weight (≥ 0; 1 = an average resident if the
        source is normalised that way, but only the ratios matter to the choice of sites).
    source : str
        Where the weights come from, as it will be printed.
    """

    weights: dict[str, float]
    source: str

    def __post_init__(self):
        missing = [AGE_BANDS[b] for b in AGE_BANDS if b not in self.weights]
        unknown = sorted(set(self.weights) - set(AGE_BANDS))
        if unknown:
            raise AssumptionError(f"Unknown age band(s) {', '.join(unknown)}; the bands are "
                                  f"{', '.join(AGE_BANDS.values())}.")
        if missing:
            raise AssumptionError(f"Age weights are missing for {', '.join(missing)}.")
        for band, w in self.weights.items():
            if not isinstance(w, int | float) or math.isnan(w) or w < 0 or math.isinf(w):
                raise AssumptionError(f"The weight for ages {AGE_BANDS[band]} must be a number of 0 or more "
                                      f"(got {w!r}).")
        if not any(self.weights.values()):
            raise AssumptionError("At least one age weight must be above 0.")
        object.__setattr__(self, "weights", {b: float(self.weights[b]) for b in AGE_BANDS})
        object.__setattr__(self, "source", _source(self.source, "An age weighting"))

    def england_mean(self, england: dict[str, float]) -> float:
        """Return the mean weight of a resident of England, given England's residents per band."""
        return sum(self.weights[b] * england[b] for b in AGE_BANDS) / sum(england[b] for b in AGE_BANDS)

    def demand(self, lsoas: pd.DataFrame, england: dict[str, float]) -> pd.Series:
        """Weighted demand of each LSOA, in residents of England's average age mix.

        Σ residents of a band × its weight, ÷ :meth:`england_mean`: so only the weights' ratios
        matter, and an area as old as England's average keeps its head count (which capacity,
        in patients, is compared with).
        """
        return sum(lsoas[b].astype(float) * w for b, w in self.weights.items()) / self.england_mean(england)

    def label(self) -> str:
        """``0-15 ×1.2, 16-24 ×0.8, …``."""
        return ", ".join(f"{AGE_BANDS[b]} ×{w:g}" for b, w in self.weights.items())

    def to_dict(self) -> dict:
        """For scenario files (band labels as keys, as a planner writes them)."""
        return {"weights": {AGE_BANDS[b]: w for b, w in self.weights.items()}, "source": self.source}

    @classmethod
    def from_dict(cls, d: dict | None) -> AgeWeights | None:
        """From :meth:`to_dict`'s form (None for None); keys may be band labels (``65+``) or store columns."""
        if not d:
            return None
        return cls(_weights_by_band((d.get("weights") or {}).items()), d.get("source", ""))

    @classmethod
    def parse(cls, text: str, source: str) -> AgeWeights:
        """From ``"0-15=1.2,16-24=0.8,…"`` (the CLI's form).

        Raises
        ------
        AssumptionError
            Naming the item that is not ``band=number``, or a band given twice.
        """
        pairs = []
        for item in filter(None, (p.strip() for p in text.split(","))):
            band, sep, value = item.partition("=")
            try:
                w = float(value) if sep else None
            except ValueError:
                w = None
            if w is None:
                raise AssumptionError(f"Age weight {item!r} is not band=number (e.g. 65+=2.5).")
            pairs.append((band, w))
        return cls(_weights_by_band(pairs), source)


@dataclass(frozen=True)
class AreaBenchmark:
    """Gross internal area per registered patient, with its source, to estimate premises' size.

    Attributes
    ----------
    m2_per_patient : float
        GIA in m² per registered patient (> 0).
    source : str
        Where the benchmark comes from, as it will be printed.
    """

    m2_per_patient: float
    source: str

    def __post_init__(self):
        v = self.m2_per_patient
        if not isinstance(v, int | float) or math.isnan(v) or not 0 < v <= 10:
            raise AssumptionError(f"The floor-area benchmark must be above 0 and at most 10 m² per registered "
                                  f"patient (got {v!r}).")
        object.__setattr__(self, "m2_per_patient", float(v))
        object.__setattr__(self, "source", _source(self.source, "A floor-area benchmark"))

    def estimate(self, patients: pd.Series) -> pd.Series:
        """Estimated GIA (m²) of premises serving ``patients`` registered patients."""
        return (patients.astype(float) * self.m2_per_patient).round(0)

    def label(self) -> str:
        """``0.08 m² per registered patient (80 m² per 1,000)``."""
        return f"{self.m2_per_patient:g} m² per registered patient ({1000 * self.m2_per_patient:,.0f} m² per 1,000)"

    def to_dict(self) -> dict:
        """For scenario files (the benchmark and its source, as a planner writes them)."""
        return {"m2_per_patient": self.m2_per_patient, "source": self.source}

    @classmethod
    def from_dict(cls, d: dict | None) -> AreaBenchmark | None:
        """From :meth:`to_dict`'s form (None for None)."""
        if not d:
            return None
        return cls(d.get("m2_per_patient"), d.get("source", ""))
