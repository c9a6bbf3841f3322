"""Access to a GP practice by LSOA, from CDRC's AHAH v3: the share of residents beyond a drive time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: The drive time the Overview's headline counts residents beyond (minutes).
DRIVE_THRESHOLD_MIN = 10.0
#: Where the figure comes from, as printed beside it.
AHAH_SOURCE = ("CDRC Access to Healthy Assets & Hazards (AHAH) v3: drive minutes to the nearest GP practice "
               "(NHS Digital, February 2022) on OS Open Roads, median over each LSOA 2011's postcodes, carried to "
               "LSOA 2021 with the ONS lookup")
#: The attribution CDRC asks for.
AHAH_ATTRIBUTION = ("Contains data provided by the ESRC Consumer Data Research Centre; contains OS data © Crown "
                    "copyright and database right; contains NHS Digital data (OGL v3)")


@dataclass(frozen=True)
class DriveAccess:
    """How many of an area's residents live more than a drive time from a GP practice (AHAH v3).

    Attributes
    ----------
    threshold : float
        Minutes.
    share : float
        Residents beyond it ÷ residents of LSOAs with a figure (NaN when none has one).
    residents_beyond, residents_known : int
    lsoas_missing : int
        LSOAs without an AHAH figure (left out of the share).
    """

    threshold: float
    share: float
    residents_beyond: int
    residents_known: int
    lsoas_missing: int

    def label(self) -> str:
        """Return the headline's text, e.g. ``12.3%``."""
        return "n/a" if self.share != self.share else f"{100 * self.share:.1f}%"


def drive_access(lsoas: pd.DataFrame, threshold: float = DRIVE_THRESHOLD_MIN) -> DriveAccess:
    """Return the share of residents whose LSOA is more than ``threshold`` minutes' drive from a practice.

    Parameters
    ----------
    lsoas : DataFrame
        ``residents, ahah_gp_minutes`` (:func:`locality.store.lsoas`).
    threshold : float
        Minutes.
    """
    minutes = pd.to_numeric(lsoas["ahah_gp_minutes"], errors="coerce").to_numpy(dtype=float)
    people = pd.to_numeric(lsoas["residents"], errors="coerce").fillna(0).to_numpy(dtype=float)
    known = np.isfinite(minutes)
    total = float(people[known].sum())
    beyond = float(people[known & (minutes > threshold)].sum())
    return DriveAccess(float(threshold), beyond / total if total else float("nan"), round(beyond), round(total),
                       int((~known).sum()))
