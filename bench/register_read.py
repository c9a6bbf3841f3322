"""Reading an estates register of the largest allowed size (:data:`locality.sources.estates.MAX_FILE_BYTES`).

Prints the time to read and check a CSV and an XLSX register of about that size (XLSX: :data:`~locality.sources.estates.MAX_XLSX_BYTES`) against the
time to parse the same CSV with pandas alone (the named peer: ``pandas.read_csv``, no checks).

    python bench/register_read.py [STORE]
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pandas as pd

from locality import store
from locality.settings import store_path
from locality.sources import estates

HEADER = ",".join(estates.COLUMNS)
ROW = "{i},Site {i},SL5 0AE,,,K81010,650,9,leasehold,2031-03-31,B,98000,no,no"


def register_of_size(limit: int) -> bytes:
    """Return a valid register CSV just under ``limit`` bytes."""
    one = len(ROW.format(i=10**6)) + 1
    n = (limit - len(HEADER) - 1) // one
    return (HEADER + "\n" + "\n".join(ROW.format(i=10**6 + i) for i in range(n)) + "\n").encode()


def main() -> None:
    """Time the largest CSV and XLSX registers."""
    con = store.connect(Path(sys.argv[1]) if len(sys.argv) > 1 else store_path())
    data = register_of_size(estates.MAX_FILE_BYTES)
    t = time.perf_counter()
    frame = estates.read_register(data, "largest.csv", con)
    ours = time.perf_counter() - t
    t = time.perf_counter()
    pd.read_csv(io.BytesIO(data), dtype=str)
    peer = time.perf_counter() - t
    print(f"CSV  {len(data) / 1e6:.2f} MB, {len(frame):,} sites: read and checked in {ours:.2f} s; "
          f"pandas.read_csv alone {peer:.2f} s (ratio {ours / peer:.1f}x)")
    table = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    n = len(table)
    while True:  # the largest workbook under the XLSX limit
        buf = io.BytesIO()
        table.head(n).to_excel(buf, index=False)
        xlsx = buf.getvalue()
        if len(xlsx) <= estates.MAX_XLSX_BYTES:
            break
        n = int(n * estates.MAX_XLSX_BYTES / len(xlsx) * 0.98)
    t = time.perf_counter()
    frame = estates.read_register(xlsx, "largest.xlsx", con)
    ours = time.perf_counter() - t
    t = time.perf_counter()
    pd.read_excel(io.BytesIO(xlsx), dtype=str)
    peer = time.perf_counter() - t
    print(f"XLSX {len(xlsx) / 1e6:.2f} MB, {len(frame):,} sites: read and checked in {ours:.2f} s; "
          f"pandas.read_excel alone {peer:.2f} s (ratio {ours / peer:.1f}x)")


if __name__ == "__main__":
    main()
