"""Place names: post towns from ODS addresses, and areas ranked for a typed search."""

from __future__ import annotations

import pandas as pd

from locality.places import post_town, rank_areas, town_centres


def test_post_town_skips_counties_and_splits_lines():
    assert post_town(["KINGS CORNER SURGERY", "KINGS ROAD", "ASCOT", "BERKSHIRE"]) == "Ascot"
    assert post_town(["BROOK HOUSE", "BROOK AVENUE, ASCOT", None, None]) == "Ascot"
    assert post_town(["THE HEALTH CENTRE", "LAWSON STREET", "STOCKTON ON TEES", "CLEVELAND"]) == "Stockton on Tees"
    assert post_town(["THE SURGERY"]) is None


def test_town_centres_sit_at_the_mean_of_their_practices():
    p = pd.DataFrame({"practice_code": ["A", "B", "C"], "address_1": ["X", "Y", "Z"],
                      "address_2": ["ASCOT", "ASCOT", "SLOUGH"], "lat": [51.0, 51.2, 51.5], "lon": [-0.6, -0.8, -0.6]})
    t = town_centres(p).set_index("town")
    assert t.loc["Ascot", "practices"] == 2 and abs(t.loc["Ascot", "lat"] - 51.1) < 1e-9


def test_bedford_comes_before_places_that_merely_contain_it():
    labels = {"E06000055": "Bedford · local authority (E06000055)",
              "M1J4Y": "M1J4Y · Central Bedfordshire, Milton Keynes, Luton, Bedford",
              "B2M3M": "B2M3M · Coventry, Warwick, Rugby",
              "U2G6B": "U2G6B · Windsor and Maidenhead, Slough, Bracknell Forest",
              "X1": "X1 · Surrey Heath"}
    names = {"E06000055": "Bedford", "M1J4Y": "NHS Bedfordshire, Luton and Milton Keynes ICB - M1J4Y",
             "B2M3M": "Coventry", "U2G6B": "East Berkshire", "X1": "Surrey"}
    assert rank_areas(labels, "Bedford", names) == ["E06000055", "M1J4Y"]
    assert rank_areas(labels, "u2g6b", names) == ["U2G6B"]
    assert rank_areas(labels, "slough", names) == ["U2G6B"]
