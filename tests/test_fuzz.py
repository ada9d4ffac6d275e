"""Fuzzing every reader with real records made hostile: an import never aborts, and each record
either loads or is rejected with a reason naming ``file:line`` (``file:item N`` in an archive).

Real lines, pages, archive items and CSV rows from ../shared/realdata are mutated (types
flipped, ids and counts past 64 and 32 bits, impossible dates, huge and NUL-bearing text,
truncation, random bytes) and loaded with ``import_files`` on SQLite and PostgreSQL. Unchanged
lines in the same file must still load. Examples are derandomised so CI is repeatable; set
``CHAMPIONS_FUZZ_RANDOM=1`` for fresh ones and ``CHAMPIONS_FUZZ_EXAMPLES=N`` for more.
"""

from __future__ import annotations

import copy
import csv
import gzip
import io
import itertools
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from ingest.files import import_files
from ingest.status import collect_status
from tests.conftest import REALDATA

EXAMPLES = int(os.environ.get("CHAMPIONS_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                derandomize=not os.environ.get("CHAMPIONS_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

TWARC = "twarc-csv/test-data/"
ARCHIVE = "x-archive-andreruffert/data/"


# --- seeds: real records of every format ------------------------------------------------------

def _lines(rel: str) -> list[bytes]:
    path = REALDATA / rel
    if not path.exists():
        pytest.skip(f"real data not found: {path}")
    return [ln for ln in path.read_bytes().splitlines() if ln.strip()]


def _seeds() -> dict[str, list]:
    twarc2 = []
    for name in sorted((REALDATA / TWARC).glob("*.jsonl")):
        # Pages under 50 KB (flattened tweets, single pages, stream lines, compliance events)
        # keep each example fast; the big pages are the same structures repeated.
        for ln in _lines(TWARC + name.name):
            if len(ln) < 50_000:
                try:
                    twarc2.append(json.loads(ln))
                except ValueError:  # the stream file's own cut line: a seed for nothing
                    pass
    v1 = [json.loads(ln) for ln in
          _lines("tweet_parser/test/tweet_payload_examples/original_format_examples.json")]
    v1 += json.loads((REALDATA / "twitter-to-sqlite/tests/tweets.json").read_bytes())
    raw = (REALDATA / ARCHIVE / "tweets.js").read_text(encoding="utf-8")
    archive = json.loads(raw[raw.index("["):])[:300]
    rows = list(csv.reader(io.StringIO(
        (REALDATA / "twcs-kaggle-sample/sample.csv").read_text(encoding="utf-8"))))
    return {"twarc2": twarc2, "v1": v1, "archive": archive, "twcs": rows}


SEEDS: dict[str, list] = {}


def seeds(fmt: str) -> list:
    if not SEEDS:
        if not (REALDATA / TWARC).exists():
            pytest.skip(f"real data not found: {REALDATA}")
        SEEDS.update(_seeds())
    return SEEDS[fmt]


# --- mutations ---------------------------------------------------------------------------------

HUGE_1E400 = "__1e400__"  # replaced by a bare 1e400 after serialising (json cannot write it)
POISON = [
    2**63, 2**64 - 1, -(2**63) - 1, 10**30, 1e20, -1, 0, 3.5, HUGE_1E400,
    "99999999999999999999999", "1e400", "-5", "", "0",
    "not-a-date-at-all-Z", "2021-13-45T99:99:99.000Z", "Tue Feb 31 25:61:00 +0000 2017",
    "0000-00-00T00:00:00.000Z", {"nested": {"id": 1}}, [1, "2", None], None, True, False,
    "x" * 60_000, "a\u0000b", "\u202e\u200b", "@" * 200, "https://" + "h" * 300 + ".example/",
]
INTERESTING = re.compile(r"(^|_)(id|id_str|created_at|count|text|full_text|username|"
                         r"screen_name|name|description|lang|url|expanded_url|type)s?$")


def _paths(obj, prefix=()):
    """Every (container, key) in a JSON value, depth first."""
    out = []
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) \
        else ()
    for k, v in items:
        out.append((obj, k, prefix + (k,)))
        out.extend(_paths(v, prefix + (k,)))
    return out


value_strategy = st.one_of(
    st.sampled_from(POISON),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def mutate_json(data, obj):
    """Change 1-4 places in ``obj`` (in place): a poison value, a deleted key, often on the
    fields the normal form cares about (ids, times, counts, text)."""
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        paths = _paths(obj)
        if not paths:
            return
        keyed = [p for p in paths if isinstance(p[1], str) and INTERESTING.search(p[1])]
        pool = keyed if keyed and data.draw(st.booleans(), label="targeted") else paths
        container, key, _ = pool[data.draw(st.integers(0, len(pool) - 1), label="where")]
        if isinstance(container, dict) and data.draw(st.integers(0, 9), label="delete") == 0:
            del container[key]
        else:
            # A copy: the poison list's own lists and dicts must never be mutated in place.
            container[key] = copy.deepcopy(data.draw(value_strategy, label="value"))


def dump(obj) -> bytes:
    raw = json.dumps(obj, ensure_ascii=False).replace(f'"{HUGE_1E400}"', "1e400")
    return raw.encode("utf-8", "surrogatepass")


def mutate_bytes(data, line: bytes) -> bytes:
    how = data.draw(st.sampled_from(["truncate", "insert", "flip", "random"]), label="raw")
    at = data.draw(st.integers(0, max(len(line) - 1, 0)), label="at")
    if how == "truncate":
        return line[:at]
    if how == "insert":
        return line[:at] + data.draw(st.binary(min_size=1, max_size=8), label="bytes") + line[at:]
    if how == "flip" and line:
        return line[:at] + bytes([line[at] ^ 0x5A]) + line[at + 1:]
    return data.draw(st.binary(max_size=200), label="random line").replace(b"\n", b" ")


def json_lines(data, fmt: str) -> tuple[list[bytes], list[object]]:
    """Lines of a JSONL file: real records, some mutated. Returns the lines and the
    unchanged seeds (which must load)."""
    pool = seeds(fmt)
    lines, clean = [], []
    for _ in range(data.draw(st.integers(1, 5), label="lines")):
        obj = json.loads(json.dumps(pool[data.draw(st.integers(0, len(pool) - 1),
                                                   label="seed")]))
        kind = data.draw(st.sampled_from(["clean", "json", "json", "json", "bytes"]),
                         label="kind")
        if kind == "clean":
            clean.append(obj)
            lines.append(dump(obj))
        elif kind == "json":
            mutate_json(data, obj)
            lines.append(dump(obj))
        else:
            lines.append(mutate_bytes(data, dump(obj)).replace(b"\n", b" "))
    return lines, clean


def write(data, path: Path, body: bytes) -> Path:
    """The file as it is, or gzipped (read through the same bounded stream)."""
    if data.draw(st.integers(0, 3), label="gzip") == 0:
        path = path.with_name(path.name + ".gz")
        body = gzip.compress(body, 1)
    path.write_bytes(body)
    return path


# --- what must hold after every import ---------------------------------------------------------

COUNTER = itertools.count()
RECORDS: dict[str, int] = {}  # records read per format, for the report (-s shows it)


def check_import(engine, path: Path, fmt: str, location: str) -> set[int]:
    """Import ``path``; it must not raise, every reject must name the file and a line or item,
    and the number of rejects must match. Returns the stored tweet ids."""
    res = import_files(engine, None, [path], fmt, log=lambda m: None)
    RECORDS[fmt] = RECORDS.get(fmt, 0) + res.counts.records
    for failure in res.failed:  # only "every record rejected" fails a whole file here
        assert "records were rejected when read as" in failure, failure
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT location, reason FROM rejected_records"
                                 " WHERE location LIKE :p"), {"p": f"{path}%"}).all()
    assert len(rows) == res.counts.rejected
    for loc, reason in rows:
        assert re.fullmatch(re.escape(str(path)) + location, loc), loc
        assert reason.strip()
    with engine.connect() as conn:
        return {r[0] for r in conn.execute(text("SELECT id FROM tweets"))}


