"""Dashboard benchmark: in real Chromium, the time until the leaderboard's first champion is
visible, on a fresh server (cold) and on a second load (warm), and the time a person link sent to
a fresh server takes to show their score; against a floor measured in the same run: a one-line
Streamlit page, cold and warm, on the same machine and browser.

For each of ``--repeat`` rounds: start ``streamlit run app.py`` (headless, 127.0.0.1) on the
database, open the leaderboard in a new browser context (empty HTTP cache) and time from the
start of navigation to the first moment the top-ranked username is in the page text (cold);
then open it again in a second tab of that context (warm, as a user's reload). The floor does
the same with ``st.title`` on a trivial page. Times are the page's own clock
(``performance.now()`` at the animation frame the text appears in), so Playwright's polling adds
nothing. Every load also records each sidebar menu entry that was ever drawn: the menu must
never show module names (``app``, ``common``, ...), not even for a frame.

    python benchmarks/dashboard_bench.py [--db sqlite:///benchmarks/out/demo-small.db] [--repeat 3]
    python benchmarks/dashboard_bench.py --db sqlite:////tmp/big1m.db
    python benchmarks/dashboard_bench.py --shots docs/screenshots/startup   # frames of a cold start

Without ``--db`` it builds the default demo (``python -m ingest demo``, 20k tweets) under
``benchmarks/out`` and ranks it. Prints each round, then the medians (goal: warm < 2 s, cold
< 5 s) and the wall time of the whole benchmark.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
# The menu app.py draws, and the observer that records every entry ever drawn: the browser
# test's, so the benchmark checks what the test checks.
from tests.test_browser import MENU, WATCH_MENU  # noqa: E402

SEEN = """
(want) => document.body && document.body.innerText.includes(want) ? performance.now() : null
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(script: Path, cwd: Path, env: dict[str, str]):
    """A fresh ``streamlit run script``; yields (base URL, seconds until it answered)."""
    port = _free_port()
    t = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false"],
        cwd=cwd, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - t > 120:
                    sys.exit(f"streamlit run {script} did not start")
                time.sleep(0.05)
        yield base, time.perf_counter() - t
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:  # a session still closing: it has been measured
            proc.kill()
            proc.wait()


def visible_after(page, url: str, want: str, shots: Path | None = None) -> tuple[float, set]:
    """Seconds from the start of navigation to ``want`` being in the page text; and the sidebar
    menu entries drawn on the way."""
    page.add_init_script(WATCH_MENU)
    page.goto(url, wait_until="commit")
    if shots is not None:  # frames of the start, about every 100 ms, for the eye
        from playwright.sync_api import Error as PlaywrightError

        shots.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        n = 0
        while time.perf_counter() - start < 4 and not page.evaluate(SEEN, want):
            at = page.evaluate("performance.now()")
            try:
                page.screenshot(path=str(shots / f"{n:02d}-{at:05.0f}ms.png"))
            except PlaywrightError:  # nothing painted yet
                pass
            n += 1
            page.wait_for_timeout(60)
    got = page.wait_for_function(SEEN, arg=want, polling="raf", timeout=180_000)
    ms = got.json_value()
    menu = set(page.evaluate("Array.from(window.__menu || [])")) - {""}
    return ms / 1000, menu


def top_champion(url: str) -> str:
    from graph import results
    from store.db import make_engine

    engine = make_engine(url)
    try:
        run = results.latest_run(engine)
        if run is None:
            sys.exit(f"{url}: no ranking run (python -m graph rank --db {url})")
        rows = results.leaderboard(engine, run["id"], limit=1)
        if not rows or not rows[0]["username"]:
            sys.exit(f"{url}: the latest run names no champion")
        return rows[0]["username"]
    finally:
        engine.dispose()


def default_demo() -> str:
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    db = out / "demo-small.db"
    url = f"sqlite:///{db}"
    if not db.exists():
        for args in (["ingest", "demo", "--out", str(out / "demo-small"), "--db", url],
                     ["graph", "rank", "--db", url]):
            subprocess.run([sys.executable, "-m", *args], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
    return url


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="database URL (default: the demo, built under benchmarks/out)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--shots", type=Path,
                    help="also save frames of the first cold start here, ~every 100 ms")
    args = ap.parse_args()
    wall = time.perf_counter()
    url = args.db or default_demo()
    top = top_champion(url)
    from playwright.sync_api import sync_playwright

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; database {url}; "
          f"waiting for @{top}", flush=True)
    rows: dict[str, list[float]] = {k: [] for k in ("floor cold", "floor warm", "start",
                                                    "cold", "warm", "link")}
    stray: set[str] = set()
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
        trivial = Path(tmp) / "floor.py"
        trivial.write_text('import streamlit as st\nst.title("Floor page")\n')
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        for i in range(args.repeat):
            with server(trivial, Path(tmp), {}) as (base, _):
                ctx = browser.new_context(viewport={"width": 1400, "height": 900})
                rows["floor cold"].append(visible_after(ctx.new_page(), base, "Floor page")[0])
                rows["floor warm"].append(visible_after(ctx.new_page(), base, "Floor page")[0])
                ctx.close()
            with server(ROOT / "app.py", ROOT, {"CHAMPIONS_DB_URL": url}) as (base, started):
                ctx = browser.new_context(viewport={"width": 1400, "height": 900})
                shots = args.shots if i == 0 else None
                cold, menu1 = visible_after(ctx.new_page(), base, f"@{top}", shots)
                warm, menu2 = visible_after(ctx.new_page(), base, f"@{top}")
                ctx.close()
            # A person link sent to a fresh server (its first request names a page: Streamlit's
            # legacy pages/ mode runs that page, which hands over to app.py): until the
            # person's score components show. ?u= is read by every version of the page.
            with server(ROOT / "app.py", ROOT, {"CHAMPIONS_DB_URL": url}) as (base, _):
                ctx = browser.new_context(viewport={"width": 1400, "height": 900})
                link, menu3 = visible_after(ctx.new_page(), f"{base}/person?u={top}",
                                            "Score, component by component")
                ctx.close()
            rows["start"].append(started)
            rows["cold"].append(cold)
            rows["warm"].append(warm)
            rows["link"].append(link)
            seen = menu1 | menu2 | menu3
            stray |= seen - set(MENU)
            print(f"round {i + 1}: floor cold {rows['floor cold'][-1]:.2f} s, warm "
                  f"{rows['floor warm'][-1]:.2f} s | server up in {started:.1f} s | first "
                  f"champion cold {cold:.2f} s, warm {warm:.2f} s | person link on a fresh "
                  f"server {link:.2f} s | menu seen: {', '.join(sorted(seen)) or '(none)'}",
                  flush=True)
        browser.close()
    med = {k: statistics.median(v) for k, v in rows.items()}
    print(f"median of {args.repeat}: first champion visible cold {med['cold']:.2f} s "
          f"(goal < 5), warm {med['warm']:.2f} s (goal < 2); floor (trivial page) cold "
          f"{med['floor cold']:.2f} s, warm {med['floor warm']:.2f} s; over the floor: cold "
          f"+{med['cold'] - med['floor cold']:.2f} s, warm +{med['warm'] - med['floor warm']:.2f}"
          f" s; a person link on a fresh server {med['link']:.2f} s; server start "
          f"{med['start']:.1f} s")
    print("module names in the menu: " + (", ".join(sorted(stray)) if stray else "none"))
    print(f"wall time {time.perf_counter() - wall:.0f} s")


if __name__ == "__main__":
    main()
