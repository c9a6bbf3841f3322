"""Command-line interface: ``python -m locality <command>``."""

from __future__ import annotations

import argparse
import json
import sys

from locality.errors import LocalityError


def _cmd_build(args) -> int:
    from pathlib import Path

    from locality.build import build_store

    build_store(Path(args.raw_dir) if args.raw_dir else None, Path(args.out) if args.out else None)
    return 0


def _cmd_info(args) -> int:
    from locality import store

    con = store.connect(args.store)
    data = store.info(con)
    if args.json:
        print(json.dumps(data))
    else:
        for k, v in data.items():
            print(f"{k:>28}: {v:,}" if isinstance(v, int) else f"{k:>28}: {v}")
    return 0


def _cmd_fetch(args) -> int:
    from locality.fetch import fetch_all

    fetch_all(dest=args.dest, mirror=args.mirror, only=args.only, force=args.force)
    return 0


def _cmd_assets(args) -> int:
    from locality.assets import install_map_assets

    print(install_map_assets())
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    p = argparse.ArgumentParser(prog="python -m locality", description="Locality Planner command line")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build data/locality.duckdb from the raw files (atomic)")
    b.add_argument("--raw-dir", help="raw-data directory (default: LOCALITY_RAW_DIR, data/raw, ../shared/data/raw)")
    b.add_argument("--out", help="store path (default: data/locality.duckdb or LOCALITY_STORE)")
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
    f.set_defaults(func=_cmd_fetch)

    a = sub.add_parser("assets", help="install the Leaflet map assets the app serves itself")
    a.set_defaults(func=_cmd_assets)

    args = p.parse_args(argv)
    try:
        return args.func(args)
    except LocalityError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