def final_checks(engine) -> None:
    """The database stays usable: status works and every stored time is a time."""
    collect_status(engine, days=30)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            bad = conn.execute(text(
                "SELECT created_at FROM tweets WHERE created_at IS NOT NULL AND created_at NOT"
                " GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9]*'"
            )).all()
            assert not bad, bad[:3]


def _id(obj, *keys):
    for k in keys:
        if isinstance(obj, dict) and obj.get(k) is not None:
            return int(obj[k])
    return None


# --- one test per reader, each on SQLite and PostgreSQL ----------------------------------------

@FUZZ
@given(data=st.data())
def test_fuzz_twarc2(engine, tmp_path, data):
    lines, clean = json_lines(data, "twarc2")
    path = write(data, tmp_path / f"f{next(COUNTER)}.jsonl", b"\n".join(lines) + b"\n")
    stored = check_import(engine, path, "twarc2", r":\d+")
    for obj in clean:  # a real page or tweet between hostile ones still loads
        ids = ([int(t["id"]) for t in obj["data"] if "text" in t]
               if isinstance(obj.get("data"), list) else
               [int(obj["data"]["id"])] if isinstance(obj.get("data"), dict) else
               [int(obj["id"])] if "text" in obj and "author_id" in obj else [])
        assert set(ids) <= stored


