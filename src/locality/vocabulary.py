"""The project's shared words and numbers: codes, guidance bands, age bands, travel thresholds.

Anything the pages, the CLI, the engines and the board pack must say the same way lives here,
so that a figure is labelled one way everywhere.
"""

from __future__ import annotations

from typing import Final

import numpy as np

#: NHS England's code for "not in a PCN" in the practice → PCN map (a placeholder, not a network).
PLACEHOLDER_PCN: Final = "U"

#: NHS England's guidance for a Primary Care Network: 30,000 to 50,000 registered patients.
PCN_BAND: Final = (30_000, 50_000)
#: A place-based locality, as in Barking & Dagenham: 50,000 to 70,000 registered patients.
LOCALITY_BAND: Final = (50_000, 70_000)
#: The bands the Localities page offers by name.
PRESETS: Final = {"PCN (30,000–50,000)": PCN_BAND, "Locality (50,000–70,000)": LOCALITY_BAND}

#: The Census 2021 age bands held for every LSOA (store column → label a planner reads).
AGE_BANDS: Final[dict[str, str]] = {"age_0_15": "0-15", "age_16_24": "16-24", "age_25_34": "25-34",
                                    "age_35_49": "35-49", "age_50_64": "50-64", "age_65_plus": "65+"}

#: The "% of people within" thresholds, per unit of travel: metres (straight line × circuity) or
#: minutes (a travel matrix).
WITHIN: Final = {"m": (1_000, 2_000, 5_000), "min": (10, 15, 20)}


def within_label(value: float, unit: str) -> str:
    """Column name for a travel threshold: ``within_2km`` or ``within_15min``."""
    return f"within_{value // 1000:g}km" if unit == "m" else f"within_{value:g}min"


def within_heading(value: float, unit: str) -> str:
    """Heading for a travel threshold: ``Within 2 km (%)`` or ``Within 15 min (%)``."""
    return f"Within {value / 1000:g} km (%)" if unit == "m" else f"Within {value:g} min (%)"


def band_status(patients, floor: float, ceiling: float):
    """Whether a list size is ``"below"``, ``"within"`` or ``"above"`` a band (inclusive bounds).

    Parameters
    ----------
    patients : float or array-like
        One list size, or many.
    floor, ceiling : float
        The band.

    Returns
    -------
    str or ndarray of str
        The status of each list size, in the shape given.
    """
    p = np.asarray(patients, dtype=float)
    out = np.where(p < floor, "below", np.where(p > ceiling, "above", "within"))
    return str(out) if out.ndim == 0 else out


#: Demand sources of the site appraisal, and how headings name them.
DEMAND_KINDS: Final = {"residents": "Residents (Census 2021) of the catchment's LSOAs",
                       "registered": "Registered patients, where their practice sees them today"}

#: How demand was placed: the ``demand_method`` of grouping and site JSON, pages and board packs.
DEMAND_METHODS: Final = {
    "registered": "Real catchments: registered patients where they live (NHS England, patients by LSOA)",
    "mixed": "Real catchments where NHS England's LSOA file covers the practice, modelled elsewhere",
    "modelled": "Modelled: each LSOA to its nearest practice site, or a list at its practice's address "
                "(no LSOA file for these practices)",
}

#: The same, in a word or two (table cells).
DEMAND_METHOD_SHORT: Final = {"registered": "real (registered patients)", "mixed": "partly real",
                              "modelled": "modelled"}

#: Bases of site capacity: not used, patients per m² of floor area, patients per clinical room.
CAPACITY_BASES: Final = {"none": "not used", "m2": "per m²", "room": "per clinical room"}

#: Estates-register condition grades and the score the appraisal averages (A is best).
CONDITION_SCORE: Final = {"A": 1, "B": 2, "C": 3, "D": 4}
