#!/usr/bin/env bash
# Install Locality Planner into .venv (Python packages) and its map assets (npm), idempotently.
# Usage: bash scripts/setup.sh [dev]
set -euo pipefail
cd "$(dirname "$0")/.."
reqs=requirements.txt
[ "${1:-}" = "dev" ] && reqs=requirements-dev.txt

# A Python of at least 3.12: python3 if new enough, else python3.13 or python3.12 on the PATH
# (pyenv's shims included), else tell the user what to install.
new_enough() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
find_python() {
  local candidate version
  for candidate in python3 python3.13 python3.12; do
    command -v "$candidate" >/dev/null 2>&1 && new_enough "$candidate" && { command -v "$candidate"; return; }
  done
  if command -v pyenv >/dev/null 2>&1; then  # a pyenv shim answers only for the selected version
    for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])' | sort -rV); do
      candidate="$(pyenv root)/versions/$version/bin/python3"
      new_enough "$candidate" && { echo "$candidate"; return; }
    done
  fi
  return 1
}
if [ -x .venv/bin/python ] && ! new_enough .venv/bin/python; then
  echo "The .venv was made with $(.venv/bin/python --version 2>&1); remaking it with Python 3.12+ ..."
  rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
  python="$(find_python)" || {
    echo "Locality Planner needs Python 3.12 or newer (python3, python3.13 or python3.12 on the PATH)." >&2
    echo "Install one, e.g. 'sudo apt-get install python3.12-venv' or 'pyenv install 3.12', then run this again." >&2
    exit 1
  }
  echo "Making .venv with $("$python" --version 2>&1) ($python) ..."
  "$python" -m venv .venv
fi
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
