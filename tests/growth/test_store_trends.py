"""List editions in the (small) store: stored with provenance, and the trends of areas and PCNs."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from locality import store
from locality.growth import compound_rate, years_between
from locality.growth.area import area_growth, editions, pcn_trends


def test_every_edition_is_stored_with_provenance(con):
    eds = store.list_editions(con)
    assert [f"{d:%Y-%m-%d}" for d in eds["extract_date"]] == ["2021-01-01", "2025-05-01", "2026-07-01"]
    assert list(eds["commissioner_kind"]) == ["CCG", "sub-ICB location", "sub-ICB location"]
    assert list(eds["latest"]) == [False, False, True]
    assert eds["sha256"].str.fullmatch("[0-9a-f]{64}").all()
    # today's edition is the store's own lists
    assert int(eds["patients"].iloc[-1]) == int(con.execute("SELECT sum(patients) FROM practice").fetchone()[0])
    assert int(eds["practices"].iloc[0]) == con.execute(
        "SELECT count(*) FROM practice_list_edition WHERE extract_date = DATE '2021-01-01'").fetchone()[0]


def test_info_json_lists_the_editions(small_store):
    out = subprocess.run([sys.executable, "-m", "locality", "info", "--json", "--store", str(small_store)],
                         capture_output=True, text=True, check=True)
    eds = json.loads(out.stdout)["list_editions"]
    assert [e["extract_date"] for e in eds] == ["2021-01-01", "2025-05-01", "2026-07-01"]
    assert eds[0]["file"] == "gp-reg-pat-prac-all.csv" and eds[-1]["latest"] is True


def test_area_growth_counts_closed_practices(con):
    t = area_growth(con, "sub_icb", "U2G6B")
    lists, hist = store.area_list_history(con, "sub_icb", "U2G6B")
    closed = hist[~hist["in_current_map"]]
    assert len(closed) >= 1 and set(closed["area_from"]) == {"last published postcode"}
    assert t.lists[pd.Timestamp("2026-07-01")] == 497_911
    jan = lists[lists["extract_date"] == pd.Timestamp("2021-01-01")]
    assert t.lists[pd.Timestamp("2021-01-01")] == jan["patients"].sum()
    assert set(closed["practice_code"]) <= set(jan["practice_code"]) | set(
        lists.loc[lists["extract_date"] == pd.Timestamp("2025-05-01"), "practice_code"])
    eds = editions(con)
    assert t.rate == pytest.approx(compound_rate(t.lists[eds[0]], t.lists[eds[-1]], years_between(eds[0], eds[-1])))


def test_pcn_trends_are_whole_pcns_and_say_where_they_head(con):
    pcns = store.pcn_table(con)
    mine = pcns[pcns["sub_icb_code"] == "U2G6B"]
    t = pcn_trends(con, list(mine["pcn_code"]), year=2030).set_index("pcn_code")
    assert set(t.index) == set(mine["pcn_code"]) - {"U"}
    assert (t["now"] == mine.set_index("pcn_code").loc[t.index, "patients"]).all()
    inside = t[(t["now"] >= 30_000) & (t["now"] <= 50_000) & t["rate"].notna()]
    assert len(inside)
    for _, r in inside.iterrows():
        assert r["trend"].startswith(f"{r['now']:,.0f} now, {r['rate'] * 100:+.1f}% a year")
        if pd.notna(r["leaves_band_year"]):
            assert "leaves the band" in r["trend"] and str(r["leaves_band_year"]) in r["trend"]
        assert (r["status_at_year"] == "within") == (30_000 <= r["at_year"] <= 50_000)
