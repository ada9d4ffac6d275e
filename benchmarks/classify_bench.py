"""Classification benchmark: microseconds of CPU per tweet to find its roles, on real text.

The cold ranking's largest part is classifying every tweet once (``graph.classify``). The
benchmark community's texts are short (51 characters on average) and made from templates,
so half of a page repeats a text already matched, which the classifier matches once; real
support traffic does not repeat itself (the TWCS head: 4,993 distinct texts in 5,000, 107
characters on average). This measures both, per tweet, in one process:

* real: the TWCS head's texts (``../shared/realdata``), with their language given as English
  (one list of phrases) and as unknown (every list at once: TWCS has no language field);
* benchmark: a 20,000-tweet page of the benchmark community (``--db``, made by
  ``rank_bench.py``), as the classifier reads it;
* the floor: reading each real text once (``str.casefold``), the least any matcher does.

Median of ``--repeat`` runs, CPU time (``time.process_time``) beside wall. ``--root DIR``
measures another checkout of the project (e.g. the code before a change) with this Python.

    python benchmarks/classify_bench.py [--repeat 3] [--db URL] [--root DIR]
"""

from __future__ import annotations

import argparse
import csv
import inspect
import sqlite3
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TWCS = HERE.parent.parent / "shared" / "realdata" / "twcs-head-monalisapatra26" / "twcs.csv"


def timed(fn, repeat: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--db", default=str(HERE / "out" / "brand-1370000.db"),
                    help="a SQLite file of the benchmark community (rank_bench.py makes it)")
    ap.add_argument("--root", type=Path, default=HERE.parent)
    args = ap.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    from graph.classify import _roles_of
    from graph.roles import RoleMatcher
    from settings import load_settings

    matcher = RoleMatcher(load_settings(str(args.root / "champions.toml")).phrases)
    if not TWCS.is_file():
        sys.exit(f"the real data is not at {TWCS}")
    with TWCS.open(encoding="utf-8", newline="") as fh:
        texts = [r["text"] for r in csv.DictReader(fh) if r["text"]]
    cases = {
        "real (TWCS), English": [(i, t, "original", "en", False) for i, t in enumerate(texts)],
        "real (TWCS), language unknown": [(i, t, "original", None, False)
                                          for i, t in enumerate(texts)],
        # Every real text as a reply to a customer: the help model reads each (the most it
        # ever reads; real traffic has a few percent such replies).
        "real (TWCS), each read by the model": [(i, t, "reply", "en", True)
                                                for i, t in enumerate(texts)],
    }
    if Path(args.db).is_file():
        conn = sqlite3.connect(args.db)
        cases["benchmark community page"] = [tuple(r) for r in conn.execute(
            "SELECT t.id, t.text, t.kind, t.lang, t.kind = 'reply' AND NOT EXISTS (SELECT 1 FROM"
            " tweets p JOIN users u ON u.id = p.author_id WHERE p.id = t.in_reply_to_tweet_id"
            " AND u.is_brand) FROM tweets t ORDER BY t.id LIMIT 20000 OFFSET 500000")]
        conn.close()
    print(f"code: {args.root.resolve()}; {len(texts):,} real texts, "
          f"{sum(map(len, texts)) / len(texts):.0f} characters on average")
    wall, cpu = timed(lambda: [t.casefold() for t in texts], args.repeat)
    floor = cpu / len(texts) * 1e6
    print(f"  {'floor (casefold each real text)':34} {wall / len(texts) * 1e6:7.2f} us wall "
          f"{floor:7.2f} us CPU a tweet")
    # (Since 2026-11-27 the fix links come as a set of ids beside the page, and since
    # 2026-12-02 a help model reads replies to customers; ``--root`` may be a checkout from
    # before either.)
    params = len(inspect.signature(_roles_of).parameters)
    if params == 4:
        from graph import helpmodel

        model = helpmodel.load_model()

        def classify(part):
            model._sums.clear()  # each run from cold: no reading kept from the one before
            getattr(helpmodel, "_WORD_GRAMS", {}).clear()
            return _roles_of(matcher, part, set(), model)
    elif params == 3:
        def classify(part):
            return _roles_of(matcher, [r[:4] for r in part], set())
    else:
        def classify(part):
            return _roles_of(matcher, [(*r[:4], False) for r in part])
    for name, part in cases.items():
        wall, cpu = timed(lambda: classify(part), args.repeat)
        print(f"  {name:34} {wall / len(part) * 1e6:7.2f} us wall {cpu / len(part) * 1e6:7.2f}"
              f" us CPU a tweet ({cpu / len(part) * 1e6 / floor:.0f}x the floor)")


if __name__ == "__main__":
    main()
