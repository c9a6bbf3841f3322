"""Sites: which of a set of practices' premises to keep, and what follows (travel, capacity, estate released)."""

from locality.sites.problem import (
    CONDITION_SCORE,
    DEMAND_KINDS,
    REGISTER_FIELDS,
    WITHIN,
    SiteInstance,
    SitesError,
    apply_travel_matrix,
    appraise,
    area_released_text,
    assumption_rows,
    build_instance,
    capacities,
    nearest_kept_distance,
    read_travel_matrix,
    within_label,
)

__all__ = ["CONDITION_SCORE", "DEMAND_KINDS", "REGISTER_FIELDS", "WITHIN", "SiteInstance", "SitesError",
           "apply_travel_matrix", "appraise", "area_released_text", "assumption_rows", "build_instance",
           "capacities", "nearest_kept_distance", "read_travel_matrix", "within_label"]
