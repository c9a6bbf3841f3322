#!/usr/bin/env bash
# Install what is needed, build the national store if it is missing, and start the dashboard.
# Usage: bash run.sh [extra streamlit options, e.g. --server.port 8502]
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
store="${LOCALITY_STORE:-data/locality.duckdb}"
# build when the store is missing, or was built by a release that read another schema
if ! .venv/bin/python -c "import sys; from locality import store; store.connect(sys.argv[1]).close()" "$store" 2>/dev/null; then
  if ! .venv/bin/python -c "import sys; from locality.settings import find_raw_dir; sys.exit(find_raw_dir() is None)"; then
    echo "No raw-data directory found: downloading the open data into data/raw ..."
    .venv/bin/python -m locality fetch
  fi
  .venv/bin/python -m locality build
fi
exec .venv/bin/streamlit run app.py "$@"
