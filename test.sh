#!/usr/bin/env bash
# Install what the tests need, then lint (ruff), type-check the engines (mypy) and run the whole test suite (pytest).
# Usage: bash test.sh [extra pytest options]
set -euo pipefail
cd "$(dirname "$0")"
# Debian's chromium (browser tests) and poppler-utils' pdftoppm (board-pack PDF renders)
if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's chromium and poppler-utils for the tests ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null
  else
    echo "The tests need /usr/bin/chromium and pdftoppm: run 'sudo apt-get install chromium poppler-utils'." >&2
  fi
fi
bash scripts/setup.sh dev
.venv/bin/ruff check .
.venv/bin/mypy
exec .venv/bin/python -m pytest -ra "$@"
