"""GP need: registered patients ÷ patients per full-time GP (1,800 by default, cited; editable with a source)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from locality.errors import AssumptionError

#: The default figure and its source (SOURCES.md §19).
PATIENTS_PER_GP = 1_800.0
PATIENTS_PER_GP_SOURCE = (
    "DLUHC, Fact Sheet 4: New homes and healthcare facilities (2 November 2023): \"1,800 people per one full-time "
    "General Practitioner (GP) is considered standard by the NHS London Healthy Urban Development Unit (HUDU), based "
    "on guidance by the Royal College of GPs, and is applicable nationwide\"")


@dataclass(frozen=True)
class GpNeed:
    """Patients per full-time (FTE) GP, with where the figure comes from.

    Attributes
    ----------
    patients_per_gp : float
        Registered patients one full-time GP serves (between 500 and 5,000).
    source : str
        Where the figure comes from, printed beside every GP figure (required when not the default).
    """

    patients_per_gp: float = PATIENTS_PER_GP
    source: str = PATIENTS_PER_GP_SOURCE

    def __post_init__(self):
        v = self.patients_per_gp
        if not isinstance(v, int | float) or math.isnan(v) or not 500 <= v <= 5_000:
            raise AssumptionError(f"Patients per full-time GP must be between 500 and 5,000 (got {v!r}).")
        text = " ".join(str(self.source or "").split())
        if len(text) < 3:
            raise AssumptionError("Patients per full-time GP needs its source (publisher, title and year, or a link), "
                                  "so that everyone reading the results can check it.")
        object.__setattr__(self, "patients_per_gp", float(v))
        object.__setattr__(self, "source", text)

    def fte(self, patients: float) -> float:
        """Return the full-time GPs ``patients`` registered patients need (one decimal place)."""
        return round(float(patients) / self.patients_per_gp, 1)

    def label(self) -> str:
        """Return "GP need: registered patients ÷ 1,800 per full-time GP (source …)"."""
        return f"GP need: registered patients ÷ {self.patients_per_gp:,.0f} per full-time GP ({self.source})"

    def to_dict(self) -> dict:
        """For scenario files and JSON."""
        return {"patients_per_gp": self.patients_per_gp, "source": self.source}

    @classmethod
    def from_dict(cls, d: dict | None) -> GpNeed:
        """From :meth:`to_dict`'s form (the default for None)."""
        if not d:
            return cls()
        return cls(d.get("patients_per_gp", PATIENTS_PER_GP), d.get("source", ""))
