"""Place names a planner knows: the post town of a practice's address, and where each town is.

ODS ``epraccur.csv`` gives each practice up to five address lines, packed to the top: the post
town is the last line unless that line is a postal county (``… ASCOT, BERKSHIRE``), then the
one before it.
"""

from __future__ import annotations

import re

import pandas as pd

#: Postal and ceremonial counties (and former counties still used in addresses) of England and Wales,
#: as ODS addresses write them. A final address line in this set is a county, not a town.
COUNTIES = frozenset("""
AVON BEDFORDSHIRE BERKSHIRE BUCKINGHAMSHIRE CAMBRIDGESHIRE CHESHIRE CLEVELAND CORNWALL CUMBRIA DERBYSHIRE DEVON
DORSET DURHAM ESSEX GLOUCESTERSHIRE HAMPSHIRE HEREFORDSHIRE HERTFORDSHIRE HUMBERSIDE KENT LANCASHIRE
LEICESTERSHIRE LINCOLNSHIRE MERSEYSIDE MIDDLESEX NORFOLK NORTHAMPTONSHIRE NORTHUMBERLAND NOTTINGHAMSHIRE
OXFORDSHIRE RUTLAND SHROPSHIRE SOMERSET STAFFORDSHIRE SUFFOLK SURREY WARWICKSHIRE WILTSHIRE WORCESTERSHIRE
HANTS HERTS BUCKS BEDS BERKS CAMBS GLOS LANCS LEICS LINCS NORTHANTS NOTTS OXON STAFFS WILTS WORCS MIDDX
""".split()) | frozenset({
    "COUNTY DURHAM", "CO DURHAM", "EAST SUSSEX", "WEST SUSSEX", "EAST YORKSHIRE", "NORTH YORKSHIRE", "SOUTH YORKSHIRE",
    "WEST YORKSHIRE", "EAST RIDING OF YORKSHIRE", "NORTH HUMBERSIDE", "SOUTH HUMBERSIDE", "WEST MIDLANDS",
    "TYNE & WEAR", "TYNE AND WEAR", "GREATER MANCHESTER", "GREATER LONDON", "ISLE OF WIGHT", "ISLES OF SCILLY",
    "NORTH SOMERSET", "SOUTH GLOUCESTERSHIRE", "BATH & NORTH EAST SOMERSET", "E SUSSEX", "W SUSSEX",
    "N YORKSHIRE", "S YORKSHIRE", "W YORKSHIRE", "W MIDLANDS", "HEREFORD & WORCESTER", "HEREFORD AND WORCESTER",
})

_LINES = [f"address_{i}" for i in range(1, 6)]


def post_town(lines: list) -> str | None:
    """Return the post town of one address (its lines in order), in title case; None if it has none.

    >>> post_town(["KINGS CORNER SURGERY", "KINGS ROAD", "ASCOT", "BERKSHIRE"])
    'Ascot'
    """
    kept = [part.strip() for x in lines if isinstance(x, str) for part in x.split(",") if part.strip()]
    while kept and kept[-1].upper() in COUNTIES:
        kept.pop()
    if len(kept) < 2:  # a lone line is the building's name, not a town
        return None
    return _title(kept[-1])


def _title(text: str) -> str:
    small = {"upon", "on", "in", "under", "le", "by", "the", "de", "cum", "and"}
    words = text.lower().split()
    return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))


def post_towns(practices: pd.DataFrame) -> pd.Series:
    """Return each practice's post town (None when its address gives none), indexed like ``practices``."""
    cols = [c for c in _LINES if c in practices]
    return practices[cols].apply(lambda r: post_town(list(r)), axis=1) if len(practices) else pd.Series(dtype=object)


def town_centres(practices: pd.DataFrame) -> pd.DataFrame:
    """Return one row per post town: ``town, lat, lon, practices`` at the centre (mean) of its practices."""
    towns = practices.assign(town=post_towns(practices)).dropna(subset=["town", "lat", "lon"])
    return (towns.groupby("town").agg(lat=("lat", "mean"), lon=("lon", "mean"), practices=("practice_code", "size"))
            .reset_index().sort_values("practices", ascending=False, kind="stable").reset_index(drop=True))


def rank_areas(labels: dict[str, str], query: str, names: dict[str, str] | None = None) -> list[str]:
    """Return the area codes whose label matches ``query``, best first.

    An area whose code or name is the query comes first, then names that start with it, then
    labels with a word that starts with it (a place the area covers), then labels holding it
    anywhere; ties go alphabetically. "Bedford" puts Bedford borough before the sub-ICB
    "… Bedford, Luton and Milton Keynes" and before areas that merely contain the letters.

    Parameters
    ----------
    labels : dict
        Code → the label shown (name, places covered, code).
    query : str
    names : dict, optional
        Code → the area's own name (defaults to the label).
    """
    q = " ".join(query.lower().split())
    if not q:
        return sorted(labels, key=labels.get)
    names = names or labels
    ranked = []
    for code, label in labels.items():
        text, name = label.lower(), names.get(code, label).lower()
        words = re.split(r"[^a-z0-9&']+", text)
        if code.lower() == q or name == q:
            rank = 0
        elif name.startswith(q):
            rank = 1
        elif any(w.startswith(q) for w in words) or f" {q}" in f" {text}":
            rank = 2
        elif q in text:
            rank = 3
        else:
            continue
        ranked.append((rank, label, code))
    return [c for _, _, c in sorted(ranked)]
