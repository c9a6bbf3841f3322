"""Command-line interface: ``python -m locality <command>``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from locality.boundary import one_line_errors
from locality.errors import AssumptionError, LocalityError
from locality.vocabulary import DEMAND_METHODS

if TYPE_CHECKING:
    from locality.sites import SiteOptions


def _cmd_build(args) -> int:
    from pathlib import Path

    from locality.store.build import build_store

    build_store(Path(args.raw_dir) if args.raw_dir else None, Path(args.out) if args.out else None,
                allow_drop=args.allow_drop)
    return 0


def _cmd_info(args) -> int:
    from locality import store

    con = store.connect(args.store)
    data = store.info(con)
    if args.json:
        print(json.dumps(data))
    else:
        for k, v in data.items():
            if k == "list_editions":
                for e in v:
                    print(f"{'list edition':>28}: {e['extract_date']} {e['file']} ({e['commissioner_kind']}-coded): "
                          f"{e['practices']:,} practices, {e['patients']:,} patients")
                continue
            print(f"{k:>28}: {v:,}" if isinstance(v, int) else f"{k:>28}: {v}")
    return 0


def _cmd_fetch(args) -> int:
    from locality.store.fetch import fetch_all, fetch_roads

    if args.roads:
        fetch_roads(args.roads, dest=args.dest, mirror=args.mirror, force=args.force)
        return 0
    fetch_all(dest=args.dest, mirror=args.mirror, only=args.only, force=args.force)
    return 0


def _cmd_roads(args) -> int:
    """``roads build --pbf FILE [--name NAME]`` and ``roads list``: the built road networks."""
    from locality.travel import networks

    if args.action == "build":
        if not args.pbf:
            raise LocalityError("roads build needs --pbf FILE (an OpenStreetMap .osm.pbf extract).")
        net = networks.build_network(args.pbf, args.name)
        print(json.dumps(net.provenance) if args.json else f"{net.name}: {net.path} ({net.label()})")
        return 0
    built = networks.networks()
    if args.json:
        print(json.dumps([n.provenance for n in built]))
    for n in [] if args.json else built:
        p = n.provenance
        print(f"{n.name:<20} {p['tiles_bytes']:>12,} bytes  OSM {p.get('replication_timestamp')}  {p['pbf_file']}")
    if not built and not args.json:
        print("No road network is built: python -m locality roads build --pbf FILE")
    return 0


def _codes(text: str | None) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in (text or "").split(",") if c.strip())


def _cmd_group(args) -> int:
    from locality import store
    from locality.grouping import GroupingOptions
    from locality.grouping.area import dumps, group_areas

    opts = GroupingOptions(
        floor=args.floor, ceiling=args.ceiling, n_groups=args.groups, seed=args.seed,
        keep_pcns_whole=_codes(",".join(args.keep_pcn or [])),
        keep_together=tuple(_codes(t) for t in args.together or []),
        keep_apart=tuple(_codes(t) for t in args.apart or []),
        mode="repair" if args.repair else "fresh", minimise=args.minimise,
    )
    from locality.growth.cli_args import outlook_lines, plan_from_args

    con = store.connect(args.store)
    plan = plan_from_args(args, con)
    if args.all:
        return _group_every_area(con, opts, args)
    if not args.area and not args.practices:
        raise LocalityError("Give --area CODE[,CODE…], --practices CODE,CODE,… or --all for every sub-ICB.")
    out = group_areas(con, _codes(args.area), opts, practices=_codes(args.practices), exclude=_codes(args.exclude),
                      plan=plan, for_year=args.for_year)
    if args.csv:
        _write_text(args.csv, out.result.repair.moves.to_csv(index=False) if out.result.repair is not None
                    else out.assignment_csv())
    if args.json:
        print(dumps(out.to_json()))
        return 0
    s = out.summary()
    print(f"{out.area_name} ({out.area_code}): {s['groups']} groups of {s['floor']:,}–{s['ceiling']:,}, "
          f"{100 * s['within_bounds_share']:.0f}% within bounds, ARI vs today's PCNs {s['adjusted_rand_index']:.2f}, "
          f"{s['practices_moving']} practices move, {s['seconds']:.2f} s")
    print(f"  territory: {DEMAND_METHODS[s['demand_method']]}")
    if out.result.repair is not None:
        print(f"  {out.result.repair.headline()}")
        for m in out.result.repair.moves.itertuples():
            print(f"  > {m.reason}")
    for row in out.result.groups.itertuples():
        print(f"  {row.group}: {row.patients:>8,} patients, {row.practices:>3} practices, {row.status}")
    for e in out.result.exceptions:
        print(f"  ! {e.group} [{'forced' if e.forced else 'not proven forced'}] {e.reason}")
    if out.projection is not None and out.outlook is not None:
        print("\n".join(outlook_lines(out.outlook, out.projection.method(), out.projection.plan.need.label(),
                                      out.for_year)))
    return 0


def _write_text(path: str, text: str) -> None:
    """Write a file whole (to a temporary name renamed into place), or raise a clear error."""
    from pathlib import Path

    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    except OSError as exc:
        raise LocalityError(f"Cannot write {path}: {exc.strerror or exc}.") from None


def _group_every_area(con, opts, args) -> int:
    """``group --all``: every sub-ICB, one summary row each (CSV) and the moves (JSON)."""
    import pandas as pd

    from locality.grouping.area import dumps
    from locality.grouping.every import group_every_sub_icb

    rows, docs = [], []
    for out in group_every_sub_icb(con, opts):
        rows.append({"area": out.area_code, "name": out.area_name, **out.summary()})
        doc = {"area": out.area_code, "name": out.area_name, "summary": out.summary(),
               "exceptions": [e.as_dict() for e in out.result.exceptions]}
        if out.result.repair is not None:
            doc["moves"] = out.result.repair.moves_records()
            doc["moves_lower_bound"] = out.summary()["moves_lower_bound"]
        docs.append(doc)
        if not args.json:
            s = out.summary()
            extra = f", {out.result.repair.headline()}" if out.result.repair is not None else ""
            print(f"{out.area_code} {out.area_name}: {s['groups']} groups, {100 * s['within_bounds_share']:.0f}% "
                  f"within{extra}", flush=True)
    if args.csv:
        _write_text(args.csv, pd.DataFrame(rows).to_csv(index=False))
    if args.json:
        print(dumps({"areas": docs}))
    return 0


def _site_options(args) -> SiteOptions:
    """Return the ``sites`` command's options, refusing a source given without its figures."""
    from locality.assumptions import AgeWeights, AreaBenchmark
    from locality.errors import SitesError
    from locality.sites import Capacity, SiteOptions

    for figures, source, flags in ((args.age_weights, args.age_weights_source, "--age-weights"),
                                   (args.area_per_patient, args.area_source, "--area-per-patient")):
        if source and figures is None:
            raise AssumptionError(f"A source was given without {flags}: give the figures it is the source of.")
    if args.age_weights is not None and args.age_weights.strip().lower() == "default":
        ages = _default_age_weights(args.store)
    else:
        ages = AgeWeights.parse(args.age_weights, args.age_weights_source) if args.age_weights is not None else None
    bench = AreaBenchmark(args.area_per_patient, args.area_source) if args.area_per_patient is not None else None
    if args.keep is not None and args.keep < 1:
        raise SitesError(f"--keep must be a whole number of sites of 1 or more (got {args.keep}).")
    capacity = Capacity(args.capacity, args.rate or 0.0, args.within_capacity, args.capacity_against) \
        if args.capacity != "none" else Capacity()
    if args.capacity == "none" and (args.rate is not None or args.within_capacity):
        raise SitesError("--rate and --within-capacity need --capacity m2 or --capacity room.")
    demand = args.demand or ("registered" if args.need_index else "residents")  # resolved again once practices known
    return SiteOptions(practices=_codes(args.practices), area=args.area, demand=demand, circuity=args.circuity,
                       must_keep=_codes(args.must_keep), must_close=_codes(args.must_close), capacity=capacity,
                       keep_counts=(args.keep,) if args.keep is not None else None, age_weights=ages,
                       area_benchmark=bench, travel=args.travel, roads=args.roads, need_index=args.need_index)


