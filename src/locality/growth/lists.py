"""List trends of practices, groups of practices (PCNs, proposed groups) and areas, from the editions.

Inputs are the frames of :func:`locality.store.practice_list_history` / :func:`~locality.store.area_list_history`:
``lists`` (``extract_date, practice_code, patients``) and ``history`` (one row per practice code seen, with
its ODS open and close dates). Practices missing from some editions are listed with the reason ODS gives
(opened after an edition, closed before one), never filled in.
"""

from __future__ import annotations

import pandas as pd

from locality.growth.trend import Trend, compound_rate, trend_of, years_between


def edition_dates(lists: pd.DataFrame, editions: pd.DataFrame | None = None) -> list[pd.Timestamp]:
    """Return the extract dates of the editions, oldest first (from ``editions`` when given)."""
    src = editions["extract_date"] if editions is not None else lists["extract_date"]
    return sorted(pd.Timestamp(d) for d in pd.unique(src))


def presence_note(code: str, published: set[pd.Timestamp], dates: list[pd.Timestamp],
                  history: pd.DataFrame | dict) -> str:
    """Say which editions a practice is in, and why it is missing from the others (ODS dates), in one line.

    ``history`` is the practice-history frame, or :func:`ods_dates` of it (faster for many practices).
    """
    missing = [d for d in dates if d not in published]
    if not missing:
        return "in every edition"
    opened, closed = (history if isinstance(history, dict) else ods_dates(history)).get(code, (None, None))
    parts = []
    for d in missing:
        why = ""
        if opened is not None and opened > d:
            why = f" (opened {opened:%d %b %Y}, ODS)"
        elif closed is not None and closed <= d:
            why = f" (closed {closed:%d %b %Y}, ODS)"
        elif published and d > max(published) and closed is None:
            why = " (ODS records no closure: merged or recoded?)"
        parts.append(f"not in {d:%b %Y}{why}")
    return "; ".join(parts)


def ods_dates(history: pd.DataFrame) -> dict[str, tuple[pd.Timestamp | None, pd.Timestamp | None]]:
    """Return practice code → (ODS open date, ODS close date), None where ODS gives none."""
    def ts(v):
        return pd.Timestamp(v) if pd.notna(v) else None
    return {c: (ts(o), ts(x)) for c, o, x in zip(history["practice_code"], history["open_date"],
                                                   history["close_date"], strict=True)}


def practice_trends(lists: pd.DataFrame, history: pd.DataFrame, dates: list[pd.Timestamp]) -> pd.DataFrame:
    """Return one row per practice: its list at each edition, its annual growth and which editions it is in.

    Columns ``practice_code, practice_name, list_YYYY_MM`` (one per edition), ``rate`` (compound annual
    growth between the first and last editions it is published in; NaN with fewer than two), ``editions``
    (how many it is in) and ``note`` (:func:`presence_note`).
    """
    wide = lists.pivot_table(index="practice_code", columns="extract_date", values="patients", aggfunc="sum")
    wide = wide.reindex(columns=dates)
    have = wide.notna()
    first_d = have.idxmax(axis=1)
    last_d = have.iloc[:, ::-1].idxmax(axis=1)
    vals = wide.to_numpy(dtype=float)
    first_v = vals[range(len(wide)), [dates.index(d) for d in first_d]] if len(wide) else []
    last_v = vals[range(len(wide)), [dates.index(d) for d in last_d]] if len(wide) else []
    out = pd.DataFrame({"practice_code": wide.index.to_numpy()})
    names = history.drop_duplicates("practice_code").set_index("practice_code")["practice_name"]
    out["practice_name"] = out["practice_code"].map(names).fillna(out["practice_code"])
    for i, d in enumerate(dates):
        out[edition_column(d)] = vals[:, i] if len(wide) else []
    rates = [compound_rate(f, la, years_between(fd, ld))
             for f, la, fd, ld in zip(first_v, last_v, first_d, last_d, strict=True)]
    out["rate"] = [float("nan") if r is None else r for r in rates]
    out["editions"] = have.sum(axis=1).to_numpy()
    ods = ods_dates(history)
    out["note"] = [presence_note(str(c), {d for d, h in zip(dates, row, strict=True) if h}, dates, ods)
                   if not row.all() else "in every edition" for c, row in zip(out["practice_code"], have.to_numpy(),
                                                                             strict=True)]
    return out


def edition_column(date: pd.Timestamp) -> str:
    """Column name of one edition's list: ``list_2021_01``."""
    return f"list_{pd.Timestamp(date):%Y_%m}"


