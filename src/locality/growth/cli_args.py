"""The command line's planning-year arguments (``--year N`` on ``group`` and ``sites``) and their printout."""

from __future__ import annotations

import argparse

import pandas as pd

from locality.growth.need import PATIENTS_PER_GP, GpNeed
from locality.growth.planning import DEMAND_AT, PlanningYear


def add_year_arguments(parser: argparse.ArgumentParser, grouping: bool = False) -> None:
    """Add ``--year``, ``--growth``, ``--patients-per-gp`` (+ source) and, for grouping, ``--for-year``."""
    parser.add_argument("--year", type=int, help="planning year: read the results at 1 July of year N (projected)")
    parser.add_argument("--growth", choices=list(DEMAND_AT), default="trend",
                        help="with --year: demand at the year is today's lists, or today's plus the observed trend "
                             "(default)")
    parser.add_argument("--patients-per-gp", type=float,
                        help=f"registered patients per full-time GP for GP need (default {PATIENTS_PER_GP:,.0f}, "
                             "HUDU via DLUHC Fact Sheet 4, 2023; needs --patients-per-gp-source)")
    parser.add_argument("--patients-per-gp-source", default="", help="where --patients-per-gp comes from")
    parser.add_argument("--housing", metavar="NAME|FILE",
                        help="with --year and --growth housing|both: a housing trajectory (a saved one's name, or a "
                             ".csv/.xlsx file in the template's columns)")
    parser.add_argument("--people-per-home", type=float, help="new residents per home (default 2.4, ONS Census "
                                                               "2021; needs --people-per-home-source)")
    parser.add_argument("--people-per-home-source", default="", help="where --people-per-home comes from")
    parser.add_argument("--illustrative", action="store_true",
                        help="label the housing trajectory illustrative (not a real plan) in every output")
    if grouping:
        parser.add_argument("--for-year", action="store_true",
                            help="with --year: group on the year's projected lists (default: group on today's "
                                 "and read the groups at the year)")


def plan_from_args(args: argparse.Namespace, con=None) -> PlanningYear | None:
    """Return the planning year the arguments ask for, or None without ``--year``.

    Raises
    ------
    LocalityError
        ``--for-year`` or ``--patients-per-gp`` without ``--year``; a figure without its source.
    """
    from locality.errors import LocalityError

    if args.year is None:
        if getattr(args, "for_year", False) or args.patients_per_gp is not None:
            raise LocalityError("--for-year and --patients-per-gp need --year N.")
        return None
    need = GpNeed() if args.patients_per_gp is None else GpNeed(args.patients_per_gp, args.patients_per_gp_source)
    housing = _housing(args, con) if args.housing else None
    if housing is not None and args.growth in ("today", "trend"):
        raise LocalityError(f"--housing is used with --growth housing or both (not {args.growth}).")
    return PlanningYear(args.year, args.growth, need, housing)


def _housing(args: argparse.Namespace, con):
    """Return the ``--housing`` trajectory: a file read by the checked reader, or a saved one by name."""
    from pathlib import Path

    from locality.errors import LocalityError
    from locality.growth.housing import Housing, PeoplePerHome
    from locality.sources.housing import read_trajectory
    from locality.store import userdata

    pph = PeoplePerHome() if args.people_per_home is None else PeoplePerHome(args.people_per_home,
                                                                             args.people_per_home_source)
    path = Path(args.housing)
    if path.suffix.lower() in (".csv", ".xlsx", ".xlsm"):
        if not path.is_file():
            raise LocalityError(f"--housing {args.housing}: no such file.")
        frame = read_trajectory(path.read_bytes(), path.name, con)
        return Housing.from_frame(path.stem, frame, pph, args.illustrative)
    frame = userdata.load_trajectory(args.housing)
    if frame.empty:
        raise LocalityError(f"--housing {args.housing}: no saved housing trajectory has that name.")
    return Housing.from_frame(args.housing, frame, pph, args.illustrative)


def outlook_lines(outlook: pd.DataFrame, method: str, need_label: str, for_year: bool) -> list[str]:
    """Return the printed lines of a grouping read at a planning year."""
    year_col = "patients_at_year"
    lines = [f"  planning year (projection): {method}",
             f"  {'grouped on the year' + chr(39) + 's projected lists' if for_year else 'grouped on today' + chr(39) + 's lists'}; "
             f"{need_label}"]
    for r in outlook.itertuples():
        flag = "  ← leaves the band" if r.leaves_band else ""
        homes = f" (+{r.housing_residents:,.0f} from housing, {r.gp_from_housing:.1f} GPs)" if r.housing_residents else ""
        lines.append(f"  {r.group}: {r.patients_now:>8,.0f} now ({r.status_now}), {getattr(r, year_col):>8,.0f} at the "
                     f"year ({r.status_at_year}){homes}; GPs {r.gp_now:.1f} → {r.gp_at_year:.1f}{flag}")
    return lines
