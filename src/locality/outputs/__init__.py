"""Outputs: web maps (folium), colours, and board packs (static maps, PDF, PPTX). No Streamlit here."""
