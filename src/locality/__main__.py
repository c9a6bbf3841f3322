"""Entry point for ``python -m locality``."""

import sys

from locality.cli import main

sys.exit(main())
