"""The Localities page's repair result: the moves, each with its reason, as the main table."""

from __future__ import annotations

import streamlit as st

from locality.grouping.repair import RepairOutcome

#: The "Start from" choice: its label on the page → the engine's mode.
START_FROM = {"today's PCNs (fewest moves)": "repair", "a fresh grouping": "fresh"}


def show_repair_moves(rep: RepairOutcome, floor: int, ceiling: int) -> None:
    """Show a repair's headline (proven or with its bound) and its moves table."""
    before = f"{rep.pcns_outside_before} of {rep.pcns_before} of today's PCNs here are outside {floor:,}–{ceiling:,}."
    (st.success if rep.proven else st.warning)(f"**Starting from today's PCNs:** {rep.headline()} {before}")
    cols = {"practice_code": "ODS code", "practice_name": "Practice",
            "patients": st.column_config.NumberColumn("Patients", format="localized"),
            "from_pcn_name": "From (today)", "to_pcn_name": "To", "to_group": "Group",
            "reason": st.column_config.TextColumn("Why", width="large")}
    table = rep.moves.assign(to_pcn_name=[n or f"new group {g}" for n, g in zip(rep.moves["to_pcn_name"],
                                                                                  rep.moves["to_group"], strict=True)],
                             from_pcn_name=rep.moves["from_pcn_name"].where(rep.moves["from_pcn_name"] != "",
                                                                            "(no PCN)"))
    st.markdown(f"**The moves ({rep.practices_moved} practices, {rep.patients_moved:,} patients)**")
    if table.empty:
        st.info("No practice needs to move: every PCN is already within the band and in one piece.")
        return
    st.dataframe(table[list(cols)], hide_index=True, width="stretch", column_config=cols)
    st.caption(f"{rep.splits} PCN(s) split, {rep.wound_up} wound up, {rep.new_groups} new group(s). Practices at one "
               "site (or locked together) move together; practices in no PCN today are placed, not counted.")
