"""The one loader: writes normal-form records (``ingest.records``) to SQL, idempotently.

Every write is an upsert keyed by the source's own ids, so loading the same data twice, or the
same tweet from two formats, leaves one row per tweet and one per edge.  Records are written in
batches, each in its own transaction: a job killed midway leaves whole batches behind, and a
re-run (which finds those rows already present) finishes the job.

Bulk rows go straight to the driver's ``executemany`` on SQLite, with SQL built once, several
times faster than ORM inserts (see benchmarks/ingest_bench.py); on PostgreSQL a batch is COPYed
into staging tables and upserted set-based (``ingest.bulk``, benchmarks/pg_ingest_bench.py).
Both use the same ``ON CONFLICT`` merge rules (``conflict_clauses``).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone

from sqlalchemy import Connection, Engine, insert, text

from ingest.bulk import copy_batch
from ingest.records import (EdgeRow, Parsed, Problem, TweetRow, UrlRow, UserRow, storable,
                            stub_user, validate_all)
from store.erase import (FORGOTTEN_EXCERPT, apply_compliance, name_key, names_forgotten,
                         suppressed, suppressed_names)
from store.models import RejectedRecord

__all__ = ["Loader", "LoadCounts", "link_replies"]

_PROFILE = [c for c in UserRow._fields if c not in ("id", "is_stub", "is_brand", "seen_at")]
_TWEET_FILL = ["created_at", "text", "lang", "conversation_id", "in_reply_to_tweet_id",
               "in_reply_to_user_id", "retweeted_id", "quoted_id"]
_METRICS = ["retweet_count", "reply_count", "like_count", "quote_count"]
_METRIC_POS = TweetRow._fields.index("retweet_count")
_FILL_POS = [TweetRow._fields.index(c) for c in _TWEET_FILL]
_TWEET_COLS = list(TweetRow._fields) + ["source", "source_ref", "run_id"]
_EDGE_COLS = list(EdgeRow._fields) + ["run_id"]


def conflict_clauses(dialect: str = "sqlite") -> dict[str, str]:
    """The ``ON CONFLICT`` clause of each table's upsert: the merge rules, shared by the
    ``executemany`` statements below and PostgreSQL's COPY path (``ingest.bulk``). On
    PostgreSQL a tweet's links are unique by ``md5(url)`` (a long link does not fit a btree:
    migration 0010)."""
    users = (
        "ON CONFLICT (id) DO UPDATE SET "
        + ", ".join(f"{c} = COALESCE(excluded.{c}, users.{c})" for c in _PROFILE)
        + ", is_stub = (excluded.is_stub AND users.is_stub)"
        ", is_brand = (users.is_brand OR excluded.is_brand)"
        ", seen_at = COALESCE(excluded.seen_at, users.seen_at)"
        # A stub never overwrites a profile; an older profile never overwrites a newer one.
        " WHERE users.is_stub OR (NOT excluded.is_stub AND"
        " (users.seen_at IS NULL OR excluded.seen_at >= users.seen_at))"
    )
    tweets = (
        "ON CONFLICT (id) DO UPDATE SET "
        # The first source's text and provenance stay; gaps are filled from later sources, the
        # metrics are the latest seen, and a kind inferred as 'original' yields to a known one.
        + ", ".join(f"{c} = COALESCE(tweets.{c}, excluded.{c})" for c in _TWEET_FILL)
        + ", "
        + ", ".join(f"{c} = COALESCE(excluded.{c}, tweets.{c})" for c in _METRICS)
        + ", kind = CASE WHEN tweets.kind = 'original' THEN excluded.kind ELSE tweets.kind END"
    )
    edges = "ON CONFLICT (key_tweet_id, kind, src_user_id, dst_user_id) DO NOTHING"
    urls = ("ON CONFLICT (tweet_id, md5(url)) DO NOTHING" if dialect == "postgresql"
            else "ON CONFLICT (tweet_id, url) DO NOTHING")
    return {"users": users, "tweets": tweets, "edges": edges, "urls": urls}


def _sql(dialect: str) -> dict[str, str]:
    ph = "?" if dialect == "sqlite" else "%s"

    def values(n: int) -> str:
        return ", ".join([ph] * n)

    on = conflict_clauses(dialect)
    users = (f"INSERT INTO users ({', '.join(UserRow._fields)})"
             f" VALUES ({values(len(UserRow._fields))}) {on['users']}")
    tweets = (f"INSERT INTO tweets ({', '.join(_TWEET_COLS)})"
              f" VALUES ({values(len(_TWEET_COLS))}) {on['tweets']}")
    edges = (f"INSERT INTO interactions ({', '.join(_EDGE_COLS)})"
             f" VALUES ({values(len(_EDGE_COLS))}) {on['edges']}")
    urls = f"INSERT INTO tweet_urls (tweet_id, url, domain) VALUES ({values(3)}) {on['urls']}"
    return {"users": users, "tweets": tweets, "edges": edges, "urls": urls, "ph": ph,
            "dialect": dialect}


@dataclass
class LoadCounts:
    records: int = 0  # lines, pages, rows or archive items read
    tweets: int = 0  # distinct tweets read (including referenced tweets a page carries)
    tweets_new: int = 0
    tweets_present: int = 0
    users: int = 0
    edges: int = 0
    edges_new: int = 0
    urls: int = 0
    rejected: int = 0
    skipped: int = 0
    api_errors: int = 0
    unresolved_mentions: int = 0  # edges whose target username matches no known account
    replies_linked: int = 0
    suppressed: int = 0  # tweets left out: forgotten people, X compliance deletions
    compliance: int = 0  # X compliance events applied from the file
    unchanged: int = 0  # pages and files skipped unparsed: stored before, byte for byte
    # Tweets repeating a stored (or earlier) id with another author, time or text: the first
    # copy is kept, and each is named in rejected_records (also counted in ``rejected``).
    conflicts: int = 0

    def add(self, other: LoadCounts) -> None:
        for k, v in asdict(other).items():
            setattr(self, k, getattr(self, k) + v)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class _Batch:
    users: dict[int, UserRow] = field(default_factory=dict)
    tweets: dict[int, TweetRow] = field(default_factory=dict)
    edges: dict[tuple, EdgeRow] = field(default_factory=dict)
    named: list = field(default_factory=list)
    urls: set[UrlRow] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    compliance: list = field(default_factory=list)  # records.ComplianceEvent
    # (content hash, tweets, named edges) of the hashed pages in the batch: see _remember_pages
    pages: list = field(default_factory=list)
    where: dict[int, str] = field(default_factory=dict)  # tweet id -> the record it came in
    conflicts: list[Problem] = field(default_factory=list)  # see LoadCounts.conflicts
    note: Problem | None = None  # how many rejects were counted and not stored one by one


def differs(a: tuple, b: tuple) -> str | None:
    """What differs between two copies of one tweet, each (author id, time, text), or None.
    A missing time or text differs from nothing (a later copy fills it in); a text that
    starts the other (a truncated copy, "…" and link removed) is the same text."""
    if a[0] != b[0]:
        return f"author {b[0]}, stored {a[0]}"
    if a[1] is not None and b[1] is not None and str(a[1])[:19] != str(b[1])[:19]:
        return f"time {str(b[1])[:19]}, stored {str(a[1])[:19]}"
    if a[2] is not None and b[2] is not None and a[2] != b[2]:
        x, y = _untruncated(a[2]), _untruncated(b[2])
        if not (x.startswith(y) or y.startswith(x)):
            return "text"
    return None


def _untruncated(text: str) -> str:
    cut = text.find("…")
    return " ".join((text[:cut] if cut >= 0 else text).split())


def _drop_rows_of(batch: _Batch, ids: set[int]) -> None:
    """Leave out the edges and links of tweets ``ids`` (copies that are not stored)."""
    for key in [k for k, e in batch.edges.items() if e.key_tweet_id in ids or e.tweet_id in ids]:
        del batch.edges[key]
    batch.urls = {u for u in batch.urls if u.tweet_id not in ids}


def conflict(tweet_id: int, where: str, what: str) -> Problem:
    return Problem(where, f"tweet {tweet_id}: already stored (or read earlier) with another"
                          f" {what}; the first copy is kept, this one is not stored")


def _scrubbed(conn: Connection, problems: list[Problem]) -> list[Problem]:
    """Rejects whose excerpts name a forgotten person (by id or username) keep no excerpt."""
    if not conn.execute(text("SELECT 1 FROM suppressions LIMIT 1")).first():
        return problems
    users, names = suppressed(conn)[0], suppressed_names(conn)
    return [replace(p, excerpt=FORGOTTEN_EXCERPT)
            if p.excerpt and names_forgotten(p.excerpt, users, names) else p
            for p in problems]


def _drop_suppressed(conn: Connection, batch: _Batch) -> int:
    """Leave out what must stay out (``store.erase``): forgotten people, and accounts and tweets
    X's compliance events erased, with everything that involves them. Returns tweets dropped."""
    if not conn.execute(text("SELECT 1 FROM suppressions LIMIT 1")).first():
        return 0
    users, tweets = suppressed(conn)
    names = suppressed_names(conn)
    if names:  # forgotten by username too: the same person under another source's id
        users = users | {u.id for u in batch.users.values()
                         if u.username and name_key(u.username) in names}
    # A retweet is the erased tweet itself (its text is their words); a quote or a reply is
    # someone else's words and stays, without the link to an erased person.
    gone = {tid for tid, t in batch.tweets.items() if tid in tweets or t.author_id in users}
    gone |= {tid for tid, t in batch.tweets.items()
             if t.retweeted_id is not None and (t.retweeted_id in tweets
                                                or t.retweeted_id in gone)}
    gone |= {e.tweet_id for e in batch.edges.values()
             if e.kind == "retweet" and e.dst_user_id in users and e.tweet_id in batch.tweets}
    for tid in gone:
        del batch.tweets[tid]
    for tid, t in list(batch.tweets.items()):
        if t.in_reply_to_user_id in users:
            batch.tweets[tid] = t._replace(in_reply_to_user_id=None)
    for uid in users & batch.users.keys():
        del batch.users[uid]
    for key in [k for k, e in batch.edges.items()
                if e.src_user_id in users or e.dst_user_id in users
                or e.key_tweet_id in tweets or e.key_tweet_id in gone
                or e.tweet_id in gone or e.tweet_id in tweets]:
        del batch.edges[key]
    batch.named = [n for n in batch.named if n.src_user_id not in users
                   and n.key_tweet_id not in gone]
    batch.urls = {u for u in batch.urls if u.tweet_id not in gone}
    return len(gone)


