"""Find practices the way a planner asks: by name, ODS code, postcode district, PCN or town."""

from __future__ import annotations

import re

import pandas as pd

from locality.places import post_towns

_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


def find_practices(practices: pd.DataFrame, query: str) -> pd.DataFrame:
    """Return the practices matching ``query``, best matches first, with their post town.

    A query that looks like a postcode district (``SL5``) matches postcodes in that district; a
    full postcode (``SL5 7GB``) matches it exactly; otherwise each word must appear in the
    practice's name, ODS code, PCN name or code, or post town (any case).

    Parameters
    ----------
    practices : DataFrame
        ``practice_code, practice_name, postcode, pcn_code, pcn_name, patients`` and the address
        lines (:func:`locality.store.practices` or :func:`locality.store.all_practices`).
    query : str

    Returns
    -------
    DataFrame
        The matching rows with ``town`` and ``match`` (what matched), ranked: an exact code,
        postcode, PCN or town first, then names that start with the query, then the rest.
    """
    q = " ".join(query.upper().split())
    if not q:
        return practices.iloc[0:0].assign(town=None, match=None)
    p = practices.assign(town=post_towns(practices))
    postcode = p["postcode"].fillna("").str.upper()
    if _DISTRICT.match(q):
        hit = postcode.str.split(" ").str[0] == q
        return _ranked(p[hit].assign(match="postcode district"), [])
    compact = q.replace(" ", "")
    if re.match(r"^[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}$", compact):
        return _ranked(p[postcode.str.replace(" ", "") == compact].assign(match="postcode"), [])
    fields = {"ODS code": p["practice_code"], "name": p["practice_name"], "PCN": p["pcn_name"] + " " + p["pcn_code"],
              "town": p["town"].fillna("")}
    upper = {k: v.fillna("").str.upper() for k, v in fields.items()}
    words = q.split()
    hit = pd.Series(False, index=p.index)
    match = pd.Series("", index=p.index)
    for what, text in upper.items():
        ok = pd.Series(True, index=p.index)
        for w in words:
            ok &= text.str.contains(w, regex=False)
        match = match.where(match != "", ok.map({True: what, False: ""}))
        hit |= ok
    exact = (upper["ODS code"] == q) | (upper["town"] == q) | (p["pcn_code"].str.upper() == q) \
        | (upper["PCN"].str.startswith(q + " "))
    starts = upper["name"].str.startswith(q)
    out = p[hit].assign(match=match[hit], _rank=0)
    out["_rank"] = (~exact[hit]).astype(int) * 2 + (~starts[hit]).astype(int)
    return _ranked(out, ["_rank"])


def _ranked(found: pd.DataFrame, first: list[str]) -> pd.DataFrame:
    order = [*first, "practice_name", "practice_code"]
    return found.sort_values(order, kind="stable").drop(columns=[c for c in ("_rank",) if c in found])\
        .reset_index(drop=True)
