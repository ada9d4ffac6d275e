"""``help_acts``: every answer one customer gave another customer's request, kept up to date.

The ranking's evidence of help is a four-way join over all tweets (``graph.features``'s
``HELP_FROM``: the answer, the tweet it replies to, the request, their roles and authors) plus
the replies to each answer (the asker's thanks or "didn't work", a brand's thanks). Run on every
ranking, that join was most of its time; the answers it finds are a few percent of the tweets.
So it is kept as a table, one row per answer, and a ranking groups those rows.

**Incremental.** ``graph.classify`` marks every tweet whose roles are new or changed
(``tweet_acts.help_pending``). A tweet changes the help rows of:

* itself, as an answer;
* the tweet it replies to (a new thanks or "didn't work" under an answer);
* the replies to it (a new request, or a new reply in the thread an answer continues);
* the replies to those, and theirs (an answer up to three turns below its request: the request
  is the conversation's, ``graph.features.HELP_JOINS``).

Those answers are deleted and computed again from the tweets, in one transaction that also
clears the marks: a crash leaves the marks, and the next run does the work again.

**Whole.** When the roles were classified with other settings, the brand accounts changed, or
an erasure removed tweets, the table is computed again from scratch (``graph_state`` key
``help_acts`` holds what it was built from).
"""

from __future__ import annotations

import hashlib
import json
import uuid

from sqlalchemy import Connection, Engine, text

from graph.features import HELP_JOINS, HELP_WHERE

__all__ = ["refresh_help_acts", "help_state", "HELP_ACTS_VERSION", "forget_help_state",
           "dirty_answers"]

# Bump when what a row holds changes: the next ranking rebuilds the table.
HELP_ACTS_VERSION = 3

_COLUMNS = ("answer_id, helper_id, asker_id, request_id, created_at, request_at, is_fix, lang,"
            " thanks_id, thanks_at, denied_id, denied_at, brand_thanks_id, brand_thanks_by,"
            " brand_thanks_at, confidence")


def _reply(flag: str, by: str, col: str) -> str:
    """SQL: ``col`` of the newest reply to the answer ``r`` by ``by`` with the role ``flag``."""
    return (f"(SELECT t.{col} FROM tweets t JOIN tweet_acts ta ON ta.tweet_id = t.id"
            f" WHERE t.in_reply_to_tweet_id = r.id AND {by} AND ta.{flag}"
            f" ORDER BY t.id DESC LIMIT 1)")


_ASKER = "t.author_id = p.author_id"
_BRAND = "t.author_id IN (SELECT id FROM users WHERE is_brand)"

_SELECT = f"""
    SELECT r.id, r.author_id, p.author_id, p.id, r.created_at, p.created_at, ra.is_fix, r.lang,
           {_reply('is_thanks', _ASKER, 'id')}, {_reply('is_thanks', _ASKER, 'created_at')},
           {_reply('is_negative', _ASKER, 'id')}, {_reply('is_negative', _ASKER, 'created_at')},
           {_reply('is_thanks', _BRAND, 'id')}, {_reply('is_thanks', _BRAND, 'author_id')},
           {_reply('is_thanks', _BRAND, 'created_at')}, ra.help_p
    {HELP_JOINS}
    WHERE {HELP_WHERE}
"""

# (``refresh_help_acts`` on PostgreSQL starts the rows' query from the answers to redo, by
# replacing this.)
_FROM_ANSWERS = "FROM tweets r\n"
assert _FROM_ANSWERS in _SELECT


# Up to this many answers to redo, PostgreSQL looks each one up (``refresh_help_acts``):
# 13 us an answer, against a hash plan's 1.4 s however few (1.37M tweets, 10,677 answers).
_FEW_ANSWERS = 50_000


# The answers whose rows a pending tweet can change (see the module's docstring). Each branch
# starts from the marked tweets (a partial index) and walks down the reply index: SQLite
# (``CROSS JOIN``: the order as written) had scanned all tweets for the replies' branches,
# three passes over 1.37M tweets (5.8 s) for 10,000 new ones.
def dirty_answers(dialect: str) -> str:
    """SQL: the ids of the answers whose rows a pending tweet can change."""
    then = "CROSS JOIN" if dialect == "sqlite" else "JOIN"
    return f"""
    SELECT tweet_id AS id FROM tweet_acts WHERE help_pending
    UNION SELECT t.in_reply_to_tweet_id FROM tweet_acts a {then} tweets t ON t.id = a.tweet_id
          WHERE a.help_pending AND t.in_reply_to_tweet_id IS NOT NULL
    UNION SELECT c.id FROM tweet_acts a {then} tweets c ON c.in_reply_to_tweet_id = a.tweet_id
          WHERE a.help_pending
    UNION SELECT g.id FROM tweet_acts a {then} tweets c ON c.in_reply_to_tweet_id = a.tweet_id
          {then} tweets g ON g.in_reply_to_tweet_id = c.id WHERE a.help_pending
    UNION SELECT h.id FROM tweet_acts a {then} tweets c ON c.in_reply_to_tweet_id = a.tweet_id
          {then} tweets g ON g.in_reply_to_tweet_id = c.id
          {then} tweets h ON h.in_reply_to_tweet_id = g.id WHERE a.help_pending
"""


