"""How long each page's map stays blank: navigation to the first Leaflet vector path, in headless Chromium.

For Overview, Localities and Hubs & estates (East Berkshire, Ascot PCN), on a freshly started app
(cold: the page's queries and engines run for the first time) and on a second visit (warm: cached),
the script prints

- navigation → the map's frame attached, and → its first vector path (``path.leaflet-interactive``);
- the blank frame: frame attached → first path (Leaflet and the GeoJSON loading in the frame).

The named peer is Streamlit's own floor: the Scenarios page (no map, no engine) from navigation to
its heading; each page's warm time is printed as a ratio to it. The script also times the Hubs
page's weights sensitivity (500 draws) against the former one-draw-at-a-time loop.

    python bench/map_first_paint.py [--store data/locality.duckdb] [--port 8613] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from load import ARGS, CHROMIUM, serve  # noqa: E402  (the load bench's server and browser settings)

PAGES = {"Overview": "/", "Localities": "/localities", "Hubs & estates": "/hubs"}
STATE = """() => { const f = document.querySelector("iframe[title='streamlit_folium.st_folium']");
  if (!f) return [false, 0]; let p = 0;
  try { p = f.contentDocument.querySelectorAll('path.leaflet-interactive').length; } catch (e) { p = 0; }
  return [true, p]; }"""


def first_paint(page, url: str, timeout_s: float = 300) -> tuple[float, float]:
    """Return (seconds to the map's frame, seconds to its first vector path) from navigation."""
    t0 = time.perf_counter()
    page.goto(url)
    framed = None
    while time.perf_counter() - t0 < timeout_s:
        has_frame, paths = page.evaluate(STATE)
        now = time.perf_counter() - t0
        if has_frame and framed is None:
            framed = now
        if paths:
            return framed if framed is not None else now, now
        time.sleep(0.03)
    raise AssertionError(f"{url}: the map never drew")


def floor(page, url: str, timeout_s: float = 120) -> float:
    """Return the seconds from navigation to the Scenarios page's heading (no map): Streamlit's own floor."""
    t0 = time.perf_counter()
    page.goto(url + "/scenarios")
    page.locator("h1").first.wait_for(timeout=timeout_s * 1000)
    return time.perf_counter() - t0


def sensitivity_ratio(samples: int = 500) -> tuple[float, float]:
    """Time the sensitivity check on a five-option table: (all draws at once, one draw at a time) in seconds."""
    import numpy as np
    import pandas as pd

    from locality.sites.appraisal import scores, sensitivity

    rng = np.random.default_rng(0)
    o = pd.DataFrame({"k": range(1, 6), "mean_travel": rng.uniform(500, 3000, 5), "p90_travel": rng.uniform(1e3, 6e3, 5),
                      "within_2km": rng.uniform(20, 90, 5), "sites_released": [4, 3, 2, 1, 0],
                      "cost_released_gbp": rng.uniform(0, 3e5, 5)})
    w = {"mean_travel": 5, "p90_travel": 2, "within_2km": 5, "sites_released": 5, "cost_released_gbp": 5}
    t = time.perf_counter()
    sensitivity(o, w, samples=samples)
    fast = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(samples):
        scores(o, {c: v * rng.uniform(0.8, 1.2) for c, v in w.items()})
    return fast, time.perf_counter() - t


def main() -> None:
    """Serve the app, time each page's first map paint cold and warm, print the figures and ratios."""
    from playwright.sync_api import sync_playwright

    from locality.settings import store_path

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, default=store_path())
    ap.add_argument("--port", type=int, default=8613)
    ap.add_argument("--repeat", type=int, default=3, help="warm visits per page (the median is printed)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        proc = serve(args.store, args.port, Path(tmp) / "user.duckdb")
        url = f"http://127.0.0.1:{args.port}"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                rows = []
                for name, path in PAGES.items():
                    page = browser.new_page(viewport={"width": 1440, "height": 900})
                    cold = first_paint(page, url + path)
                    warm = [first_paint(page, url + path) for _ in range(args.repeat)]
                    rows.append((name, cold, (statistics.median(w[0] for w in warm),
                                              statistics.median(w[1] for w in warm))))
                    page.close()
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                peer = statistics.median(floor(page, url) for _ in range(args.repeat))
                browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
    print(f"Map first paint on {args.store.name}, East Berkshire (1440×900; warm = median of {args.repeat}):")
    print(f"  peer: Streamlit's floor (Scenarios page, no map, to its heading): {peer:.2f} s")
    for name, cold, warm in rows:
        print(f"  {name:15s} cold: frame {cold[0]:5.2f} s, first path {cold[1]:5.2f} s (blank frame {cold[1] - cold[0]:.2f} s)"
              f" | warm: frame {warm[0]:5.2f} s, first path {warm[1]:5.2f} s (blank frame {warm[1] - warm[0]:.2f} s)"
              f" | warm / floor {warm[1] / peer:.1f}x")
    fast, slow = sensitivity_ratio()
    print(f"  Hubs weights sensitivity, 500 draws: {fast * 1000:.0f} ms at once against {slow * 1000:.0f} ms one "
          f"draw at a time (the former loop): {slow / fast:.0f}x faster")


if __name__ == "__main__":
    main()
