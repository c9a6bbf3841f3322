"""Load test: concurrent browser sessions against the app served on 127.0.0.1.

Each session (a headless Chromium context of its own, so its own Streamlit session) opens
Localities on East Berkshire, chooses its band (PCN-size 30–50k or place-based 50–70k, by turn) and a
seed of its own (so every run is computed, not served from the cache), presses Run, waits for the redrawn map, and saves a scenario under its own name with its own
sentence. The script then checks that every save landed, with the band, seed and sentence of
the session that made it, and that no session's page showed another's band or name; it prints the
p50 and p95 time from Run to the redrawn map and the server's memory (resident set size).

The named peer is the same Run → redrawn-map time for one session alone (run first).

    python bench/load.py [--sessions 10] [--store data/locality.duckdb] [--port 8611]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-quic", "--no-first-run", "--disable-sync"]
BANDS = [("PCN (30,000–50,000)", "Within 30,000–50,000", 30_000),
         ("Locality (50,000–70,000)", "Within 50,000–70,000", 50_000)]
MAP = "iframe[title='streamlit_folium.st_folium']"


def rss_mb(pid: int) -> float:
    """Return the resident memory of a process and its children, in MB."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    out = [int(k) for k in kids]
    for k in list(out):
        out += _children(k)
    return out


def serve(store: Path, port: int, user_db: Path) -> subprocess.Popen:
    """Start ``streamlit run app.py`` on 127.0.0.1:``port`` and wait until it answers."""
    env = {**os.environ, "LOCALITY_STORE": str(store), "LOCALITY_USER_DB": str(user_db)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port",
                             str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("the app did not start")


async def _map_drawn(page, min_paths: int = 8, timeout_s: float = 900) -> None:
    """Wait until the map frame holds a Leaflet map with at least ``min_paths`` vector paths."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            f = page.frame_locator(MAP).first
            if await f.locator("path.leaflet-interactive").count() >= min_paths:
                return
        except Exception:  # the frame is being replaced
            pass
        await asyncio.sleep(0.2)
    raise AssertionError("the map was not redrawn")


async def _idle(page, timeout_s: float = 900) -> None:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if await page.locator("[data-testid='stStatusWidget']").count() == 0:
            await asyncio.sleep(0.4)
            if await page.locator("[data-testid='stStatusWidget']").count() == 0:
                return
        await asyncio.sleep(0.2)
    raise AssertionError("the app was still running")


async def session(browser, url: str, i: int, tag: str) -> dict:
    """One planner: open Localities, choose a band, Run, wait for the map, save a scenario."""
    label, within, floor = BANDS[i % 2]
    name = f"load {tag} session {i:02d}"
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1800})
    page = await ctx.new_page()
    page.set_default_timeout(900_000)  # ten sessions on a small machine: waits are long, not failures
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    await page.goto(f"{url}/localities", wait_until="commit")
    await page.get_by_text("Within 30,000–50,000").first.wait_for(timeout=900_000)
    await _idle(page)
    await page.get_by_text(label).click()
    await page.get_by_role("spinbutton", name="Seed").fill(str(100 + i))  # a seed of its own: a real run, and a state to check
    await _idle(page)
    t0 = time.perf_counter()
    await page.get_by_role("button", name="Run grouping").click()
    await page.get_by_text(within).first.wait_for(timeout=900_000)
    await _map_drawn(page)
    await _idle(page)
    seconds = time.perf_counter() - t0
    body = await page.locator("body").inner_text()
    other = BANDS[(i + 1) % 2][1]
    if not await page.get_by_label("Scenario name").is_visible():
        await page.get_by_text("Save as a scenario").click()
    await page.get_by_label("Scenario name").fill(name)
    await page.locator("textarea[aria-label^='One or two sentences']").fill(f"Saved by session {i:02d}.")
    await page.get_by_role("button", name="Save scenario").click()
    await page.get_by_text(f"Saved scenario {name}").wait_for(timeout=900_000)
    own = await page.get_by_text(f"Saved scenario {name}").count()
    shown = await page.locator("body").inner_text()
    others = [j for j in range(10) if j != i and f"session {j:02d}" in shown]
    await ctx.close()
    return {"i": i, "name": name, "floor": floor, "seed": 100 + i, "seconds": seconds, "errors": errors,
            "saw_other_band": other in body and within not in body, "saved_message_ok": own >= 1 and not others,
            "traceback": "Traceback" in body}


async def run(url: str, n: int, tag: str) -> tuple[list[dict], dict]:
    """Run one session alone (the peer), then ``n`` at once."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        alone = await session(browser, url, 1, f"{tag}-alone")
        results = await asyncio.gather(*(session(browser, url, i, tag) for i in range(n)), return_exceptions=True)
        await browser.close()
    return [r if isinstance(r, dict) else {"i": i, "failed": f"{type(r).__name__}: {str(r).splitlines()[0]}"}
            for i, r in enumerate(results)], alone


def main() -> None:
    """Serve the app, run the sessions, check the saves, print the figures."""
    from locality.settings import store_path

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--store", type=Path, default=None)
    ap.add_argument("--port", type=int, default=8611)
    args = ap.parse_args()
    store = args.store or store_path()
    with tempfile.TemporaryDirectory() as tmp:
        user_db = Path(tmp) / "user.duckdb"
        proc = serve(store, args.port, user_db)
        peak = [rss_mb(proc.pid)]
        start_mb = peak[0]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                peak.append(rss_mb(proc.pid))
                time.sleep(0.5)

        threading.Thread(target=sample, daemon=True).start()
        tag = time.strftime("%H%M%S")
        t = time.perf_counter()
        try:
            results, alone = asyncio.run(run(f"http://127.0.0.1:{args.port}", args.sessions, tag))
        finally:
            stop.set()
            end_mb = rss_mb(proc.pid)
            proc.terminate()
            proc.wait(20)
        wall = time.perf_counter() - t
        os.environ["LOCALITY_USER_DB"] = str(user_db)
        from locality.store import userdata

        saved = {r.name: userdata.load_scenario(r.name) for r in userdata.scenarios().itertuples()}
    problems = [f"session {r['i']}: {r['failed']}" for r in results if "failed" in r]
    results = [r for r in results if "failed" not in r]
    for r in results:
        doc = saved.get(r["name"])
        if doc is None:
            problems.append(f"session {r['i']}: its scenario was not saved")
            continue
        g = doc["grouping"]
        if (g["floor"], g["seed"], doc["description"]) != (r["floor"], r["seed"], f"Saved by session {r['i']:02d}."):
            problems.append(f"session {r['i']}: saved another session's state: {json.dumps(doc['grouping'])}")
        if r["saw_other_band"] or not r["saved_message_ok"] or r["traceback"] or r["errors"]:
            problems.append(f"session {r['i']}: {r}")
    times = sorted(r["seconds"] for r in results) or [float("nan")]
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{args.sessions} concurrent sessions on {store.name} (East Berkshire), {wall:.0f} s in all, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"  saves landed: {sum(r['name'] in saved for r in results)}/{args.sessions}; "
          f"state mix-ups: {len(problems)}")
    print(f"  Run -> redrawn map: p50 {statistics.median(times):.1f} s, p95 {p95:.1f} s "
          f"(one session alone: {alone['seconds']:.1f} s; p50 ratio {statistics.median(times) / alone['seconds']:.1f}x)")
    print(f"  server memory (RSS): {start_mb:.0f} MB at start, peak {max(peak):.0f} MB, {end_mb:.0f} MB at the end")
    for p in problems:
        print("  PROBLEM:", p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
