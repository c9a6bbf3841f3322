"""Speed and objective gap: our p-median solver against spopt's PMedian, in one run.

Instances:
- real: every LSOA 2021 of sub-ICB W2U3Z (demand: Census 2021 residents) × every practice
  site in it, straight-line metres, p = 25;
- random: 1,500 demand points × 120 candidate sites in a 30 km square (seeded), p = 25.

spopt builds the full assignment MIP and solves it with HiGHS (and CBC with --cbc). The
table prints our objective (Σ demand × distance, so a change to the solver shows) and proven gap
(Lagrangian bound, iteration-bounded so the same inputs give the same result however busy the
machine is), then the solver status, the number of sites spopt opened and the objective difference
(ours minus spopt's MIP objective, in %).

Usage: pip install -r bench/requirements.txt; python bench/sites_vs_spopt.py [--cbc] [--skip-random]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

from locality import store
from locality.sites.pmedian import solve_uncapacitated

warnings.filterwarnings("ignore")


def real_instance(code="W2U3Z"):
    con = store.connect()
    lsoa = con.execute("SELECT centroid_e, centroid_n, residents FROM lsoa WHERE sub_icb_code = ?", [code]).df()
    sites = con.execute("SELECT DISTINCT site_id, easting, northing FROM practice WHERE sub_icb_code = ? AND "
                        "easting IS NOT NULL ORDER BY site_id", [code]).df()
    cost = np.hypot(lsoa["centroid_e"].to_numpy()[:, None] - sites["easting"].to_numpy()[None, :],
                    lsoa["centroid_n"].to_numpy()[:, None] - sites["northing"].to_numpy()[None, :])
    return f"real {code}", cost, lsoa["residents"].to_numpy(dtype=float)


def random_instance(n=1500, m=120, seed=0):
    rng = np.random.default_rng(seed)
    pts = rng.uniform(0, 30_000, (n, 2))
    sites = rng.uniform(0, 30_000, (m, 2))
    cost = np.hypot(pts[:, None, 0] - sites[None, :, 0], pts[:, None, 1] - sites[None, :, 1])
    return f"random {n}x{m}", cost, rng.integers(50, 3000, n).astype(float)


def spopt_solve(cost, demand, p, solver_name):
    import pulp
    from spopt.locate import PMedian

    solver = pulp.HiGHS(msg=False) if solver_name == "HiGHS" else pulp.PULP_CBC_CMD(msg=False)
    t = time.perf_counter()
    model = PMedian.from_cost_matrix(cost, demand, p_facilities=p)
    model.solve(solver)
    secs = time.perf_counter() - t
    chosen = [v for v in model.fac_vars if (v.value() or 0) > 0.5]
    status = pulp.LpStatus[model.problem.status]
    obj = float(pulp.value(model.problem.objective))
    return secs, obj, len(chosen), status


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--p", type=int, default=25)
    ap.add_argument("--cbc", action="store_true", help="also run spopt with CBC (slow)")
    ap.add_argument("--skip-random", action="store_true")
    args = ap.parse_args()
    instances = [real_instance()] + ([] if args.skip_random else [random_instance()])
    print(f"{'instance':>18} {'n x m':>10} | {'ours s':>7} {'objective':>16} {'gap %':>6} | {'peer':>12} {'peer s':>8} "
          f"{'status':>10} {'sites':>5} {'obj diff %':>10} | ratio")
    for name, cost, demand in instances:
        ours = solve_uncapacitated(cost, demand, args.p)
        for solver in ["HiGHS"] + (["CBC"] if args.cbc else []):
            secs, obj, n_open, status = spopt_solve(cost, demand, args.p, solver)
            diff = 100 * (ours.objective - obj) / obj
            print(f"{name:>18} {cost.shape[0]:>4}x{cost.shape[1]:<5} | {ours.seconds:>7.2f} {ours.objective:>16,.0f} "
                  f"{100 * ours.gap:>6.3f} | "
                  f"{'spopt ' + solver:>12} {secs:>8.1f} {status:>10} {n_open:>5} {diff:>10.3f} | "
                  f"{secs / ours.seconds:.0f}x", flush=True)


if __name__ == "__main__":
    main()
