"""Overview: every practice in an area, sized by list and coloured by PCN, with headline figures."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from locality.grouping import summary
from locality.growth.labels import trend_caption
from locality.outputs import maps
from locality.outputs.place_labels import add_place_labels
from locality.travel.access import AHAH_ATTRIBUTION, AHAH_SOURCE, drive_access
from locality.ui import data
from locality.ui.area import select_area
from locality.ui.boot import through_app
from locality.ui.legend import show_legends
from locality.ui.provenance import show_provenance
from locality.ui.where_they_live import show_where_patients_live

through_app()

area = select_area()
with st.sidebar:
    st.markdown("**Map layers**")
    layer = st.selectbox("LSOA shading", ["none", *maps.LSOA_MEASURES],
                         format_func=lambda k: "None" if k == "none" else maps.LSOA_MEASURES[k], key="ov_layer")
    tiles = st.toggle("Street map background (needs internet)", value=False, key="ov_tiles",
                      help="Off by default: boundaries are drawn on a plain background, which works offline.")

practices = data.practices(area.area_type, area.code)
geo = data.area(area.code)
st.title(area.label)
st.caption(f"{area.kind} · registered patients at {data.meta()['extract_date']} (NHS England)")

h = summary.headline(practices)
area_lsoas = data.lsoas(area.area_type, area.code)
drive = drive_access(area_lsoas)
c = st.columns(6)
c[0].metric("Practices", f"{h.practices:,}")
c[1].metric("Registered patients", f"{h.patients:,}")
c[2].metric("PCNs", f"{h.pcns:,}", help=f"Plus {h.practices_unallocated} practice(s) in no PCN (\"Unallocated\")."
            if h.practices_unallocated else None)
c[3].metric("Median list size", f"{h.median_list_size:,.0f}")
c[4].metric("Aged 65+", f"{h.pct_65_plus:.1f}%")
c[5].metric(f"Over {drive.threshold:g} min drive", drive.label(),
            help=f"Residents more than {drive.threshold:g} minutes' drive from a GP practice (estimate from "
                 f"AHAH v3): {drive.residents_beyond:,} of {drive.residents_known:,} Census 2021 residents live in LSOAs whose "
                 f"median drive to the nearest practice is over {drive.threshold:g} minutes. Source: {AHAH_SOURCE}."
                 + (f" {drive.lsoas_missing} LSOA(s) have no figure." if drive.lsoas_missing else ""))

m = maps.base_map(maps.wkb_bounds(geo["geom_web"]), tiles=tiles)
legends = []
if layer != "none":
    legends.append(maps.add_lsoa_choropleth(m, area_lsoas, layer))
maps.add_outline(m, geo["geom_web"], area.label)
legends.append(maps.add_practices(m, practices))
add_place_labels(m, practices, dict(zip(data.areas("lad")["code"], data.areas("lad")["name"], strict=True)))

left, right = st.columns([3, 1])
with left:
    st_folium(m, height=560, use_container_width=True, returned_objects=[], key="overview_map")
with right:
    show_legends(legends, note="Circle area is proportional to registered patients.")
if h.practices_location_estimated or h.practices_unlocated:
    st.info(f"{h.practices_location_estimated} practice(s) placed at their postcode sector's centre (estimate: "
            f"postcode not in Code-Point Open); {h.practices_unlocated} not placed at all.")

if layer == "ahah_gp_minutes" or drive.share == drive.share:
    st.caption(f"Drive time to a GP: {AHAH_SOURCE}; GP locations of 2022, so practices opened or closed since are "
               f"not reflected. {AHAH_ATTRIBUTION}."
               + (" Connectivity: MHCLG English Indices of Deprivation 2025, File 8 (DfT transport connectivity "
                  "metric, 0–100; OGL v3)." if layer == "connectivity_score" else ""))

tab_p, tab_pcn = st.tabs(["Practices", f"PCN sizes against {summary.PCN_FLOOR:,}–{summary.PCN_CEILING:,}"])
with tab_p:
    table = practices.assign(pct_65=100 * practices["patients_65plus"] / practices["patients"])
    st.dataframe(
        table[["practice_code", "practice_name", "pcn_name", "patients", "pct_65", "postcode", "site_id",
               "practice_imd2025_score", "location_source"]],
        column_config={
            "practice_code": "ODS code", "practice_name": "Practice", "pcn_name": "PCN",
            "patients": st.column_config.NumberColumn("Registered patients", format="localized"),
            "pct_65": st.column_config.NumberColumn("Aged 65+ (%)", format="%.1f"),
            "postcode": "Postcode", "site_id": "Site",
            "practice_imd2025_score": st.column_config.NumberColumn("IMD 2025 score (practice)", format="%.1f"),
            "location_source": "Location from",
        },
        hide_index=True, width="stretch", height=420,
    )
with tab_pcn:
    sizes = summary.pcn_sizes(practices, data.pcn_table())
    trends = data.pcn_trends(tuple(sizes["pcn_code"]), summary.PCN_FLOOR, summary.PCN_CEILING)
    sizes = sizes.merge(trends[["pcn_code", "observed_rate", "trend", "leaves_band_year", "not_in_every_edition"]],
                        on="pcn_code", how="left").assign(observed_rate=lambda d: 100 * d["observed_rate"])
    counts = sizes["status"].value_counts()
    st.markdown(f"**{counts.get('within', 0)}** within the band, **{counts.get('below', 0)}** below "
                f"{summary.PCN_FLOOR:,}, **{counts.get('above', 0)}** above {summary.PCN_CEILING:,} "
                "(whole-PCN registered lists).")
    st.dataframe(
        sizes,
        column_config={
            "pcn_code": "PCN code", "pcn_name": "PCN", "practices_in_area": "Practices here",
            "practices": "Practices (all)",
            "patients": st.column_config.NumberColumn("Registered patients", format="localized"),
            "status": "Against the band",
            "gap": st.column_config.NumberColumn("Patients outside the band", format="localized"),
            "trend": "Trend (projection)",
            "observed_rate": st.column_config.NumberColumn("Observed growth a year, like for like (%)",
                                                           format="%+.1f"),
            "leaves_band_year": st.column_config.NumberColumn("Leaves the band in about", format="%d"),
            "not_in_every_edition": "Practices not in every edition",
        },
        # the trend beside the band status, where a planner reads across (the table scrolls sideways at 1366 px)
        column_order=["pcn_name", "patients", "status", "trend", "leaves_band_year", "observed_rate", "gap",
                      "practices_in_area", "practices", "pcn_code", "not_in_every_edition"],
        hide_index=True, width="stretch",
    )
    area_t, england_t, eds = data.area_growth(area.area_type, area.code)
    st.caption(trend_caption(area_t, england_t, eds))

show_where_patients_live(practices)

show_provenance()
