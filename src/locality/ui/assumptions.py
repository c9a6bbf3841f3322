"""Sidebar inputs for the planner's own assumptions: age weights and a floor-area benchmark."""

from __future__ import annotations

import streamlit as st

from locality.assumptions import AGE_BANDS, AgeWeights, AreaBenchmark, AssumptionError
from locality.ui.keep import kept

NO_DEFAULT = ("The app ships no default: no published figure could be verified for it. Enter the figures and "
              "the source you take them from; the source is printed with every result they change.")


def age_weights_input(key: str, default: AgeWeights | None = None) -> AgeWeights | None:
    """Show a tick box, then the store's cited default or an editable weight per band with its source.

    ``default`` is the store's fit from NHS Payments to General Practice 2022-23 (None without it).
    Returns None (with the reason shown) until the weights are complete and cited.
    """
    if not st.checkbox("Weight residents by age", **kept(f"{key}_age_on", value=False),
                       help="Some ages need more primary care than others."
                            + ("" if default is not None else " " + NO_DEFAULT)):
        return None
    if default is not None:
        own = ["default", "own"]
        pick = st.radio("Weights", own, horizontal=True, **kept(f"{key}_age_from", own, index=0),
                        format_func={"default": "Default (NHS Payments 2022-23)", "own": "My own"}.get)
        if pick == "default":
            st.caption(" · ".join(f"{AGE_BANDS[b]}: {w:.2f}" for b, w in default.weights.items()))
            st.caption(f"Source: {default.source}")
            return default
    st.caption("Weight of a resident in each Census 2021 age band")
    cols = st.columns(2)
    weights = {band: cols[i % 2].number_input(f"Ages {label}", min_value=0.0, max_value=100.0, step=0.05,
                                              **kept(f"{key}_age_{band}", value=1.0))
               for i, (band, label) in enumerate(AGE_BANDS.items())}
    source = st.text_input("Source of the weights", **kept(f"{key}_age_source", value=""),
                           placeholder="e.g. publisher, title, year, table")
    try:
        return AgeWeights(weights, source)
    except AssumptionError as exc:
        st.warning(f"Age weights not applied: {exc}")
        return None


def area_benchmark_input(key: str) -> AreaBenchmark | None:
    """Show a tick box, then m² of floor area per registered patient and the benchmark's source.

    Returns None (with the reason shown) until both are given.
    """
    if not st.checkbox("Estimate floor areas from list size", **kept(f"{key}_bench_on", value=False),
                       help="Sites without a floor area get registered patients × your benchmark, labelled "
                            "'estimated'. " + NO_DEFAULT):
        return None
    value = st.number_input("Gross internal area per registered patient (m²)", min_value=0.0, max_value=10.0,
                            step=0.01, format="%.3f", **kept(f"{key}_bench_value", value=None),
                            placeholder="e.g. 0.080 for 80 m² per 1,000 patients")
    source = st.text_input("Source of the benchmark", **kept(f"{key}_bench_source", value=""),
                           placeholder="e.g. publisher, title, year, page")
    if value is None:
        st.caption("Enter a benchmark to estimate floor areas.")
        return None
    try:
        return AreaBenchmark(value, source)
    except AssumptionError as exc:
        st.warning(f"Floor areas not estimated: {exc}")
        return None
