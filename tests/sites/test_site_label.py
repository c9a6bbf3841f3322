"""A site is named as a planner names it: its name and its town, once."""

from locality.sites.labels import site_label


def test_the_town_is_added_once():
    assert site_label({"site_name": "Kings Corner Surgery", "town": "Ascot"}) == "Kings Corner Surgery (Ascot)"
    # practice names that already carry their town (Greensand Surgery (Ampthill), Bedfordshire)
    assert site_label({"practice_names": "Greensand Surgery (Ampthill)", "town": "AMPTHILL"}) \
        == "Greensand Surgery (Ampthill)"
    assert site_label({"site_name": "", "postcode": "SL5 7DY", "town": None}) == "SL5 7DY"
