"""Locality Planner: group GP practices into networks and appraise hub sites on national open data."""

__version__ = "0.1.0"
