"""Default age weights for resident demand, fitted from NHS Payments to General Practice 2022-23.

For every practice in both files, the need index (weighted ÷ registered patients, 2022-23; the
Global Sum (Carr-Hill) weighting core funding is paid on) is regressed on the practice's July
2026 age profile (share of its list in each band) by non-negative least squares: each band's
weight is the weighted patients per registered patient of that age. Prints the weights, R², a
bootstrap 95% interval (practices resampled, fixed seed), the band mapping onto Census 2021's six
bands, and the figures the store recorded at build (they must be equal: the fit is deterministic).
Also prints the practice need index's spread. Asserts nothing.

Usage: python bench/need_weights.py [--store PATH] [--boot 200]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from locality import store
from locality.demand.need import need_index
from locality.store.need_weights import BOOTSTRAP, FIT_LABELS, MAPPING, NeedFit, fit_age_weights


def main() -> None:
    """Print the fit."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", default=None)
    ap.add_argument("--boot", type=int, default=BOOTSTRAP)
    args = ap.parse_args()
    con = store.connect(args.store)
    pay = con.execute("SELECT * FROM practice_payments").df()
    if pay.empty:
        raise SystemExit("This store was built without NHS Payments to General Practice 2022-23.")
    lists = con.execute("SELECT practice_code, sex, age_band, patients FROM practice_list").df()
    t0 = time.perf_counter()
    fit = fit_age_weights(lists, pay, boot=args.boot)
    secs = time.perf_counter() - t0
    print(f"NNLS of the need index on the age profile, {fit.practices:,} practices ({secs:.1f} s, {args.boot} "
          f"bootstrap resamples)")
    print(f"R² {fit.r2:.3f}")
    for band, w in fit.weights.items():
        lo, hi = fit.interval[band]
        print(f"  {FIT_LABELS[band]:>6}: {w:.3f}  (95% interval {lo:.3f}–{hi:.3f})")
    print(f"Bands: {MAPPING}.")
    stored = NeedFit.from_meta(store.meta(con))
    if stored is not None:
        same = all(abs(stored.weights[b] - fit.weights[b]) < 1e-5 for b in fit.weights)
        print(f"Stored at build: {'identical' if same else 'DIFFERENT'} (R² {stored.r2:.3f})")
    idx = need_index(pay)
    q = np.percentile(idx, [10, 50, 90])
    print(f"Practice need index (weighted ÷ registered, 2022-23): {len(idx):,} practices, 10th/50th/90th "
          f"percentile {q[0]:.3f} / {q[1]:.3f} / {q[2]:.3f}; {int((pay['registered_patients'] <= 0).sum())} "
          "practices with no registered patients have none")


if __name__ == "__main__":
    main()