def _default_age_weights(store_path):
    """Return the store's default age weights (fitted from NHS Payments 2022-23), or refuse without them."""
    from locality import store

    ages = store.default_age_weights(store.connect(store_path))
    if ages is None:
        raise AssumptionError("This store has no default age weights: it was built without NHS Payments to "
                              "General Practice 2022-23. Give your own with --age-weights and their source.")
    return ages


def _cmd_sites(args) -> int:
    from dataclasses import replace
    from pathlib import Path

    from locality import store
    from locality.commands import area_practices, load_register_arg, sites_output
    from locality.demand.registered_lsoa import default_demand_kind
    from locality.errors import SitesError
    from locality.grouping.area import dumps
    from locality.sites import appraise_sites
    from locality.sources.travel_matrix import read_travel_matrix

    opts = _site_options(args)
    con = store.connect(args.store)
    if args.area:
        opts = replace(opts, area=None, practices=area_practices(con, _codes(args.area), opts.practices))
    matrix = read_travel_matrix(Path(args.matrix).read_bytes(), Path(args.matrix).name, con) if args.matrix else None
    register = load_register_arg(con, args.register) if args.register else None
    if args.demand is None and args.age_weights is None and not args.need_index:  # the truth where it is known
        opts = replace(opts, demand=default_demand_kind(opts.practices, store.registration_coverage(con, opts.practices)))
    from locality.growth.cli_args import plan_from_args

    plan = plan_from_args(args, con)
    from locality.sites.new_build import NewBuild

    new = tuple(NewBuild.parse(t) for t in args.new_build or [])
    a = appraise_sites(con, opts, register=register, matrix=matrix, plan=plan, new_builds=new)
    if args.keep is not None and args.keep > len(a.sites):
        raise SitesError(f"--keep {args.keep}: there are only {len(a.sites)} sites.")
    out = sites_output(a, with_register=register is not None)
    if plan is not None:
        from locality.growth.area import projected_lists
        from locality.growth.planning import options_outlook

        proj = projected_lists(con, _practices_today(con, opts.practices), plan)
        out["planning_year"] = {**plan.to_dict(), "projection": True, "method": proj.method(),
                                "gp_need": plan.need.label(), "options": options_outlook(out["options"], proj)}
    if args.keep:
        u = a.unit
        out.update({k: out["options"][0].get(k) for k in ("kept", "closed", "kept_names", f"mean_travel_{u}", "gap",
                                                          "status")})
    if args.json:
        print(dumps(out))
    else:
        _print_sites(a, out)
        for line in _year_lines(out.get("planning_year")):
            print(line)
    return 0


