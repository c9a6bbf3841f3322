"""The data provenance and attribution expander shown on every page."""

from __future__ import annotations

import streamlit as st

from locality.settings import attribution_statements
from locality.ui import data


def show_provenance(expanded: bool = False) -> None:
    """Draw an expander with the data sources (file, publisher, edition, sha256, licence) and attribution."""
    with st.expander("Data sources, licences and attribution", expanded=expanded):
        meta = data.meta()
        st.markdown(f"Store built {meta.get('built_at', '?')} from `{meta.get('raw_dir', '?')}`. "
                    f"Registered-patient extract date: **{meta.get('extract_date', '?')}**.")
        prov = data.provenance()
        st.dataframe(
            prov.rename(columns={"title": "Dataset", "file": "File", "publisher": "Publisher", "edition": "Edition",
                                 "rows": "Rows", "licence": "Licence", "sha256": "SHA-256", "url": "Source URL"}),
            hide_index=True, width="stretch",
        )
        for s in attribution_statements():
            st.caption(s)
        st.caption("No public estates data exists: sites are practice postcodes. Practices whose postcode is not in "
                   "Code-Point Open are placed at their postcode sector's centre, and marked as estimated.")