def help_state(conn: Connection) -> str:
    """What the table is built from: the roles' settings and the brand accounts."""
    roles = conn.execute(text("SELECT value FROM graph_state WHERE key = 'roles'")).scalar()
    brands = [r[0] for r in conn.execute(text("SELECT id FROM users WHERE is_brand ORDER BY id"))]
    key = json.dumps([HELP_ACTS_VERSION, roles, brands])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def forget_help_state(conn: Connection) -> None:
    """Make the next ranking rebuild ``help_acts`` whole (after an erasure, say)."""
    conn.execute(text("DELETE FROM graph_state WHERE key = 'help_acts'"))


def refresh_help_acts(engine: Engine, touched: dict[str, set[int]] | None = None
                      ) -> dict[str, int]:
    """Bring ``help_acts`` up to date; returns {"rebuilt": 0 or 1, "answers": rows written}.

    ``touched`` (a ``defaultdict(set)``), when given, receives what the refresh saw change
    (``graph.incremental``): the tweets marked ("tweets": author, time, whether it has a
    fix link), and the rows rewritten, before and after ("rows": helper, asker, the
    answer's time, the brand's thanks' time). Each refresh that did any work leaves a new token
    in ``graph_state`` (key ``help_refresh``): a ranking that kept what it read can tell
    whether another refresh took the marks since."""
    with engine.begin() as conn:
        state = help_state(conn)
        old = conn.execute(text("SELECT value FROM graph_state WHERE key = 'help_acts'")).scalar()
        worked = True
        if old != state:
            conn.execute(text("DELETE FROM help_acts"))
            written = conn.execute(text(f"INSERT INTO help_acts ({_COLUMNS}) {_SELECT}")).rowcount
            conn.execute(text("DELETE FROM graph_state WHERE key = 'help_acts'"))
            conn.execute(text("INSERT INTO graph_state (key, value) VALUES ('help_acts', :v)"),
                         {"v": state})
            rebuilt = 1
        else:
            if conn.execute(text("SELECT 1 FROM tweet_acts WHERE help_pending LIMIT 1")).first():
                dirty = dirty_answers(conn.dialect.name)
                select = f"{_SELECT} AND r.id IN ({dirty})"
                few = False
                if conn.dialect.name == "postgresql":
                    # The answers to redo, first in a table of their own: PostgreSQL joins
                    # more than eight tables in the order written, and began from every
                    # answer, hashing them all (3-4 s at 1.37M tweets for 1,000 new ones).
                    few = conn.execute(text(
                        "CREATE TEMP TABLE ct_dirty ON COMMIT DROP AS"
                        f" SELECT DISTINCT id FROM ({dirty}) d WHERE id IS NOT NULL")
                    ).rowcount <= _FEW_ANSWERS
                    conn.execute(text("ANALYZE ct_dirty"))
                    dirty = "SELECT id FROM ct_dirty"
                    select = _SELECT.replace(
                        _FROM_ANSWERS, "FROM ct_dirty dd JOIN tweets r ON r.id = dd.id\n", 1)
                people = ("SELECT helper_id, asker_id, created_at, brand_thanks_at FROM help_acts"
                          f" WHERE answer_id IN (SELECT id FROM ({dirty}) d)")
                if touched is not None:
                    touched["tweets"].update(tuple(r) for r in conn.execute(text(
                        "SELECT t.author_id, t.created_at, a.has_fix_link FROM tweet_acts a"
                        " JOIN tweets t ON t.id = a.tweet_id WHERE a.help_pending")))
                    touched["rows"].update(tuple(r) for r in conn.execute(text(people)))
                conn.execute(text(f"DELETE FROM help_acts WHERE answer_id IN ({dirty})"))
                if few:
                    # A few thousand answers: index lookups all the way. Left to itself the
                    # planner hashed every tweet's roles to find each answer's request (the
                    # join on its CASE): 1.46 s of a 10,000-tweet cycle, 0.14 s so.
                    conn.execute(text("SET LOCAL enable_hashjoin = off"))
                    conn.execute(text("SET LOCAL jit = off"))
                written = conn.execute(text(f"INSERT INTO help_acts ({_COLUMNS}) {select}")
                                       ).rowcount
                if few:
                    conn.execute(text("RESET enable_hashjoin"))
                    conn.execute(text("RESET jit"))
                if touched is not None:
                    touched["rows"].update(tuple(r) for r in conn.execute(text(people)))
            else:
                written, worked = 0, False
            rebuilt = 0
        if worked:
            conn.execute(text("DELETE FROM graph_state WHERE key = 'help_refresh'"))
            conn.execute(text("INSERT INTO graph_state (key, value) VALUES ('help_refresh', :v)"),
                         {"v": uuid.uuid4().hex})
        conn.execute(text("UPDATE tweet_acts SET help_pending = FALSE WHERE help_pending"))
    return {"rebuilt": rebuilt, "answers": max(written or 0, 0)}