def _practices_today(con, codes):
    """Return the appraisal's practices with today's lists (for the planning year's outlook)."""
    from locality import store

    every = store.all_practices(con)
    return every[every["practice_code"].isin(set(codes))]


def _year_lines(py: dict | None) -> list[str]:
    from locality.growth.labels import capacity_text

    if not py:
        return []
    lines = [f"  planning year {py['year']} (projection): {py['method']}", f"  {py['gp_need']}"]
    for o in py["options"]:
        cap = "" if o["busiest_site_use_at_year"] is None else f"; busiest site {o['busiest_site_use_at_year']:.0f}% " \
            f"at the year: {capacity_text(o)}"
        lines.append(f"  keep {o['k']}: GP need {o['gp_now']:.1f} now → {o['gp_at_year']:.1f} FTE{cap}")
    return lines


def _print_sites(a, out: dict) -> None:
    """Print a site appraisal for a reader: the sites by name and town, then each option."""
    from locality.sites.labels import area_released_text, people_label, travel_text

    u, opts = a.unit, a.options
    bench, ages = opts.area_benchmark, opts.age_weights
    where = "neighbourhoods (LSOAs)" if a.demand.kind == "residents" else "practice lists"
    print(f"{len(out['sites'])} sites, {out['demand_points']} {where}, {out['people']:,} {people_label(a)} "
          f"(travel: {a.travel.provenance})")
    for note in a.notes if opts.travel != "straight" else ():
        print(f"  note: {note}")
    print(f"  demand: {DEMAND_METHODS[a.demand.method]}")
    if ages:
        print(f"  age weights {ages.label()} (source: {ages.source})")
    if bench:
        print(f"  floor areas estimated at {bench.label()} (source: {bench.source})")
    if opts.capacity.used:
        print(f"  capacity {opts.capacity.label()}")
    for site in out["sites"]:
        print(f"  {site['site_id']}: {site['label']}, {site['postcode']}: {site['patients']:,.0f} registered patients")
    for o in out["options"]:
        if o.get("status") != "ok":
            print(f"  keep {o['k']}: {o['status']}")
            continue
        area = f" | {area_released_text(o)} released" if area_released_text(o) else ""
        cost, est = o.get("cost_released_gbp"), o.get("cost_released_estimated_gbp")
        if cost is not None and cost == cost:
            area += f" | £{cost:,.0f}/yr released" + (f" (£{est:,.0f} of it estimated)" if est else "")
        short_text = f" | over capacity by {o['shortfall_patients']:,.0f}" if (o.get("shortfall_patients") or 0) >= 0.5 else ""
        if "builds_new" in o:
            short_text += f" | builds new: {o['builds_new']}" + (
                f" (£{o['new_build_cost_gbp']:,.0f})" if o.get("new_build_cost_gbp") else "")
        print(f"  keep {o['k']}: {' + '.join(o['kept_names'])} | mean {travel_text(o[f'mean_travel_{u}'], u)}, "
              f"p90 {travel_text(o[f'p90_travel_{u}'], u)}{area}{short_text} | gap {100 * o['gap']:.2f}%")
    if out["capacity_shortfall"]:
        print(f"  {out['capacity_shortfall']}")


