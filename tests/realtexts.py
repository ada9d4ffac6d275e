"""Every real text under ../shared/realdata, for counting how general a phrase is.

Tweets (TWCS stretches and sample, twarc2 pages, v1.1 JSON, the X archive) and the labelled
public sets (Reddit comments, sarcasm tweets, tweet acts, support-forum posts). Each text is
yielded once, with the name of its source."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

__all__ = ["real_texts"]

csv.field_size_limit(1 << 24)


def _json_texts(obj, out: list[str]) -> None:
    """Every tweet text in a decoded v1.1 / v2 payload (``text`` or ``full_text`` keys)."""
    if isinstance(obj, dict):
        for key in ("full_text", "text"):
            value = obj.get(key)
            if isinstance(value, str) and ("id" in obj or "id_str" in obj):
                out.append(value)
                break
        for value in obj.values():
            if isinstance(value, (dict, list)):
                _json_texts(value, out)
    elif isinstance(obj, list):
        for value in obj:
            _json_texts(value, out)


def real_texts(root: Path) -> Iterator[tuple[str, str]]:
    """(source, text) for every real text under ``root`` (``../shared/realdata``)."""
    for rel in ("twcs-head-monalisapatra26/twcs.csv", "twcs-slice-mdakram2002/twcs_dev.csv",
                "twcs-kaggle-sample/sample.csv"):
        with (root / rel).open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                yield rel, row["text"]
    seen: set[str] = set()
    for path in sorted((root / "twarc-csv" / "test-data").glob("*.json*")) + sorted(
            (root / "tweet_parser").rglob("*.json")) + [
            root / "twitter-to-sqlite" / "tests" / "tweets.json"]:
        raw = path.read_text(encoding="utf-8")
        found: list[str] = []
        try:
            _json_texts(json.loads(raw), found)
        except json.JSONDecodeError:
            for line in raw.splitlines():
                if line.strip():
                    try:
                        _json_texts(json.loads(line), found)
                    except json.JSONDecodeError:
                        continue
        for t in found:
            if t not in seen:  # retweets and includes repeat the same text
                seen.add(t)
                yield path.name, t
    archive = root / "x-archive-andreruffert" / "data" / "tweets.js"
    if archive.exists():
        body = archive.read_text(encoding="utf-8")
        found = []
        _json_texts(json.loads(body[body.index("["):]), found)
        yield from (("x-archive", t) for t in found)
    lab = root / "labelled"
    for part in ("train", "dev", "test"):
        with (lab / "goemotions/data/original" / f"{part}.tsv").open(encoding="utf-8") as fh:
            for line in fh:
                yield "goemotions", line.split("\t", 1)[0]
    for rel in ("isarcasmeval/train/train.En.csv", "isarcasmeval/test/task_A_En_test.csv"):
        with (lab / rel).open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                yield "isarcasmeval", row.get("tweet") or row.get("text") or ""
    with (lab / "tweet-acts-saha/Dataset/TWEET_DATA.csv").open(
            newline="", encoding="utf-8", errors="replace") as fh:
        for row in csv.reader(fh):
            if row:
                yield "tweet-acts", row[0]
    for rel in ("scn-dwolla-best-answer/dumps/scn/netweaver.json",
                "scn-dwolla-best-answer/dumps/scn/frontend.json"):
        found = []
        for post in json.loads((lab / rel).read_text(encoding="utf-8")):
            for key in ("text", "body", "content"):
                if isinstance(post, dict) and isinstance(post.get(key), str):
                    found.append(post[key])
                    break
        yield from (("scn", t) for t in found)
