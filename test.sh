#!/usr/bin/env bash
# Install what the tests need, then lint (ruff) and run the whole test suite (pytest).
# Usage: bash test.sh [extra pytest options]
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's chromium for the browser tests ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need /usr/bin/chromium: run 'sudo apt-get install chromium'." >&2
  fi
fi
bash scripts/setup.sh dev
.venv/bin/ruff check .
exec .venv/bin/python -m pytest -ra "$@"