def group_trend(lists: pd.DataFrame, members: list[str], dates: list[pd.Timestamp], name: str = "") -> Trend:
    """Return the like-for-like trend of a group of practices.

    The list at each edition is the sum of the members published in it; the rate is on the members
    published in both the earliest and the latest edition; ``now`` is every member's list today.
    """
    mine = lists[lists["practice_code"].isin(members)]
    by_ed = mine.groupby("extract_date")["patients"].sum().reindex(dates)
    now = max(dates)
    if len(dates) < 2:
        return trend_of(by_ed.dropna(), now, "one edition only")
    first = set(mine.loc[mine["extract_date"] == min(dates), "practice_code"])
    last = set(mine.loc[mine["extract_date"] == now, "practice_code"])
    both = first & last
    like = mine[mine["practice_code"].isin(both) & mine["extract_date"].isin([min(dates), now])]
    rate_lists = like.groupby("extract_date")["patients"].sum()
    n_now = len(last)
    basis = (f"{len(both)} of {n_now} practices, in both {min(dates):%b %Y} and {now:%b %Y}" if n_now
             else "no member published today")
    return trend_of(by_ed.dropna(), now, basis, now=float(by_ed.get(now, 0.0) or 0.0),
                    rate_lists=rate_lists if len(both) else pd.Series(dtype=float))


def group_trends(lists: pd.DataFrame, history: pd.DataFrame, membership: pd.Series, dates: list[pd.Timestamp],
                 floor: float, ceiling: float, year: int | None = None) -> pd.DataFrame:
    """Return one row per group: its list at each edition, like-for-like growth, and where it heads.

    The same arithmetic as :func:`group_trend`, for many groups at once.

    Parameters
    ----------
    lists, history : DataFrame
        As from :func:`locality.store.practice_list_history`.
    membership : Series
        Practice code → group (a PCN code, a proposed group's label).
    dates : list of Timestamp
        The editions, oldest first.
    floor, ceiling : float
        The band the groups are read against.
    year : int, optional
        Also give the list projected to 1 July of this year (``at_year``) and its band status.

    Returns
    -------
    DataFrame
        ``group, list_YYYY_MM…, now, rate, basis, leaves_band_year, trend`` (the sentence, e.g. "41,200 now,
        +2.1% a year: leaves the band in about 2030"), ``not_in_every_edition`` (members missing from an
        edition, with the reason), and ``at_year``/``status_at_year`` when ``year`` is given.
    """
    from locality.vocabulary import band_status

    per = practice_trends(lists, history, dates).set_index("practice_code")
    cols = [edition_column(d) for d in dates]
    mem = pd.DataFrame({"group": membership.to_numpy()}, index=membership.index)
    mem = mem.join(per[[*cols, "note"]], how="left")
    g = mem.groupby("group", sort=True)
    out = g[cols].sum(min_count=1).reset_index()
    now_d, first_d = max(dates), min(dates)
    now_c, first_c = edition_column(now_d), edition_column(first_d)
    both = mem[now_c].notna() & mem[first_c].notna()
    like = mem[both].groupby("group")[[first_c, now_c]].sum().reindex(out["group"])
    n_both = both.groupby(mem["group"]).sum().reindex(out["group"]).fillna(0).astype(int).to_numpy()
    n_now = mem[now_c].notna().groupby(mem["group"]).sum().reindex(out["group"]).fillna(0).astype(int).to_numpy()
    out["now"] = out[now_c].fillna(0.0)
    span = years_between(first_d, now_d)
    rates = [compound_rate(f, la, span) if nb and len(dates) > 1 else None
             for f, la, nb in zip(like[first_c].to_numpy(), like[now_c].to_numpy(), n_both, strict=True)]
    out["rate"] = [float("nan") if r is None else r for r in rates]
    out["basis"] = [f"{b} of {n} practices, in both {first_d:%b %Y} and {now_d:%b %Y}" if n else
                    "no member published today" for b, n in zip(n_both, n_now, strict=True)]
    trends = [Trend(lists={}, now=float(v), now_date=now_d, rate=r, start=first_d, end=now_d, basis=b)
              for v, r, b in zip(out["now"], rates, out["basis"], strict=True)]
    out["leaves_band_year"] = pd.array([t.leaves_band(floor, ceiling) for t in trends], dtype="Int64")
    out["trend"] = [t.describe(floor, ceiling) for t in trends]
    odd = mem[mem["note"].ne("in every edition")]
    text = odd.assign(line=odd.index.to_series() + ": " + odd["note"].fillna("in no edition"))
    out["not_in_every_edition"] = out["group"].map(text.groupby("group")["line"].agg("; ".join)).astype(object).fillna("")
    if year is not None:
        out["at_year"] = [t.at(year) for t in trends]
        out["status_at_year"] = band_status(out["at_year"].to_numpy(dtype=float), floor, ceiling)
    return out


def area_trend(lists: pd.DataFrame, dates: list[pd.Timestamp]) -> Trend:
    """Return the trend of every practice counted in an area (closed ones too) at each edition."""
    totals = lists.groupby("extract_date")["patients"].sum().reindex(dates)
    counts = lists.groupby("extract_date")["practice_code"].nunique().reindex(dates).fillna(0).astype(int)
    basis = "every practice counted in the area at each edition (" + ", ".join(
        f"{d:%b %Y}: {counts[d]:,}" for d in dates) + ")"
    return trend_of(totals.dropna(), max(dates), basis)
