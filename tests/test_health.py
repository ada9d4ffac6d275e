"""Ingestion health fits the data: live X API data is compared with now, imported history is
judged on its own dates (and says so), the chart spans the data's dates, run summaries read
plainly, and the demo (made relative to today) opens healthy."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone

import orjson
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from ingest import cli
from ingest.demo import DemoSpec, generate_demo
from ingest.status import RUN_COLUMNS, run_rows
from store.db import bind_time, make_engine, utcnow
from tests.conftest import ROOT, realdata

APP = str(ROOT / "app.py")


def _status(url: str, capsys, *extra: str) -> dict:
    capsys.readouterr()
    assert cli.main(["status", "--json", "--db", url, *extra]) == 0
    return json.loads(capsys.readouterr().out)


def _plain(markdown: str) -> str:
    """An alert as the reader sees it (the page escapes Markdown in it)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _health_page(url: str, monkeypatch) -> AppTest:
    import streamlit as st

    st.cache_data.clear()  # the status is cached for 30 s per database URL
    monkeypatch.setenv("CHAMPIONS_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/health.py").run()
    assert not at.exception
    return at


def _page_text(at: AppTest) -> list[str]:
    return [_plain(e.value) for kind in ("error", "warning", "info", "caption", "markdown")
            for e in getattr(at, kind)]


def _chart(at: AppTest) -> dict:
    [spec] = [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]
    return spec


def _runs_table(at: AppTest):
    [table] = [df.value for df in at.dataframe if "command" in df.value.columns]
    return table


