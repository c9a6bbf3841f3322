#!/usr/bin/env bash
# Install Locality Planner into .venv (Python packages) and its map assets (npm), idempotently.
# Usage: bash scripts/setup.sh [dev]
set -euo pipefail
cd "$(dirname "$0")/.."
reqs=requirements.txt
[ "${1:-}" = "dev" ] && reqs=requirements-dev.txt

python3 -m venv .venv 2>/dev/null || [ -x .venv/bin/python ]
stamp=".venv/.installed-$(cat requirements.txt "$reqs" pyproject.toml | sha256sum | cut -c1-16)-${1:-run}"
if [ ! -f "$stamp" ]; then
  echo "Installing Python packages ($reqs) into .venv ..."
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r "$reqs"
  .venv/bin/python -m pip install --quiet --no-deps -e .
  touch "$stamp"
fi

if [ ! -f node_modules/leaflet/dist/leaflet.js ] || [ ! -f node_modules/jquery/dist/jquery.min.js ]; then
  echo "Installing the map assets (Leaflet, jQuery) from the npm registry ..."
  npm ci --no-audit --no-fund --loglevel=error
fi
.venv/bin/python -m locality assets >/dev/null
