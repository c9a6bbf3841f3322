"""The NHS payments (2022-23) a grouping's groups, today's PCNs and the area already receive (layout only)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from locality import funding


def show_funding(tables: dict[str, pd.DataFrame] | None) -> None:
    """Show the groups', PCNs' and area's 2022-23 payments in an expander (nothing without the file)."""
    if tables is None:
        return
    area = tables["area"].iloc[0]
    with st.expander(f"NHS payments the groups already receive (2022-23): £{area['total_payments']:,.0f} in the "
                     f"area, {area['covered']} of {area['practices']} practices in the file"):
        st.caption(funding.SOURCE + ".")
        for title, key in (("Proposed groups", "groups"), ("Today's PCNs", "pcns"), ("The whole area", "area")):
            st.markdown(f"**{title}**")
            st.dataframe(funding.printable(tables[key]), hide_index=True, width="stretch")
