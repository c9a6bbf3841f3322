"""The area selector shared by every page (region → ICB → sub-ICB, or local authority)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from locality.places import rank_areas
from locality.store import AREA_TYPES, area_label
from locality.ui import data

#: The area the app opens on: East Berkshire (Bracknell, Slough, Windsor & Maidenhead).
DEFAULTS = {"region": "Y59", "icb": "S0E4D", "sub_icb": "U2G6B", "lad": "E06000036"}
ALL = "__all__"
MODES = ["NHS: region → ICB → sub-ICB", "Local authority", "Search by place"]


@dataclass(frozen=True)
class Area:
    """The selected area."""

    area_type: str
    code: str
    name: str

    @property
    def kind(self) -> str:
        """Human name of the area type."""
        return AREA_TYPES[self.area_type]

    @property
    def label(self) -> str:
        """Name and code, for headings."""
        return area_label(self.code, self.name)


def _persisted_select(label: str, options: list[str], fmt, key: str, default: str | None,
                      fallback: int = 0) -> str:
    """Show a selectbox whose choice survives page switches (kept under ``sel_<key>``).

    When the kept choice is no longer an option (a parent changed), ``fallback`` is chosen.
    """
    keep, widget = f"sel_{key}", f"w_{key}"
    current = st.session_state.get(keep, default)
    fallback = min(fallback, len(options) - 1)
    index = options.index(current) if current in options else fallback
    # The kept choice is the truth: a change in the box reaches it through the callback (which runs before
    # the script), and the box is set from it through session state, which also tells the browser. So a page
    # switch (the box is new) or a parent change (another region: the old ICB is not an option) shows the
    # right choice, never the old one or the first. (Set every run: a value left by the box of another
    # page's run does not carry to this page's box.)
    st.session_state[widget] = options[index]

    def chosen() -> None:
        st.session_state[keep] = st.session_state[widget]

    value = st.selectbox(label, options, format_func=fmt, key=widget, on_change=chosen)
    st.session_state[keep] = value
    return value


def _sub_icb_label(row, max_places: int | None = 3) -> str:
    return area_label(row.code, row.name, row.covers, max_places)


def select_area(container=None) -> Area:
    """Draw the area selector (in the sidebar by default) and return the chosen area."""
    box = container or st.sidebar
    with box:
        st.markdown("**Area**")
        mode = _persisted_select("Choose by", MODES, str, "mode", MODES[0])
        if mode == MODES[1]:
            lads = data.areas("lad")
            names = dict(zip(lads["code"], lads["name"], strict=True))
            code = _persisted_select("Local authority", list(lads["code"]), lambda c: f"{names[c]} ({c})", "lad",
                                     DEFAULTS["lad"])
            return Area("lad", code, names[code])
        if mode == MODES[2]:
            subs = data.areas("sub_icb")
            lads = data.areas("lad")
            labels = {r.code: _sub_icb_label(r, None) for r in subs.itertuples()}
            labels.update({r.code: f"{r.name} · local authority ({r.code})" for r in lads.itertuples()})
            query = st.text_input("Type a place, council or code", key="area_query",
                                  placeholder="e.g. Bedford, Slough, U2G6B")
            names = {**dict(zip(subs["code"], subs["name"], strict=True)),
                     **dict(zip(lads["code"], lads["name"], strict=True))}
            found = rank_areas(labels, query, names) or sorted(labels, key=labels.get)
            if query.strip():
                st.caption(f"{len(found)} match(es), best first.")
            code = _persisted_select("Area", found, labels.get, f"search_{query.strip().lower()}",
                                     found[0] if query.strip() else DEFAULTS["sub_icb"])
            if code in set(lads["code"]):
                return Area("lad", code, dict(zip(lads["code"], lads["name"], strict=True))[code])
            return Area("sub_icb", code, _sub_icb_label(subs[subs["code"] == code].iloc[0]))
        regions = data.areas("region")
        rnames = dict(zip(regions["code"], regions["name"], strict=True))
        region = _persisted_select("Region", list(regions["code"]), rnames.get, "region", DEFAULTS["region"])
        icbs = data.areas("icb", region)
        inames = dict(zip(icbs["code"], icbs["name"], strict=True))
        icb = _persisted_select("ICB", [ALL, *icbs["code"]],
                                lambda c: "All ICBs in the region" if c == ALL else inames[c], "icb", DEFAULTS["icb"],
                                fallback=1)
        if icb == ALL:
            return Area("region", region, rnames[region])
        subs = data.areas("sub_icb", icb)
        labels = {r.code: _sub_icb_label(r) for r in subs.itertuples()}
        sub = _persisted_select("Sub-ICB location", [ALL, *subs["code"]],
                                lambda c: "Whole ICB" if c == ALL else labels[c], "sub_icb", DEFAULTS["sub_icb"],
                                fallback=1)
        if sub == ALL:
            return Area("icb", icb, inames[icb])
        return Area("sub_icb", sub, labels[sub])