class Loader:
    """Writes records for one run. ``source`` is the format, ``source_ref`` the file or query."""

    def __init__(self, engine: Engine, run_id: int | None, *, batch_tweets: int = 20_000,
                 on_batch: Callable[[LoadCounts], None] | None = None,
                 on_reject: Callable[[Problem], None] | None = None,
                 max_reject_rows: int = 1_000):
        self.engine = engine
        self.run_id = run_id
        self.batch_tweets = batch_tweets
        self.on_batch = on_batch
        self.on_reject = on_reject  # told of every rejected record, the reader's or validate's
        self.sql = _sql(engine.dialect.name)
        # Rejects stored (and told) one by one per load; past this they are counted, and one
        # row says how many more there were: 2M bad lines cost a count, not 2 GB.
        self.max_reject_rows = max_reject_rows

    def load(self, records: Iterable[Parsed | Problem], source: str,
             source_ref: str | None) -> LoadCounts:
        # A batch holds hundreds of thousands of small objects; the cyclic garbage collector
        # would rescan them on every allocation burst (it doubled load times). Reference
        # counting frees them; there are no cycles to collect here.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._load(records, source, source_ref)
        finally:
            if was_enabled:
                gc.enable()

    def _load(self, records: Iterable[Parsed | Problem], source: str,
              source_ref: str | None) -> LoadCounts:
        total = LoadCounts()
        batch = _Batch()
        positive_ids = source != "twcs"  # TWCS's own ids live in the negative space
        told = unstored = 0
        for got in records:
            total.records += 1
            # The one check of the normal form: a row the databases cannot store is a reject
            # (with what belongs to it), never a failed batch; the record's other rows load.
            parts = ([got] if isinstance(got, Problem) else
                     validate_all(got, source_ref or source, positive_ids=positive_ids))
            for rec in parts:
                if isinstance(rec, Problem):
                    if not rec.rejected:
                        total.skipped += 1
                    elif told < self.max_reject_rows:
                        told += 1
                        batch.problems.append(rec)
                        if self.on_reject is not None:
                            self.on_reject(rec)
                    else:
                        unstored += 1
                        total.rejected += 1
                    continue
                total.api_errors += rec.api_errors
                self._collect(batch, rec)
            if len(batch.tweets) >= self.batch_tweets or len(batch.users) >= self.batch_tweets:
                total.add(self.flush(batch, source, source_ref))
                batch = _Batch()
        if unstored:
            batch.note = Problem(source_ref or source, (
                f"{unstored:,} more rejected records, counted but not stored one by one (the"
                f" first {self.max_reject_rows:,} are: [ingest] max_reject_rows)"))
            if self.on_reject is not None:
                self.on_reject(batch.note)
        total.add(self.flush(batch, source, source_ref))
        return total

    @staticmethod
    def _collect(batch: _Batch, rec: Parsed) -> None:
        users = batch.users
        for u in rec.users:
            have = users.get(u.id)
            if have is None:
                users[u.id] = u
            elif have.is_stub:
                if not u.is_stub or (u.username and not have.username):
                    users[u.id] = u._replace(is_brand=u.is_brand or have.is_brand)
            elif not u.is_stub and (u.seen_at or "") > (have.seen_at or ""):
                users[u.id] = u._replace(is_brand=u.is_brand or have.is_brand)
            elif u.is_brand and not have.is_brand:
                users[u.id] = have._replace(is_brand=True)
        tweets = batch.tweets
        before = len(tweets)
        for t in rec.tweets:
            have = tweets.get(t.id)
            if have is None:
                tweets[t.id] = t
                batch.where[t.id] = rec.where
            else:
                what = differs((have.author_id, have.created_at, have.text),
                               (t.author_id, t.created_at, t.text))
                if what is not None:
                    batch.conflicts.append(conflict(t.id, rec.where, what))
                    # Nothing of the conflicting copy is stored: not its links nor its edges.
                    rec.edges = [e for e in rec.edges
                                 if e.key_tweet_id != t.id and e.tweet_id != t.id]
                    rec.urls = [u for u in rec.urls if u.tweet_id != t.id]
        if rec.digest is not None:  # a hashed page: remembered with its rows (the new tweets)
            batch.pages.append((rec.digest, len(tweets) - before, rec.named_edges))
        edges = batch.edges
        for e in rec.edges:
            edges[(e.key_tweet_id, e.kind, e.src_user_id, e.dst_user_id)] = e
        batch.named.extend(rec.named_edges)
        batch.urls.update(rec.urls)
        batch.compliance.extend(rec.compliance)

    def flush(self, batch: _Batch, source: str, source_ref: str | None) -> LoadCounts:
        """Write one batch in one transaction."""
        counts = LoadCounts()
        if not (batch.users or batch.tweets or batch.problems or batch.compliance
                or batch.pages or batch.note):
            return counts
        with self.engine.begin() as conn:
            counts.unresolved_mentions = self._resolve_named(conn, batch)
            if batch.compliance:  # X's compliance lines in the file: applied, then kept out
                apply_compliance(conn, batch.compliance, actor=f"import:{source_ref or source}"[
                    :255])
                counts.compliance = len(batch.compliance)
            counts.suppressed = _drop_suppressed(conn, batch)
            users = batch.users
            for t in batch.tweets.values():
                if t.author_id not in users:
                    users[t.author_id] = stub_user(t.author_id)
            for e in batch.edges.values():
                for uid in (e.src_user_id, e.dst_user_id):
                    if uid not in users:
                        users[uid] = stub_user(uid)
            run = self.run_id
            prov = (source, source_ref, run)
            if self.sql["dialect"] == "postgresql":  # COPY, then one upsert per table
                present, counts.edges_new, other = copy_batch(
                    conn, users.values(), batch.tweets.values(), prov, batch.edges.values(),
                    run, batch.urls)
            else:
                present, counts.edges_new, other = self._executemany(conn, batch, prov)
            # Stored copies that differ (not written over): named when they truly conflict.
            for tid, stored in other:
                t = batch.tweets[tid]
                what = differs(stored, (t.author_id, t.created_at, t.text))
                if what is not None:
                    batch.conflicts.append(conflict(tid, batch.where.get(tid, source), what))
            if self.on_reject is not None:
                for p in batch.conflicts:
                    self.on_reject(p)
            problems = batch.problems + batch.conflicts + ([batch.note] if batch.note else [])
            if problems:
                problems = _scrubbed(conn, problems)
                now = datetime.now(timezone.utc).replace(tzinfo=None)
                conn.execute(insert(RejectedRecord), [
                    {"run_id": run, "source": source, "location": storable(p.location),
                     "reason": storable(p.reason[:2000]), "excerpt": storable(p.excerpt[:500]),
                     "created_at": now}
                    for p in problems
                ])
            if batch.pages:  # content hashes, committed with the rows they stand for
                _remember_pages(conn, self.sql["ph"], batch.pages, run,
                                counts.unresolved_mentions)
        counts.tweets = len(batch.tweets)
        counts.tweets_present = present
        counts.tweets_new = len(batch.tweets) - present
        counts.users = len(users)
        counts.edges = len(batch.edges)
        counts.urls = len(batch.urls)
        counts.rejected = len(batch.problems) + len(batch.conflicts)
        counts.conflicts = len(batch.conflicts)
        if self.on_batch is not None:
            self.on_batch(counts)
        return counts

    def _executemany(self, conn: Connection, batch: _Batch, prov: tuple
                     ) -> tuple[int, int, list]:
        """Write the batch's new and changed rows with the driver's ``executemany`` (SQLite).
        Returns (tweets already stored, edges added, the stored copies that differ: (id,
        (author, time, text)))."""
        user_rows = self._users_to_write(conn, batch.users)
        tweet_rows, present, other = self._tweets_to_write(conn, batch.tweets)
        if other:  # nothing of a copy that differs from the stored one is written
            _drop_rows_of(batch, {tid for tid, _ in other})
        edges_new = 0
        if user_rows:
            conn.exec_driver_sql(self.sql["users"], user_rows)
        if tweet_rows:
            conn.exec_driver_sql(self.sql["tweets"], [t + prov for t in tweet_rows])
        if batch.edges:
            res = conn.exec_driver_sql(self.sql["edges"],
                                       [e + (prov[2],) for e in batch.edges.values()])
            edges_new = max(res.rowcount, 0)
        if batch.urls:
            conn.exec_driver_sql(self.sql["urls"], list(batch.urls))
        return present, edges_new, other

    def _select_by_id(self, conn: Connection, table: str, cols: str, ids: list[int]) -> dict:
        ph = self.sql["ph"]
        found = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows = conn.exec_driver_sql(
                f"SELECT id, {cols} FROM {table} WHERE id IN ({', '.join([ph] * len(chunk))})",
                tuple(chunk)).all()
            found.update((r[0], r[1:]) for r in rows)
        return found

    def _users_to_write(self, conn: Connection, users: dict[int, UserRow]) -> list[UserRow]:
        """New users, and known users this batch improves (a stub filled in, a newer profile,
        a brand mark). Rewriting a profile seen again unchanged is most of a page's users."""
        have = self._select_by_id(conn, "users", "is_stub, is_brand, seen_at, username",
                                  list(users))
        out = []
        for u in users.values():
            ex = have.get(u.id)
            if ex is None:
                out.append(u)
                continue
            stub, brand, seen, name = ex
            seen = _iso(seen)
            if ((stub and (not u.is_stub or (u.username and not name)))
                    or (not u.is_stub and u.seen_at and (seen is None or u.seen_at > seen))
                    or (u.is_brand and not brand)):
                out.append(u)
        return out

    def _tweets_to_write(self, conn: Connection, tweets: dict[int, TweetRow]
                         ) -> tuple[list[TweetRow], int, list]:
        """New tweets, and stored tweets this copy adds to (a gap filled, newer metrics, a known
        kind); plus how many were stored already, and the stored copies with another author,
        time or text (not written over: ``ingest.bulk`` does the same on PostgreSQL)."""
        cols = ", ".join(["kind"] + _METRICS + [f"{c} IS NULL" for c in _TWEET_FILL]
                         + ["author_id", "created_at", "text"])
        have = self._select_by_id(conn, "tweets", cols, list(tweets))
        out, other = [], []
        for t in tweets.values():
            ex = have.get(t.id)
            if ex is None:
                out.append(t)
                continue
            author, created, body = ex[-3:]
            if (author != t.author_id or (created is not None and t.created_at is not None
                                          and str(created)[:19] != t.created_at)
                    or (body is not None and t.text is not None and body != t.text)):
                other.append((t.id, (author, created, body)))
                continue
            kind, metrics, nulls = ex[0], ex[1:5], ex[5:-3]
            if ((kind == "original" and t.kind != "original")
                    or any(m is not None and m != old
                           for m, old in zip(t[_METRIC_POS:_METRIC_POS + 4], metrics))
                    or any(null and t[pos] is not None for null, pos in zip(nulls, _FILL_POS))):
                out.append(t)
        return out, len(have), other

    def _resolve_named(self, conn: Connection, batch: _Batch) -> int:
        """Turn edges to a username into edges to an id: batch users first, then the database.
        Returns how many stay unresolved."""
        if not batch.named:
            return 0
        by_name: dict[str, int] = {}
        for u in batch.users.values():
            if u.username and (not u.is_stub or u.username.lower() not in by_name):
                by_name[u.username.lower()] = u.id
        wanted = {n.dst_username.lower() for n in batch.named} - by_name.keys()
        wanted_list = sorted(wanted)
        for i in range(0, len(wanted_list), 500):
            chunk = wanted_list[i:i + 500]
            ph = self.sql["ph"]
            rows = conn.exec_driver_sql(
                "SELECT lower(username), id FROM users WHERE lower(username) IN "
                f"({', '.join([ph] * len(chunk))}) ORDER BY is_stub DESC, COALESCE(seen_at, '1970-01-01')",
                tuple(chunk),
            ).all()
            for name, uid in rows:  # the last row per name wins: a full, most recent profile
                by_name[name] = uid
        unresolved = 0
        for n in batch.named:
            uid = by_name.get(n.dst_username.lower())
            if uid is None:
                unresolved += 1
                continue
            e = EdgeRow(n.kind, n.src_user_id, uid, n.key_tweet_id, n.tweet_id, n.ref_tweet_id,
                        n.created_at)
            batch.edges[(e.key_tweet_id, e.kind, e.src_user_id, e.dst_user_id)] = e
        return unresolved