@FUZZ
@given(data=st.data())
def test_fuzz_v1(engine, tmp_path, data):
    if data.draw(st.booleans(), label="array"):  # a JSON array: records are its items
        pool = seeds("v1")
        items, clean = [], []
        for _ in range(data.draw(st.integers(1, 5), label="items")):
            obj = json.loads(json.dumps(pool[data.draw(st.integers(0, len(pool) - 1),
                                                       label="seed")]))
            if data.draw(st.integers(0, 2), label="clean") == 0:
                clean.append(obj)
            else:
                mutate_json(data, obj)
            items.append(dump(obj))
        body, where = b"[" + b",\n".join(items) + b"]", r":(item )?\d+"
    else:
        lines, clean = json_lines(data, "v1")
        body, where = b"\n".join(lines) + b"\n", r":\d+"
    path = write(data, tmp_path / f"f{next(COUNTER)}.json", body)
    stored = check_import(engine, path, "v1", where)
    with engine.connect() as conn:  # a bare 1e400 makes a whole array invalid JSON
        whole = conn.execute(text("SELECT count(*) FROM rejected_records WHERE reason LIKE"
                                  " 'invalid JSON array%' AND location LIKE :p"),
                             {"p": f"{path}%"}).scalar()
    if not whole:
        for obj in clean:
            assert _id(obj, "id_str", "id") in stored


@FUZZ
@given(data=st.data())
def test_fuzz_archive(engine, tmp_path, data):
    pool = seeds("archive")
    items, clean = [], []
    for _ in range(data.draw(st.integers(1, 6), label="items")):
        obj = json.loads(json.dumps(pool[data.draw(st.integers(0, len(pool) - 1),
                                                   label="seed")]))
        if data.draw(st.integers(0, 3), label="clean") == 0:
            clean.append(obj)
        else:
            mutate_json(data, obj)
        items.append(dump(obj))
    folder = tmp_path / f"a{next(COUNTER)}"
    folder.mkdir()
    (folder / "manifest.js").write_bytes((REALDATA / ARCHIVE / "manifest.js").read_bytes())
    (folder / "tweets.js").write_bytes(b"window.YTD.tweets.part0 = [" + b",".join(items) + b"]")
    stored = check_import(engine, folder, "archive", r"/tweets\.js(:item \d+)?")
    with engine.connect() as conn:
        whole = conn.execute(text("SELECT count(*) FROM rejected_records WHERE location = :p"),
                             {"p": f"{folder}/tweets.js"}).scalar()
    if not whole:  # unless a bare 1e400 made the whole document invalid JSON, items stand alone
        for obj in clean:
            assert _id(obj.get("tweet"), "id_str", "id") in stored


CSV_POISON = ["1e400", "99999999999999999999", "-3", "3.5", "nan", "inf", "", "True", "maybe",
              "Tue Oct 31 22:10:47 +0000 20177", "not-a-date-at-all-Z", "x" * 60_000,
              "a\x00b", '"', "\r", "@" * 300, "9223372036854775808"]


@FUZZ
@given(data=st.data())
def test_fuzz_twcs(engine, tmp_path, data):
    header, *rows = seeds("twcs")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    raw_lines, clean = [], []
    for _ in range(data.draw(st.integers(1, 6), label="rows")):
        row = list(rows[data.draw(st.integers(0, len(rows) - 1), label="seed")])
        kind = data.draw(st.sampled_from(["clean", "cells", "cells", "columns", "bytes"]),
                         label="kind")
        if kind == "clean":
            clean.append(row)
        elif kind == "cells":
            for _ in range(data.draw(st.integers(1, 3), label="cells")):
                i = data.draw(st.integers(0, len(row) - 1), label="cell")
                row[i] = data.draw(st.one_of(st.sampled_from(CSV_POISON), st.text(max_size=30)),
                                   label="value")
        elif kind == "columns":
            row = row[:-1] if data.draw(st.booleans(), label="drop") else row + ["extra"]
        if kind == "bytes":
            line = io.StringIO()
            csv.writer(line, lineterminator="").writerow(row)
            raw_lines.append(mutate_bytes(data, line.getvalue().encode()).replace(b"\n", b" "))
        else:
            writer.writerow(row)
    body = out.getvalue().encode("utf-8", "surrogatepass")
    path = write(data, tmp_path / f"t{next(COUNTER)}.csv",
                 body + b"".join(r + b"\n" for r in raw_lines))
    stored = check_import(engine, path, "twcs", r":\d+(-\d+)?")
    for row in clean:
        if "\r" not in row[4] and '"' not in row[4]:  # written back exactly as it was read
            assert -int(float(row[0])) in stored


def test_fuzzed_database_stays_usable(engine, tmp_path):
    """Poison from every format in one database: status still works, every time is a time."""
    print(f"fuzzed records read so far: {RECORDS}")
    for fmt, name in (("twarc2", "p.jsonl"), ("v1", "p.json")):
        path = tmp_path / name
        path.write_bytes(b"\n".join(dump(v) for v in (
            {"data": [{"id": "1", "author_id": "2", "text": "hi",
                       "created_at": "not-a-date-at-all-Z"}]},
            {"id_str": str(2**63), "text": "hi", "user": {"id_str": "5"}},
            {"id": str(2**64 - 1), "author_id": "2", "text": "x",
             "public_metrics": {"like_count": 10**20}},
        )) + b"\n")
        import_files(engine, None, [path], fmt, log=lambda m: None)
    final_checks(engine)