def test_imported_twcs_history_is_judged_on_its_own_dates(db_url, capsys, monkeypatch):
    """The TWCS head (tweets from 2011 to 2017-12-03, nearly all from October and November
    2017), imported with `ingest file`: no "days ago" alarm, a note that it is judged by its
    own dates, and a chart over those dates."""
    path = realdata("twcs-head-monalisapatra26/twcs.csv")
    assert cli.main(["file", str(path), "--db", db_url]) == 0
    s = _status(db_url, capsys)
    assert s["mode"] == "history" and s["judged_against"] == "2017-12-03"
    assert s["last_tweet_at"].startswith("2017-12-03") and s["first_tweet_at"].startswith("2011")
    # The window is the data's: it ends on its last day, and a stray 2011 reply does not
    # stretch it over six years; the tweets left before it are few and counted.
    assert s["window_end"] == "2017-12-03" and "2017-09-01" < s["window_start"] < "2017-10-31"
    assert s["tweets_per_day"]["2017-10-31"] > 3000
    assert sum(s["tweets_per_day"].values()) + s["tweets_before_window"] == 5000
    assert 0 < s["tweets_before_window"] <= 50
    assert list(s["tweets_per_day"])[0] == s["window_start"]
    levels = {a["level"] for a in s["alerts"]}
    assert "error" not in levels
    assert not any("days ago" in a["text"] for a in s["alerts"])
    assert any(a["level"] == "info" and "judged on its own dates, not against today" in a["text"]
               for a in s["alerts"])
    assert s["days_since_brand_mention"] == 0  # measured from the data's last day
    # The monitoring keys of earlier versions are all still there.
    for key in ("tweets", "users", "stub_users", "brand_users", "interactions", "rejected",
                "last_tweet_at", "tweets_per_day", "quiet_days", "tweets_per_day_by_source",
                "last_brand_mention_at", "days_since_brand_mention", "runs",
                "rejected_records"):
        assert key in s
    capsys.readouterr()
    assert cli.main(["status", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "imported history, judged on its own dates" in out and "days ago" not in out

    at = _health_page(db_url, monkeypatch)
    assert not at.error
    shown = _page_text(at)
    assert any("judged on its own dates, not against today" in t for t in shown)
    assert not any("days ago" in t for t in shown)
    spec = _chart(at)
    x, y = spec["encoding"]["x"], spec["encoding"]["y"]
    end = (date.fromisoformat(s["window_end"]) + timedelta(days=1)).isoformat()
    assert x["scale"]["domain"] == [s["window_start"], end]
    assert y["axis"]["format"] == ",d" and y["axis"]["tickMinStep"] == 1  # no "0.000000"
    runs = _runs_table(at)
    assert list(runs.columns) == RUN_COLUMNS
    assert runs.iloc[0]["source"] == "twcs.csv" and runs.iloc[0]["new tweets"] == 5000
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", runs.iloc[0]["when"])
    assert not runs.isna().any().any() and "None" not in runs.astype(str).to_numpy()


def test_live_source_whose_x_runs_stopped_alarms_against_now(db_url, tmp_path, capsys,
                                                               monkeypatch):
    """Tweets fetched by a real (replayed) `ingest x` run are live data: compared with now.
    Their mentions are years old, so that alarms at once; when the runs stop too (the run
    moved nine days back), that alarms as well, on the page and in `ingest status`."""
    from tests.test_x_api import FakeTime, make_server, run_x
    from tests.xreplay import ReplayServer

    with ReplayServer() as server:
        make_server(server)
        assert run_x(db_url, tmp_path, server, FakeTime()) == 0
    s = _status(db_url, capsys)
    assert s["mode"] == "live" and s["judged_against"] == utcnow().date().isoformat()
    errors = [a["text"] for a in s["alerts"] if a["level"] == "error"]
    assert not any(e.startswith("X API runs have stopped") for e in errors)  # it just ran
    last = datetime.fromisoformat(s["live"]["last_brand_mention_at"])
    days = (utcnow().date() - last.date()).days
    assert days > 365
    assert (f"Mentions of the support handles have stopped arriving: the last was {days} "
            "days ago") in " ".join(errors)

    engine = make_engine(db_url)
    then = utcnow() - timedelta(days=9, minutes=5)
    with engine.begin() as conn:
        conn.execute(text("UPDATE ingest_runs SET started_at = :a, finished_at = :b"), {
            "a": bind_time(engine.dialect.name, then),
            "b": bind_time(engine.dialect.name, then + timedelta(minutes=1))})
    engine.dispose()
    s = _status(db_url, capsys)
    errors = [a["text"] for a in s["alerts"] if a["level"] == "error"]
    assert any(e.startswith("X API runs have stopped: the last one started 9 days ago")
               for e in errors), errors
    assert s["live"]["hours_since_run"] >= 9 * 24
    capsys.readouterr()
    assert cli.main(["status", "--db", db_url]) == 0
    assert "error: X API runs have stopped" in capsys.readouterr().out

    at = _health_page(db_url, monkeypatch)
    shown = [_plain(e.value) for e in at.error]
    assert any(e.startswith("X API runs have stopped: the last one started 9 days ago")
               for e in shown), shown
    assert any(e.startswith(f"Mentions of the support handles have stopped arriving: the last "
                            f"was {days} days ago") for e in shown), shown
    # The live window ends today, and is what the chart shows.
    spec = _chart(at)
    assert spec["encoding"]["x"]["scale"]["domain"][1] == (
        utcnow().date() + timedelta(days=1)).isoformat()


def test_fresh_demo_is_healthy(tmp_path, capsys, monkeypatch):
    """`python -m ingest demo` writes tweets up to the start of today (UTC): the health page
    and `ingest status` open with no error and no warning."""
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert cli.main(["demo", "--size", "tiny", "--out", str(tmp_path / "demo"),
                     "--db", url]) == 0
    today = datetime.now(timezone.utc).date()
    s = _status(url, capsys)
    assert s["mode"] == "history"
    assert [a for a in s["alerts"] if a["level"] != "info"] == []
    assert s["window_end"] == (today - timedelta(days=1)).isoformat()
    assert s["quiet_days"] == []
    # Fresh against today as well, not only against its own last day.
    assert (today - date.fromisoformat(s["last_brand_mention_at"][:10])).days <= 1

    at = _health_page(url, monkeypatch)
    assert not at.error and not at.warning
    assert any("judged on its own dates" in t for t in _page_text(at))


def _tweets(path) -> list[dict]:
    return [t for line in path.read_bytes().splitlines() for t in orjson.loads(line)["data"]]


def test_demo_is_the_same_for_a_seed_and_day_and_moves_with_the_day(tmp_path):
    a, b, c = (tmp_path / f"{n}.jsonl" for n in "abc")
    generate_demo(a, DemoSpec(3000, 7, today=date(2026, 10, 31)))
    generate_demo(b, DemoSpec(3000, 7, today=date(2026, 10, 31)))
    truth = generate_demo(c, DemoSpec(3000, 7, today=date(2026, 11, 10)))
    assert a.read_bytes() == b.read_bytes()
    assert truth["today"] == "2026-11-10"
    # Another day: the same community, every tweet ten days later (t.co links are made from
    # the tweet ids, which hold the time).
    old, new = _tweets(a), _tweets(c)

    def said(t: dict) -> tuple[str, str]:
        return t["author_id"], re.sub(r"https://t\.co/\w+", "<link>", t["text"])

    assert [said(t) for t in old] == [said(t) for t in new]
    shift = {datetime.fromisoformat(n["created_at"].replace("Z", "+00:00"))
             - datetime.fromisoformat(o["created_at"].replace("Z", "+00:00"))
             for o, n in zip(old, new)}
    assert shift == {timedelta(days=10)}
    assert max(t["created_at"] for t in new) < "2026-11-10T00:00:00"
    assert max(t["created_at"] for t in new) > "2026-11-09T00:00:00"
    # The default day is today, UTC.
    assert DemoSpec().end() == datetime.combine(datetime.now(timezone.utc).date(),
                                                datetime.min.time(), tzinfo=timezone.utc)


def test_run_summaries_are_readable():
    runs = [
        {"id": 3, "command": "x", "source": "x:AcmeHelp,AcmeAyuda", "status": "running",
         "started_at": "2026-11-20 10:15:42.123456", "finished_at": None, "duration_s": None,
         "counts": None, "error": None},
        {"id": 2, "command": "file", "source": "/data/in/twcs.csv /data/in/more.jsonl",
         "status": "failed", "started_at": "2026-11-20 09:00:05", "finished_at":
         "2026-11-20 09:01:10.5", "duration_s": 65.5, "counts": None,
         "error": "ValueError: bad header\nTraceback (most recent call last): ..."},
        {"id": 1, "command": "demo", "source": "data/demo/acme-20000-seed7.jsonl",
         "status": "ok", "started_at": "2026-11-19 08:00:00", "finished_at":
         "2026-11-19 08:00:03", "duration_s": 3.2,
         "counts": {"tweets_new": 20001, "rejected": 0, "tweets_present": 1}, "error": None},
    ]
    rows = run_rows(runs)
    assert [list(r) for r in rows] == [RUN_COLUMNS] * 3
    assert rows[0] == {"when": "2026-11-20 10:15", "command": "x",
                       "source": "X API: @AcmeHelp, @AcmeAyuda", "status": "running",
                       "new tweets": 0, "rejected": 0, "duration": "running", "error": ""}
    assert rows[1]["source"] == "twcs.csv, more.jsonl" and rows[1]["duration"] == "1 min 06 s"
    assert rows[1]["error"] == "ValueError: bad header"
    assert rows[2]["new tweets"] == 20001 and rows[2]["duration"] == "3 s"
    assert not any(v is None for r in rows for v in r.values())
