"""Pure reader functions: formats, detection, and the archive's safety rules."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from ingest.readers import archive
from ingest.readers.detect import FormatError, detect_format, read_path
from ingest.readers.v2 import parse_page, read_jsonl
from ingest.records import MENTION_RE, Parsed, Problem, local_id, url_domain, v1_time, v2_time
from tests.conftest import REALDATA, realdata

ARCHIVE = "x-archive-andreruffert/data/"


@pytest.mark.parametrize("rel,fmt", [
    ("twarc-csv/test-data/2sets.jsonl", "twarc2"),
    ("twarc-csv/test-data/flat.jsonl", "twarc2"),
    ("twarc-csv/test-data/empty.json", "twarc2"),
    ("twarc-csv/test-data/streaming_output_with_error.jsonl", "twarc2"),
    ("twitter-to-sqlite/tests/tweets.json", "v1"),
    ("tweet_parser/test/tweet_payload_examples/original_format_examples.json", "v1"),
    (ARCHIVE + "tweets.js", "archive"),
    ("x-archive-andreruffert/data", "archive"),
    ("twcs-head-monalisapatra26/twcs.csv", "twcs"),
    ("twcs-kaggle-sample/sample.csv", "twcs"),
])
def test_detects_every_real_format(rel, fmt):
    assert detect_format(realdata(rel)) == fmt


def test_detection_refuses_what_it_cannot_read(tmp_path):
    (tmp_path / "x.csv").write_text("a,b,c\n1,2,3\n")
    (tmp_path / "x.txt").write_text("hello\n")
    with pytest.raises(FormatError, match="TWCS columns"):
        detect_format(tmp_path / "x.csv")
    with pytest.raises(FormatError, match="not a format we read"):
        detect_format(tmp_path / "x.txt")


def test_gzipped_jsonl_reads_like_the_plain_file(tmp_path):
    import gzip

    src = realdata("twarc-csv/test-data/2sets.jsonl")
    gz = tmp_path / "2sets.jsonl.gz"
    gz.write_bytes(gzip.compress(src.read_bytes()))
    _, plain = read_path(src)
    fmt, zipped = read_path(gz)
    assert fmt == "twarc2"
    assert [p.tweets for p in plain] == [p.tweets for p in zipped]


def test_note_tweet_long_post_text_wins():
    page = json.loads(realdata("twarc-csv/test-data/2sets.jsonl").read_text().splitlines()[0])
    tweet = next(t for t in page["data"] if not t.get("referenced_tweets"))
    long_text = tweet["text"] + " " + "and the rest of a long post. " * 20
    tweet["note_tweet"] = {"text": long_text, "entities": {}}
    out = parse_page(page)
    stored = next(t for t in out.tweets if t.id == int(tweet["id"]))
    assert stored.text == long_text and len(stored.text) > 280


def test_v2_retweet_gets_no_mention_edges_of_its_own():
    """A retweet copies its source's mentions; only the retweet edge belongs to the retweeter."""
    page = json.loads(realdata("twarc-csv/test-data/kpop.jsonl").read_text())
    out = parse_page(page)
    rts = {t.id for t in out.tweets if t.kind == "retweet"}
    assert rts
    assert not [e for e in out.edges if e.kind == "mention" and e.tweet_id in rts]
    rt_edges = [e for e in out.edges if e.kind == "retweet"]
    assert {e.tweet_id for e in rt_edges} == rts
    assert all(e.key_tweet_id == e.ref_tweet_id for e in rt_edges)


def test_partial_errors_are_counted():
    lines = realdata("twarc-csv/test-data/withheld.jsonl").read_bytes().splitlines()
    got = list(read_jsonl(io.BytesIO(b"\n".join(lines)), "withheld.jsonl"))
    assert sum(p.api_errors for p in got if isinstance(p, Parsed)) == 5


# --- the X archive ----------------------------------------------------------------------------

def test_archive_assignment_is_parsed_never_evaluated(tmp_path):
    evil = tmp_path / "tweets.js"
    evil.write_text('window.YTD.tweets.part0 = (function(){ require("child_process") })()')
    (tmp_path / "manifest.js").write_bytes(realdata(ARCHIVE + "manifest.js").read_bytes())
    got = list(archive.read_archive(evil))
    problems = [p for p in got if isinstance(p, Problem)]
    assert problems and "invalid JSON after the window.YTD assignment" in problems[0].reason
    assert not [p for p in got if isinstance(p, Parsed) and p.tweets]
    with pytest.raises(archive.ArchiveError, match="no window.YTD assignment"):
        archive.parse_ytd(b"alert(1); window.YTD.tweets.part0 = []", "x.js")


def _archive_zip(tmp_path: Path, with_dm: bool = True) -> Path:
    path = tmp_path / "twitter-archive.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.write(realdata(ARCHIVE + "tweets.js"), "data/tweets.js")
        zf.write(realdata(ARCHIVE + "manifest.js"), "data/manifest.js")
        zf.write(realdata(ARCHIVE + "follower.js"), "data/follower.js")
        if with_dm:
            zf.writestr("data/direct-messages.js", "window.YTD.direct_messages.part0 = [secret]")
            zf.writestr("data/account.js", "window.YTD.account.part0 = [secret]")
    return path