# --- content hashes of pages (ingest.parallel) ---------------------------------------------------

def _remember_pages(conn: Connection, ph: str, pages: list, run_id: int | None,
                    unresolved: int) -> None:
    """Store the hashes of the batch's pages, so the next import skips them unparsed. A page
    whose record was rejected never gets here (it is reported again next time); a page with a
    mention known only by username is kept only if every such mention in the batch resolved,
    since one that did not may resolve when the page is read again."""
    rows: dict[bytes, tuple] = {}
    for digest, tweets, named in pages:
        if not (named and unresolved):
            rows.setdefault(digest, (digest, tweets, run_id))  # a repeat brought no new tweets
    if rows:
        conn.exec_driver_sql(
            f"INSERT INTO loaded_pages (digest, tweets, run_id) VALUES ({ph}, {ph}, {ph})"
            " ON CONFLICT (digest) DO NOTHING", list(rows.values()))


def _iso(value) -> str | None:
    """A stored timestamp as the loader's ISO text (SQLite gives text, PostgreSQL datetimes)."""
    if value is None or isinstance(value, str):
        return value
    return value.strftime("%Y-%m-%d %H:%M:%S")


def link_replies(engine: Engine, run_id: int | None) -> int:
    """Reply edges for replies whose parent's author was unknown when they were read (TWCS rows
    give only the parent tweet's id). Set-based, and idempotent: returns the edges added."""
    with engine.begin() as conn:
        res = conn.execute(text(
            "INSERT INTO interactions (kind, src_user_id, dst_user_id, key_tweet_id, tweet_id,"
            " ref_tweet_id, created_at, run_id)"
            " SELECT 'reply', c.author_id, p.author_id, c.id, c.id, p.id, c.created_at, :run"
            " FROM tweets c JOIN tweets p ON p.id = c.in_reply_to_tweet_id"
            " WHERE c.in_reply_to_user_id IS NULL AND c.in_reply_to_tweet_id IS NOT NULL"
            " ON CONFLICT (key_tweet_id, kind, src_user_id, dst_user_id) DO NOTHING"
        ), {"run": run_id})
        added = max(res.rowcount, 0)
        conn.execute(text(
            "UPDATE tweets SET in_reply_to_user_id ="
            " (SELECT p.author_id FROM tweets p WHERE p.id = tweets.in_reply_to_tweet_id)"
            " WHERE in_reply_to_user_id IS NULL AND in_reply_to_tweet_id IS NOT NULL"
            " AND EXISTS (SELECT 1 FROM tweets p WHERE p.id = tweets.in_reply_to_tweet_id)"
        ))
    return added
