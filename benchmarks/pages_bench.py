"""Page benchmark: render time of each dashboard page (AppTest, warm cache) on the 1M-tweet
demo database that ``benchmarks/rank_bench.py`` builds and ranks.

    python benchmarks/pages_bench.py [--db benchmarks/out/demo-1000000.db] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

PAGES = ["pages/leaderboard.py", "pages/person.py", "pages/fixes.py", "pages/network.py",
         "pages/outreach.py", "pages/health.py"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=HERE / "out" / "demo-1000000.db")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db} not found: run benchmarks/rank_bench.py first")
    os.environ["CHAMPIONS_DB_URL"] = f"sqlite:///{args.db.resolve()}"
    from streamlit.testing.v1 import AppTest

    from store.db import make_engine

    t = time.perf_counter()
    make_engine(os.environ["CHAMPIONS_DB_URL"]).dispose()  # builds any missing index
    print(f"database {args.db.name} ({args.db.stat().st_size / 1e6:.0f} MB) ready in "
          f"{time.perf_counter() - t:.1f} s")
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.run()
        t = time.perf_counter()
        at.switch_page(page).run()
        cold = time.perf_counter() - t
        if at.exception:
            sys.exit(f"{page}: {at.exception[0].value}")
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t)
        print(f"{page:<22} cold {cold:6.2f} s   warm median {statistics.median(times):.3f} s "
              f"(min {min(times):.3f}, max {max(times):.3f})", flush=True)


if __name__ == "__main__":
    main()