def _cmd_practices(args) -> int:
    from locality import store
    from locality.commands import practices_found
    from locality.grouping.area import dumps

    con = store.connect(args.store)
    found, heading = practices_found(con, args.query, _codes(args.area), args.outside)
    cols = ["practice_code", "practice_name", "town", "postcode", "pcn_code", "pcn_name", "patients", "match"]
    rows = found[[c for c in cols if c in found]].to_dict("records")
    if args.json:
        print(dumps({"query": args.query, "area": list(_codes(args.area)), "practices": rows}))
        return 0
    print(heading)
    for r in rows:
        print(f"  {r['practice_code']}  {r['practice_name']}, {r.get('town') or '—'}, {r['postcode']}  "
              f"{r['pcn_name']} ({r['pcn_code']})  {r['patients']:,} registered")
    return 0


def _scenario_doc(ref: str) -> tuple[dict, str]:
    """Load a scenario by saved name, or from a scenario file (JSON) when ``ref`` is a file path."""
    from pathlib import Path

    from locality import scenarios
    from locality.store import userdata

    path = Path(ref)
    if path.suffix.lower() == ".json" and path.is_file():
        return scenarios.loads(path.read_bytes(), path.name), f"file {path}"
    return userdata.load_scenario(ref), f"saved scenario {ref!r}"


def _cmd_export(args) -> int:
    from pathlib import Path

    from locality import scenarios, store
    from locality.outputs import boardpack

    out = Path(args.out)
    if not out.parent.is_dir():
        raise LocalityError(f"{out.parent} is not a folder: create it, or choose another --out.")
    con = store.connect(args.store)
    doc, where = _scenario_doc(args.scenario)
    run = scenarios.run_scenario(con, doc)
    for note in run.notes:
        print(f"note: {note}", file=sys.stderr)
    for diff in scenarios.edition_differences(doc.get("edition"), run.edition):
        print(f"note: {diff}", file=sys.stderr)
    data, seconds = boardpack.export(con, run, args.format)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)
    print(f"{out}: {args.format.upper()} board pack of {where}, {len(data):,} bytes, rendered in {seconds:.1f} s")
    return 0


def _cmd_scenarios(args) -> int:
    from pathlib import Path

    from locality import scenarios, store
    from locality.store import userdata

    if args.action == "list":
        table = userdata.scenarios()
        if args.json:
            print(json.dumps(table.astype(str).to_dict("records")))
        else:
            for r in table.itertuples():
                print(f"{r.name:<40} {r.area:<10} lists of {r.extract_date}  saved {r.saved_at}  {r.description}")
        return 0
    if args.action == "show":
        print(scenarios.dumps(userdata.load_scenario(args.name)), end="")
        return 0
    if args.action == "delete":
        userdata.delete_scenario(args.name)
        return 0
    # import: re-run on this store, report, save
    path = Path(args.name)
    con = store.connect(args.store)
    imp = scenarios.import_scenario(con, path.read_bytes(), path.name)
    for diff in imp.edition_differences:
        print(f"data edition: {diff}")
    if imp.identical:
        print("Re-run on this store: results identical to the file's.")
    else:
        print("Re-run on this store: results differ from the file's: " + " ".join(imp.differences))
    userdata.save_scenario(imp.run.document(), replace=args.replace)
    print(f"Saved as {imp.run.doc['name']!r}.")
    return 0 if imp.identical or imp.edition_differences else 1


