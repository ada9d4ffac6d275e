"""Erasing data for good: a person who asked to be forgotten, and X compliance events (deleted,
protected, suspended, withheld accounts and tweets).

Content goes, and so does everything derived from it: edges, links, roles, scores, evidence,
outreach notes and history. A suppression row keyed by X's id (no content) keeps it out of
later imports, rankings and exports; the audit log records who erased what and when, by id.
Callers own the transaction (``with engine.begin() as conn``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable

from sqlalchemy import Connection, bindparam, text

from store.db import forget_ranking_cache, utcnow

__all__ = ["forget_user", "erase_tweets", "apply_compliance", "suppressed", "suppressed_names",
           "name_key", "names_forgotten", "FORGOTTEN_EXCERPT", "find_user",
           "COMPLIANCE_ACTIONS"]

# What each X compliance action means here (X's batch compliance and twarc2 lines use
# "delete"; the streams spell them user_delete, user_protect, ...).
ERASE_USER = {"delete", "user_delete", "protect", "user_protect", "suspend", "user_suspend",
              "withhold", "withheld", "user_withheld", "deactivate", "deactivated"}
RESTORE = {"undelete", "user_undelete", "unprotect", "user_unprotect", "unsuspend",
           "user_unsuspend", "undrop"}
ERASE_TWEET = {"delete", "withhold", "withheld", "drop"}
NOTHING_STORED = {"scrub_geo", "tweet_edit", "user_profile_modification"}  # no geo is kept
COMPLIANCE_ACTIONS = ERASE_USER | RESTORE | ERASE_TWEET | NOTHING_STORED


def _ids(values: Iterable[int]) -> list[int]:
    return sorted({int(v) for v in values})


def _delete_where_in(conn: Connection, sql: str, ids: list[int]) -> int:
    total = 0
    stmt = text(sql).bindparams(bindparam("ids", expanding=True))
    for i in range(0, len(ids), 500):
        total += max(conn.execute(stmt, {"ids": ids[i:i + 500]}).rowcount, 0)
    return total


def _suppress(conn: Connection, kind: str, ids: list[int], reason: str) -> None:
    now = utcnow()
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        _delete_where_in(conn, f"DELETE FROM suppressions WHERE kind = '{kind}'"
                               " AND id IN :ids", chunk)
        conn.execute(text("INSERT INTO suppressions (kind, id, reason, created_at)"
                          " VALUES (:k, :i, :r, :t)"),
                     [{"k": kind, "i": x, "r": reason, "t": now} for x in chunk])


def _audit(conn: Connection, actor: str, action: str, subject: str | None, detail: dict) -> None:
    conn.execute(text("INSERT INTO audit_log (at, actor, action, subject, detail)"
                      " VALUES (:at, :a, :ac, :s, :d)"),
                 {"at": utcnow(), "a": actor, "ac": action, "s": subject,
                  "d": json.dumps(detail, sort_keys=True)})
    # What the last ranking kept for the next may name who or what was erased: gone too.
    forget_ranking_cache(conn.engine)


def erase_tweets(conn: Connection, tweet_ids: Iterable[int], reason: str) -> dict[str, int]:
    """Remove tweets and everything that refers to them; suppress their ids."""
    ids = _ids(tweet_ids)
    if not ids:
        return {"tweets": 0}
    counts = {
        "evidence": _delete_where_in(conn, "DELETE FROM score_evidence WHERE tweet_id IN :ids",
                                     ids),
        "edges": _delete_where_in(conn, "DELETE FROM interactions WHERE key_tweet_id IN :ids"
                                        " OR tweet_id IN :ids", ids),
        "urls": _delete_where_in(conn, "DELETE FROM tweet_urls WHERE tweet_id IN :ids", ids),
        "roles": _delete_where_in(conn, "DELETE FROM tweet_acts WHERE tweet_id IN :ids", ids),
        # The help they were part of; the next ranking rebuilds help_acts whole.
        "help": _delete_where_in(
            conn, "DELETE FROM help_acts WHERE answer_id IN :ids OR request_id IN :ids"
                  " OR thanks_id IN :ids OR denied_id IN :ids OR brand_thanks_id IN :ids", ids),
        "overrides": _delete_where_in(conn, "DELETE FROM role_overrides WHERE tweet_id IN :ids",
                                      ids),
        "corrections": _delete_where_in(conn, "DELETE FROM correction_events WHERE tweet_id"
                                              " IN :ids", ids),
        "tweets": _delete_where_in(conn, "DELETE FROM tweets WHERE id IN :ids", ids),
    }
    _suppress(conn, "tweet", ids, reason)
    conn.execute(text("DELETE FROM graph_state WHERE key = 'help_acts'"))
    return counts


def name_key(username: str) -> int:
    """A username as a suppression key: a 63-bit hash of it in lower case (the suppressions
    table holds no content, not even the name)."""
    digest = hashlib.blake2b(username.strip().lstrip("@").lower().encode(),
                             digest_size=8).digest()
    return int.from_bytes(digest, "big") & 0x7FFF_FFFF_FFFF_FFFF


_TOKEN = re.compile(r"[A-Za-z0-9_]{1,20}")


def names_forgotten(excerpt: str, users: set[int], names: set[int]) -> bool:
    """Whether a piece of raw text (a rejected record's excerpt) names a suppressed account,
    by id or by username."""
    for token in _TOKEN.findall(excerpt):
        if (token.isdigit() and int(token) in users) or name_key(token) in names:
            return True
    return False


FORGOTTEN_EXCERPT = "(removed: it named a forgotten person)"


def forget_user(conn: Connection, user_id: int, *, reason: str = "forgotten",
                actor: str) -> dict[str, int]:
    """Remove a person and everything about them: their tweets (and what refers to them), the
    edges to and from them, their scores and evidence (and evidence that names them), staff
    decisions, outreach notes and history, and the excerpts of rejected records that name
    them. Their id and username stay suppressed, so no later import in any format (a TWCS
    file names people by username only) brings them back."""
    name = conn.execute(text("SELECT username FROM users WHERE id = :u"),
                        {"u": user_id}).scalar()
    tweets = [r[0] for r in conn.execute(text("SELECT id FROM tweets WHERE author_id = :u"),
                                         {"u": user_id})]
    counts = erase_tweets(conn, tweets, reason)
    one = [user_id]
    counts.update({
        "edges_to_or_from": _delete_where_in(
            conn, "DELETE FROM interactions WHERE src_user_id IN :ids OR dst_user_id IN :ids",
            one),
        "scores": _delete_where_in(conn, "DELETE FROM champion_scores WHERE user_id IN :ids",
                                   one),
        "help_with": _delete_where_in(
            conn, "DELETE FROM help_acts WHERE helper_id IN :ids OR asker_id IN :ids"
                  " OR brand_thanks_by IN :ids", one),
        "evidence_about": _delete_where_in(
            conn, "DELETE FROM score_evidence WHERE user_id IN :ids OR other_user_id IN :ids",
            one),
        "account_labels": _delete_where_in(conn, "DELETE FROM account_labels WHERE user_id IN"
                                                 " :ids", one),
        "outreach": _delete_where_in(conn, "DELETE FROM outreach WHERE user_id IN :ids", one),
        "outreach_events": _delete_where_in(conn, "DELETE FROM outreach_events WHERE user_id"
                                                  " IN :ids", one),
        "correction_events": _delete_where_in(conn, "DELETE FROM correction_events WHERE"
                                                    " user_id IN :ids", one),
        "users": _delete_where_in(conn, "DELETE FROM users WHERE id IN :ids", one),
    })
    # Replies to their tweets keep the reply but not who it replied to.
    conn.execute(text("UPDATE tweets SET in_reply_to_user_id = NULL"
                      " WHERE in_reply_to_user_id = :u"), {"u": user_id})
    _suppress(conn, "user", one, reason)
    keys = {name_key(name)} if name else set()
    if name and reason == "forgotten":  # (X's compliance events name accounts by id only)
        _suppress(conn, "username", sorted(keys), reason)
    counts["reject_excerpts"] = _scrub_rejects(conn, {user_id}, keys)
    _audit(conn, actor, "forget" if reason == "forgotten" else "compliance", str(user_id),
           {k: v for k, v in counts.items() if v})
    return counts


def find_user(conn: Connection, who: str) -> int | None:
    """A user id from a username (with or without @) or a numeric X id."""
    who = who.strip().lstrip("@")
    if who.lstrip("-").isdigit():
        found = conn.execute(text("SELECT id FROM users WHERE id = :i"), {"i": int(who)}).scalar()
        if found is not None:
            return found
    return conn.execute(text("SELECT id FROM users WHERE lower(username) = :n"),
                        {"n": who.lower()}).scalar()


def apply_compliance(conn: Connection, events: Iterable[tuple[int, str, str | None]], *,
                     actor: str, kind: str | None = None) -> dict[str, int]:
    """Apply X compliance events ``(id, action, reason)``. ``kind`` is "tweets" or "users" when
    the source says (a batch compliance job has a type); otherwise an id is a tweet or a user
    by what is stored, and an id not stored is suppressed as both, so a later import of old
    data cannot bring it back."""
    counts = {"events": 0, "tweets_erased": 0, "users_erased": 0, "restored": 0,
              "not_stored": 0, "nothing_to_do": 0}
    for tid, action, why in events:
        counts["events"] += 1
        action = (action or "").lower()
        is_tweet = kind == "tweets" or (kind is None and conn.execute(
            text("SELECT 1 FROM tweets WHERE id = :i"), {"i": tid}).first() is not None)
        is_user = kind == "users" or (kind is None and not is_tweet and conn.execute(
            text("SELECT 1 FROM users WHERE id = :i"), {"i": tid}).first() is not None)
        label = f"compliance:{action}" + (f":{why}" if why else "")
        if action in RESTORE:
            counts["restored"] += _delete_where_in(conn, "DELETE FROM suppressions WHERE id IN"
                                                         " :ids AND reason LIKE 'compliance:%'",
                                                   [tid])
        elif action in NOTHING_STORED:
            counts["nothing_to_do"] += 1
        elif is_tweet and action in ERASE_TWEET:
            counts["tweets_erased"] += erase_tweets(conn, [tid], label[:64])["tweets"]
        elif is_user and action in ERASE_USER:
            forget_user(conn, tid, reason=label[:64], actor=actor)
            counts["users_erased"] += 1
        elif not is_tweet and not is_user and action in ERASE_TWEET | ERASE_USER:
            counts["not_stored"] += 1
            if kind in (None, "tweets"):
                _suppress(conn, "tweet", [tid], label[:64])
            if kind in (None, "users"):
                _suppress(conn, "user", [tid], label[:64])
        else:
            counts["nothing_to_do"] += 1
    _audit(conn, actor, "compliance", None, counts)
    return counts


def _scrub_rejects(conn: Connection, users: set[int], names: set[int]) -> int:
    """Blank the excerpts of rejected records that name these people (by id or username)."""
    found = [rid for rid, excerpt in conn.execute(text(
        "SELECT id, excerpt FROM rejected_records WHERE excerpt IS NOT NULL"))
        if names_forgotten(excerpt, users, names)]
    for i in range(0, len(found), 500):
        conn.execute(text("UPDATE rejected_records SET excerpt = :e WHERE id IN :ids"
                          ).bindparams(bindparam("ids", expanding=True)),
                     {"e": FORGOTTEN_EXCERPT, "ids": found[i:i + 500]})
    return len(found)


def suppressed(conn: Connection) -> tuple[set[int], set[int]]:
    """(suppressed user ids, suppressed tweet ids): what imports must skip."""
    users, tweets = set(), set()
    for kind, i in conn.execute(text("SELECT kind, id FROM suppressions"
                                     " WHERE kind IN ('user', 'tweet')")):
        (users if kind == "user" else tweets).add(i)
    return users, tweets


def suppressed_names(conn: Connection) -> set[int]:
    """The usernames forgotten, as ``name_key``s."""
    return set(conn.execute(text("SELECT id FROM suppressions WHERE kind = 'username'"))
               .scalars())
