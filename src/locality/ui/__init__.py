"""Streamlit helpers shared by the pages (widgets, cached loaders). Engines never import this."""
