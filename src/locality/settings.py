"""Paths and settings shared by the CLI, the engines and the app."""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
SOURCES_CONFIG = PACKAGE_DIR / "sources.toml"

#: British National Grid, the CRS every computation uses.
BNG = "EPSG:27700"
#: WGS84 longitude/latitude, used only at the edge for web maps.
WGS84 = "EPSG:4326"


def data_dir() -> Path:
    """Return the project's ``data/`` directory."""
    return PROJECT_DIR / "data"


def store_path() -> Path:
    """Return the DuckDB store's path (``LOCALITY_STORE`` overrides it)."""
    env = os.environ.get("LOCALITY_STORE")
    return Path(env) if env else data_dir() / "locality.duckdb"


@lru_cache(maxsize=1)
def source_config() -> dict:
    """Return the parsed ``sources.toml`` (file catalogue and attribution)."""
    with open(SOURCES_CONFIG, "rb") as fh:
        return tomllib.load(fh)


def source_keys(optional: bool = False) -> list[str]:
    """Return the keys of the raw source files the build needs, in catalogue order.

    With ``optional=True``, also those it loads only when present (``optional = true``).
    """
    return [k for k, v in source_config().items()
            if isinstance(v, dict) and "path" in v and (optional or not v.get("optional", False))]


def optional_source_file(raw_dir: Path, key: str) -> Path | None:
    """Return the first present file of optional source ``key`` (its ``path``, then ``also``), or None."""
    cfg = source_config()[key]
    for rel in [cfg["path"], *cfg.get("also", [])]:
        if (raw_dir / rel).is_file():
            return raw_dir / rel
    return None


def attribution_statements() -> list[str]:
    """Return the attribution statements the app must show."""
    return list(source_config()["attribution"]["statements"])


def raw_dir_candidates() -> list[Path]:
    """Return the raw-data directories in lookup order."""
    out = []
    env = os.environ.get("LOCALITY_RAW_DIR")
    if env:
        out.append(Path(env))
    out.append(data_dir() / "raw")
    out.append(PROJECT_DIR.parent / "shared" / "data" / "raw")
    return out


def _holds_all(directory: Path) -> bool:
    return all((directory / source_config()[k]["path"]).is_file() for k in source_keys())


def find_raw_dir() -> Path | None:
    """Return the first raw-data directory that holds every source file, or None.

    Lookup order: ``LOCALITY_RAW_DIR``, then ``data/raw/``, then ``../shared/data/raw/``.
    When ``LOCALITY_RAW_DIR`` is set it is used even if incomplete, so that the
    reader reports exactly which file is missing.
    """
    env = os.environ.get("LOCALITY_RAW_DIR")
    if env:
        return Path(env)
    for cand in raw_dir_candidates():
        if cand.is_dir() and _holds_all(cand):
            return cand
    return None


def source_file(raw_dir: Path, key: str) -> Path:
    """Return the path of source ``key`` inside ``raw_dir``."""
    return raw_dir / source_config()[key]["path"]


# --- pages
#: The Localities page runs the grouping on opening an area of at most this many practices (larger
#: areas wait for the Run button); default 400.
AUTO_RUN_MAX_PRACTICES = 400
#: The most practices Hubs & estates appraises at once ("Whole area" beyond it asks for a smaller
#: choice: the p-median bound and the maps get slow); default 120.
SITES_MAX_PRACTICES = 120

# --- site solver (locality.sites.pmedian)
#: Below this many combinations of k sites, every combination is tried (a proven optimum); default 20,000.
PMEDIAN_ENUMERATE_LIMIT = 20_000
#: Subgradient iterations of the Lagrangian lower bound per k; default 600.
PMEDIAN_BOUND_ITERATIONS = 600
#: Seconds the Lagrangian lower bound may take per k (None: no wall-clock limit, so that the same
#: inputs give the same sites and gap however busy the machine is; the iterations bound it);
#: default None.
PMEDIAN_BOUND_SECONDS: float | None = None
#: The relative gap at which the Lagrangian bound stops improving; default 0.0001 (0.01%).
PMEDIAN_TARGET_GAP = 1e-4
#: Seconds HiGHS may take on the capacitated model per k; default 30.
HIGHS_TIME_LIMIT_S = 30.0
#: The MIP gap at which HiGHS stops on the capacitated model; default 0.0001 (0.01%).
HIGHS_MIP_GAP = 1e-4

# --- grouping search budgets
# How hard the grouping search (locality.grouping.partition.SearchBudget) tries on each connected
# part of an area. Larger numbers search longer; changing any of them can change the groups.
#: Restarts per number of groups tried (alternately spanning-tree bisection and region growing); default 6.
GROUPING_RESTARTS = 6
#: Simulated-annealing moves per node in each restart; default 400.
GROUPING_ITERS_PER_NODE = 400
#: Largest part (in sites, or locked sets of sites) the exhaustive proof is tried on; default 40.
GROUPING_EXHAUSTIVE_MAX_NODES = 40
#: Subset expansions after which the exhaustive proof stops, unproven; default 300,000.
GROUPING_EXHAUSTIVE_BUDGET = 300_000
#: Random spanning trees tried for each cut of the bisection start; default 8.
GROUPING_BISECT_TREES = 8
#: Greedy repair moves at most, per restart; default 100,000.
GROUPING_REPAIR_STEPS = 100_000
#: Compactness passes at most, per restart; default 4.
GROUPING_POLISH_PASSES = 4
#: Restarts of the lighter re-run that only minimises the excess once a fit is proven impossible; default 2.
GROUPING_EXCESS_RESTARTS = 2
#: Annealing moves per node in that lighter re-run (which skips the exhaustive proof); default 150.
GROUPING_EXCESS_ITERS_PER_NODE = 150

# --- least-change repair of today's PCNs (locality.grouping.repair)
#: Largest connected part (in sites, or locked sets of sites) solved exactly, every site free to take
#: every PCN, so that the fewest moves are proven; default 80.
REPAIR_EXACT_MAX_UNITS = 80
#: In larger parts a site may join only the PCNs held within this many steps of it; default 2.
REPAIR_LOCAL_HOPS = 2
#: Seconds HiGHS may take on one part's least-change model, contiguity cuts included; default 120. When it
#: stops at this limit the repair is the best found, with its lower bound, and may differ between machines.
REPAIR_TIME_LIMIT_S = 120.0
#: Branch-and-bound nodes for the second model, which prefers compactness among repairs with the fewest
#: moves (a budget of work, not time, so the result is the same on any machine; 0 skips it); default 300.
REPAIR_POLISH_NODES = 300