def _cmd_assets(args) -> int:
    from locality.outputs.assets import install_map_assets

    print(install_map_assets())
    return 0


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    from locality.growth.cli_args import add_year_arguments

    p = argparse.ArgumentParser(prog="python -m locality", description="Locality Planner command line")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build data/locality.duckdb from the raw files (atomic)")
    b.add_argument("--raw-dir", help="raw-data directory (default: LOCALITY_RAW_DIR, data/raw, ../shared/data/raw)")
    b.add_argument("--out", help="store path (default: data/locality.duckdb or LOCALITY_STORE)")
    b.add_argument("--allow-drop", action="store_true",
                   help="build even if practices or patients fall by more than 3%% against the previous store")
    b.set_defaults(func=_cmd_build)

    i = sub.add_parser("info", help="print the store's headline counts")
    i.add_argument("--json", action="store_true", help="print one JSON object")
    i.add_argument("--store", help="store path")
    i.set_defaults(func=_cmd_info)

    f = sub.add_parser("fetch", help="download the raw files from their publishers into data/raw")
    f.add_argument("--dest", help="destination directory (default: data/raw)")
    f.add_argument("--mirror", help="base URL of a mirror holding the files at their catalogue paths")
    f.add_argument("--only", nargs="*", help="source keys to fetch (default: all)")
    f.add_argument("--force", action="store_true", help="download even if the file is present")
    f.add_argument("--roads", metavar="REGION", help="download a Geofabrik OpenStreetMap extract instead, e.g. "
                                                     "england/berkshire (into data/raw/osm_geofabrik)")
    f.set_defaults(func=_cmd_fetch)

    g = sub.add_parser("group", help="group an area's practices into contiguous groups within a size band")
    g.add_argument("--area", help="sub-ICB (e.g. U2G6B), ICB, region or local authority code(s), comma-separated, "
                                  "any case")
    g.add_argument("--practices", help="group only these practice ODS codes, comma-separated (the area: their "
                                       "sub-ICBs, unless --area is given)")
    g.add_argument("--exclude", help="practice ODS codes to leave out, comma-separated (e.g. practices of PCNs "
                                     "mostly outside a local authority: see the `practices --outside` command)")
    g.add_argument("--all", action="store_true", help="every sub-ICB in England, one after another")
    g.add_argument("--repair", action="store_true",
                   help="start from today's PCNs and bring them into the band with the fewest moves")
    g.add_argument("--minimise", choices=["practices", "patients"], default="practices",
                   help="with --repair: the fewest practices (default) or patients moved")
    g.add_argument("--csv", metavar="FILE", help="also write a CSV: the moves (--repair), the assignment, or with "
                                                 "--all one row per area")
    g.add_argument("--floor", type=int, default=30_000)
    g.add_argument("--ceiling", type=int, default=50_000)
    g.add_argument("--groups", type=int, help="target number of groups")
    g.add_argument("--keep-pcn", action="append", help="PCN code(s) to keep whole (comma-separated; repeatable)")
    g.add_argument("--together", action="append", help="practice codes to keep together, comma-separated")
    g.add_argument("--apart", action="append", help="practice codes to keep apart, comma-separated")
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--json", action="store_true", help="print one JSON object: groups, exceptions, summary")
    g.add_argument("--store", help="store path")
    add_year_arguments(g, grouping=True)
    g.set_defaults(func=_cmd_group)

    si = sub.add_parser("sites", help="site-consolidation options: which k sites to keep (p-median)")
    si.add_argument("--practices", help="practice ODS codes, comma-separated")
    si.add_argument("--area", help="or every practice of an area (sub-ICB, ICB, region or local authority "
                                   "code(s), comma-separated, any case)")
    si.add_argument("--keep", type=int, help="number of sites to keep, 1 or more (default: every k)")
    si.add_argument("--register", help="an estates register: a saved register's name, or a .csv/.xlsx file (its "
                                       "sites replace the practice postcodes)")
    si.add_argument("--capacity", choices=["none", "m2", "room"], default="none",
                    help="capacity of kept sites: patients per m² of floor area, or per clinical room")
    si.add_argument("--rate", type=float, help="patients per m² (or per clinical room) with --capacity")
    si.add_argument("--within-capacity", action="store_true", help="choose only sites within capacity (HiGHS)")
    si.add_argument("--capacity-against", choices=["registered", "residents"], default="registered",
                    help="compare capacity with registered patients (default) or Census 2021 residents")
    si.add_argument("--must-keep", help="site_ids that must stay open, comma-separated")
    si.add_argument("--must-close", help="site_ids that must close, comma-separated")
    si.add_argument("--circuity", type=float, help="road ÷ straight-line distance (default: the store's factor "
                                                   "derived from IoD2019 road distances to GP surgeries)")
    si.add_argument("--demand", choices=["residents", "registered"], default=None,
                    help="residents of the catchment's LSOAs (Census 2021), or registered patients: where they "
                         "live where NHS England's patients-by-LSOA file covers the practice, else the list at "
                         "its address (default: registered when the file covers every practice, else residents)")
    si.add_argument("--age-weights", metavar="BAND=W,…",
                    help="weight residents by Census 2021 age band, e.g. 0-15=1,16-24=0.8,25-34=0.9,35-49=1,"
                         "50-64=1.3,65+=2.2 (all six bands; needs --age-weights-source), or `default`: the "
                         "weights fitted from NHS Payments to General Practice 2022-23 when the store was built")
    si.add_argument("--age-weights-source", default="", help="where the age weights come from (printed with them)")
    si.add_argument("--need-index", action="store_true",
                    help="weight registered lists by each practice's need index (weighted ÷ registered patients, "
                         "NHS Payments to General Practice 2022-23)")
    si.add_argument("--area-per-patient", type=float, metavar="M2",
                    help="estimate floor areas without a register: m² GIA per registered patient "
                         "(needs --area-source; areas are labelled estimated)")
    si.add_argument("--area-source", default="", help="where the floor-area benchmark comes from")
    si.add_argument("--matrix", help="travel-time CSV (lsoa21_code, site_id, minutes) replacing distance")
    si.add_argument("--travel", choices=["straight", "drive", "walk"], default="straight",
                    help="straight line x circuity, or drive / walk minutes on a built road network (roads build)")
    si.add_argument("--roads", help="the road network to route on (default: the smallest built one covering it)")
    si.add_argument("--json", action="store_true")
    si.add_argument("--store", help="store path")
    add_year_arguments(si)
    si.add_argument("--new-build", action="append", metavar="name=…;postcode=…;gia_m2=…;rooms=…;cost_gbp=…;source=…",
                    help="a new-build candidate (a site that does not exist yet) competing with today's premises; "
                         "repeatable; area, rooms and cost need their source")
    si.set_defaults(func=_cmd_sites)

    pr = sub.add_parser("practices", help="find practices by name, ODS code, postcode district, PCN or town")
    pr.add_argument("query", nargs="?", default="", help="e.g. Ascot, SL5, 'Ascot PCN', K81010 (blank: all of --area)")
    pr.add_argument("--area", help="only within these area code(s), comma-separated, any case")
    pr.add_argument("--outside", action="store_true",
                    help="with --area: only practices whose PCN has most of its patients outside the area")
    pr.add_argument("--json", action="store_true")
    pr.add_argument("--store", help="store path")
    pr.set_defaults(func=_cmd_practices)
    r = sub.add_parser("roads", help="road networks for drive and walk minutes: build one from an OSM extract, list")
    r.add_argument("action", choices=["build", "list"])
    r.add_argument("--pbf", help="build: an OpenStreetMap .osm.pbf extract (e.g. from download.geofabrik.de)")
    r.add_argument("--name", help="build: the network's name (default from the file name, e.g. rutland)")
    r.add_argument("--json", action="store_true", help="print the provenance as JSON")
    r.set_defaults(func=_cmd_roads)

    e = sub.add_parser("export", help="a scenario's board pack as PDF or PPTX (maps drawn from the geometry)")
    e.add_argument("--scenario", required=True, help="a saved scenario's name, or a scenario file (.json)")
    e.add_argument("--format", choices=["pdf", "pptx"], default="pdf")
    e.add_argument("--out", required=True, help="output file")
    e.add_argument("--store", help="store path")
    e.set_defaults(func=_cmd_export)

    sc = sub.add_parser("scenarios", help="saved scenarios: list, show (JSON), import a file, delete")
    sc.add_argument("action", choices=["list", "show", "import", "delete"])
    sc.add_argument("name", nargs="?", help="scenario name (show, delete) or file (import)")
    sc.add_argument("--replace", action="store_true", help="import: replace a saved scenario of the same name")
    sc.add_argument("--json", action="store_true", help="list: print JSON")
    sc.add_argument("--store", help="store path")
    sc.set_defaults(func=_cmd_scenarios)

    a = sub.add_parser("assets", help="install the Leaflet map assets the app serves itself")
    a.set_defaults(func=_cmd_assets)

    args = p.parse_args(argv)
    if getattr(args, "action", None) in ("show", "import", "delete") and not args.name:
        p.error(f"scenarios {args.action} needs a scenario name or file")
    try:
        return args.func(args)
    except LocalityError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
