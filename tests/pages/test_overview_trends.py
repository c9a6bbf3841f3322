"""The Overview shows every PCN's list trend beside its band status."""

from __future__ import annotations


def test_every_pcn_has_its_trend(open_page):
    app = open_page()
    assert not app.exception
    table = next(d.value for d in app.dataframe if "trend" in d.value.columns)
    assert len(table) == 10  # U2G6B's PCNs (the placeholder is not one)
    assert table["trend"].str.contains(r"^\d{1,3}(?:,\d{3})* now, [+-]\d+\.\d% a year", regex=True).all()
    assert {"status", "observed_rate", "leaves_band_year", "not_in_every_edition"} <= set(table.columns)
    leaving = table[table["leaves_band_year"].notna()]
    assert len(leaving) and leaving["trend"].str.contains("leaves the band").all()
    text = " ".join(c.value for c in app.caption)
    assert "Projection of the observed trend" in text and "January 2021" in text
    assert "Registered patients counted in this area" in text
