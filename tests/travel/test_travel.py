"""Travel sources: straight line × circuity, and an uploaded matrix of minutes."""

from __future__ import annotations

import pandas as pd
import pytest

from locality.errors import SitesError
from locality.travel.matrix import from_matrix
from locality.travel.straight_line import straight_line

POINTS = pd.DataFrame({"lsoa21_code": ["L1", "L2"], "centroid_e": [0.0, 3000.0], "centroid_n": [0.0, 4000.0]})
SITES = pd.DataFrame({"site_id": ["S1", "S2"], "easting": [0.0, 0.0], "northing": [0.0, 4000.0]})


def test_straight_line_times_circuity_in_metres():
    t = straight_line(POINTS, SITES, 1.25)
    assert t.unit == "m" and t.circuity == 1.25 and "1.25" in t.provenance
    assert t.cost.ravel().tolist() == pytest.approx([0.0, 5000.0, 6250.0, 3750.0])
    assert t.nearest().tolist() == pytest.approx([0.0, 3750.0])
    with pytest.raises(SitesError, match="at least 1"):
        straight_line(POINTS, SITES, 0.9)


def test_a_matrix_gives_minutes_and_names_missing_pairs():
    rows = pd.DataFrame({"lsoa21_code": ["L1", "L1", "L2", "L2"], "site_id": ["S1", "S2", "S1", "S2"],
                         "minutes": [1.0, 9.0, 7.0, 4.0]})
    t = from_matrix(rows, POINTS, SITES)
    assert t.unit == "min" and t.circuity == 1.0
    assert t.cost.tolist() == [[1.0, 9.0], [7.0, 4.0]]
    repeated = pd.concat([rows, rows.iloc[[3]].assign(minutes=3.0)], ignore_index=True)
    with pytest.raises(SitesError, match="more than once"):  # a repeated pair is refused, not resolved
        from_matrix(repeated, POINTS, SITES)
    with pytest.raises(SitesError, match=r"lacks 1 LSOA × site pair\(s\), e.g. L2→S1"):
        from_matrix(rows.drop(index=2), POINTS, SITES)