def test_archive_zip_reads_only_tweet_files(tmp_path, monkeypatch):
    path = _archive_zip(tmp_path)
    opened = []
    real_read = zipfile.ZipFile.read

    def spy(self, name, *a, **kw):
        opened.append(name)
        return real_read(self, name, *a, **kw)

    monkeypatch.setattr(zipfile.ZipFile, "read", spy)
    fmt, records = read_path(path)
    got = list(records)
    assert fmt == "archive"
    assert sum(len(p.tweets) for p in got if isinstance(p, Parsed)) == 1986
    assert not [p for p in got if isinstance(p, Problem)]
    assert set(opened) <= {"data/tweets.js", "data/manifest.js"}
    assert "data/direct-messages.js" not in opened and "data/account.js" not in opened


def test_lone_tweets_js_without_owner_is_explained(tmp_path):
    lone = tmp_path / "tweets.js"
    lone.write_bytes(realdata(ARCHIVE + "tweets.js").read_bytes())
    got = list(archive.read_archive(lone))
    assert len(got) == 1 and "cannot tell whose archive" in got[0].reason


def test_archive_owner_from_tweet_headers(tmp_path):
    (tmp_path / "tweets.js").write_bytes(realdata(ARCHIVE + "tweets.js").read_bytes())
    (tmp_path / "tweet-headers.js").write_bytes(realdata(ARCHIVE + "tweet-headers.js").read_bytes())
    got = [p for p in archive.read_archive(tmp_path / "tweets.js") if isinstance(p, Parsed)]
    assert {t.author_id for p in got for t in p.tweets} == {112769581}


def test_archive_note_tweet_supplies_the_long_text(tmp_path):
    raw = realdata(ARCHIVE + "tweets.js").read_text()
    entries = json.loads(raw[raw.index("["):])
    t = entries[0]["tweet"]
    long_text = t["full_text"] + " — and the long post goes on. " * 15
    note = [{"noteTweet": {"noteTweetId": "1", "createdAt": "2022-11-03T08:50:26.000Z",
                           "core": {"text": long_text}}}]
    assert v1_time(t["created_at"]) == "2022-11-03 08:50:26"
    (tmp_path / "tweets.js").write_text(raw)
    (tmp_path / "note-tweet.js").write_text("window.YTD.note_tweet.part0 = " + json.dumps(note))
    (tmp_path / "manifest.js").write_bytes(realdata(ARCHIVE + "manifest.js").read_bytes())
    got = [p for p in archive.read_archive(tmp_path) if isinstance(p, Parsed)]
    texts = {tw.id: tw.text for p in got for tw in p.tweets}
    assert texts[int(t["id_str"])] == long_text


# --- small pure helpers -----------------------------------------------------------------------

def test_time_formats():
    assert v2_time("2021-04-08T19:34:16.000Z") == "2021-04-08 19:34:16"
    assert v2_time("2021-04-08T21:34:16+02:00") == "2021-04-08 19:34:16"
    assert v1_time("Tue Oct 31 22:10:47 +0000 2017") == "2017-10-31 22:10:47"
    assert v1_time("Tue Oct 31 23:10:47 +0100 2017") == "2017-10-31 22:10:47"


def test_mentions_skip_email_addresses():
    text = "@AppleSupport mail me at bob@example.com or @115712, cc @a_very_long_handle_x"
    assert MENTION_RE.findall(text) == ["AppleSupport", "115712"]


def test_local_ids_are_negative_and_stable():
    a, b = local_id("twcs-user", "applesupport"), local_id("twcs-user", "applesupport")
    assert a == b < 0
    assert local_id("twcs-user", "115712") != a


def test_url_domain():
    assert url_domain("https://www.support.example.com/kb/1") == "support.example.com"
    assert url_domain("not a url") is None


def test_realdata_root_is_outside_the_project():
    assert not str(REALDATA.resolve()).startswith(str(Path(__file__).resolve().parent.parent) + "/")


def test_folder_holding_an_archive_and_other_files_loads_each(tmp_path):
    import shutil

    from ingest.readers.detect import expand

    shutil.copytree(realdata("x-archive-andreruffert/data"), tmp_path / "archive" / "data")
    shutil.copy(realdata("twcs-kaggle-sample/sample.csv"), tmp_path / "sample.csv")
    (tmp_path / "nested").mkdir()
    shutil.copy(realdata("twitter-to-sqlite/tests/tweets.json"), tmp_path / "nested" / "t.json")
    got = list(expand([tmp_path]))
    assert got == [tmp_path / "archive", tmp_path / "nested" / "t.json", tmp_path / "sample.csv"]
    assert [detect_format(p) for p in got] == ["archive", "v1", "twcs"]
