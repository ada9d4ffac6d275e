"""The benchmark community (``ingest demo --shape brand``) is shaped like a real brand's: many
people, most of them occasional, unlike the compact demo whose planted cast is most of it."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

from ingest.demo import DemoSpec, generate_demo


def _authors(path) -> Counter:
    seen: Counter = Counter()
    for line in path.open("rb"):
        for t in json.loads(line)["data"]:
            seen[t["author_id"]] += 1
    return seen


def test_brand_shape_has_many_occasional_people(tmp_path):
    n = 30_000
    demo, brand = tmp_path / "demo.jsonl", tmp_path / "brand.jsonl"
    truth_demo = generate_demo(demo, DemoSpec(n, 7, today=date(2026, 11, 1)))
    truth = generate_demo(brand, DemoSpec(n, 7, today=date(2026, 11, 1), shape="brand"))
    a, b = _authors(demo), _authors(brand)
    # Several times the people for the same number of tweets: about one per nine tweets.
    assert len(b) > 2 * len(a) and len(b) > n / 12
    # Most authors wrote a handful of tweets; in the demo most are regulars.
    assert sum(1 for c in b.values() if c <= 5) > 0.6 * len(b)
    assert sum(1 for c in a.values() if c <= 5) < 0.5 * len(a)
    # Casual helpers (one or two answers each) outnumber the planted champions many times.
    casual = len(truth["distractors"]["casual"])
    assert casual >= n // 65 and casual > 10 * len(truth["champions"])
    assert len(truth_demo["distractors"]["casual"]) < casual / 5
