"""Classify every stored tweet's roles once, into ``tweet_roles``; staff overrides win.

Roles depend on the settings (phrases, fix domains, support handles), so a change of settings
reclassifies everything; otherwise only new tweets are classified.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from sqlalchemy import Engine, text

from graph.roles import ROLE_NAMES, RoleMatcher
from settings import Settings

__all__ = ["classify_tweets", "set_override", "clear_override", "fix_domain_clause"]

_COLUMNS = ("tweet_id", *(f"is_{r}" for r in ROLE_NAMES), "is_we", "is_me", "has_fix_link")
_INSERT = (f"INSERT INTO tweet_acts ({', '.join(_COLUMNS)}) VALUES"
           f" ({', '.join(['{ph}'] * len(_COLUMNS))})")
_NOTHING = (False,) * (len(_COLUMNS) - 1)


def fix_domain_clause(domains: tuple[str, ...], column: str) -> tuple[str, dict[str, str]]:
    """SQL matching a domain or any subdomain of it, e.g. ``kb.example.com`` for example.com."""
    if not domains:
        return "FALSE", {}
    parts, params = [], {}
    for i, d in enumerate(domains):
        parts.append(f"{column} = :fd{i} OR {column} LIKE :fds{i}")
        params[f"fd{i}"] = d
        params[f"fds{i}"] = f"%.{d}"
    return "(" + " OR ".join(parts) + ")", params


# Bump when the classification logic changes, so stored roles are computed again.
CLASSIFIER_VERSION = 2


def _fingerprint(settings: Settings, matcher: RoleMatcher) -> str:
    key = json.dumps([CLASSIFIER_VERSION, matcher.fingerprint, sorted(settings.fix_domains),
                      sorted(h.lower() for h in settings.support_handles)])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def classify_tweets(engine: Engine, settings: Settings, *, chunk: int = 20_000) -> int:
    """Classify tweets that have no roles yet; returns how many were classified."""
    matcher = RoleMatcher(settings.phrases)
    fp = _fingerprint(settings, matcher)
    ph = "?" if engine.dialect.name == "sqlite" else "%s"
    insert = _INSERT.format(ph=ph)
    with engine.begin() as conn:
        old = conn.execute(text("SELECT value FROM graph_state WHERE key = 'roles'")).scalar()
        if old != fp:
            conn.execute(text("DELETE FROM tweet_acts"))
            conn.execute(text("DELETE FROM graph_state WHERE key = 'roles'"))
            conn.execute(text("INSERT INTO graph_state (key, value) VALUES ('roles', :v)"),
                         {"v": fp})
    fix_url, params = fix_domain_clause(settings.fix_domains, "u.domain")
    sql = text(
        "SELECT t.id, t.text, t.kind, t.lang,"
        f" EXISTS (SELECT 1 FROM tweet_urls u WHERE u.tweet_id = t.id AND {fix_url})"
        " FROM tweets t LEFT JOIN tweet_acts r ON r.tweet_id = t.id"
        " WHERE r.tweet_id IS NULL AND t.id > :after ORDER BY t.id LIMIT :n"
    )
    done = 0
    after = -(2 ** 63)
    while True:  # keyset pages, each written in its own transaction: resumable
        with engine.begin() as conn:
            part = conn.execute(sql, {**params, "after": after, "n": chunk}).all()
            if not part:
                break
            rows = []
            for tid, body, kind, lang, link in part:
                if kind == "retweet":  # a retweet's words are the original's
                    rows.append((tid, *_NOTHING))
                    continue
                link = bool(link)
                r, we, i = matcher.classify_with_voice(body, lang)
                fix = (r.fix or link) and not r.negative
                rows.append((tid, r.request, fix, r.answer or fix, r.thanks, r.negative,
                             r.chatter, r.agent, r.business, we and not i, i, link))
            conn.exec_driver_sql(insert, rows)
            done += len(rows)
            after = part[-1][0]
    with engine.begin() as conn:
        if done:
            # A quote of a brand's fix passes the fix on: a pointer to a fix.
            conn.execute(text(
                "UPDATE tweet_acts SET is_fix = TRUE, is_answer = TRUE, has_fix_link = TRUE"
                " WHERE tweet_id IN"
                " (SELECT t.id FROM tweets t JOIN tweets q ON q.id = t.quoted_id"
                "  JOIN users qu ON qu.id = q.author_id JOIN tweet_acts qr ON qr.tweet_id = q.id"
                "  WHERE t.quoted_id IS NOT NULL AND t.kind != 'retweet' AND qu.is_brand"
                "  AND qr.is_fix) AND NOT has_fix_link AND NOT is_negative"))
            # Pointing someone to the right handle is an answer: a reply that brings in a
            # support handle the tweet it answers had not addressed ("@AcmeHelp can help").
            conn.execute(text(
                "UPDATE tweet_acts SET is_answer = TRUE WHERE tweet_id IN"
                " (SELECT r.id FROM tweets r JOIN tweets p ON p.id = r.in_reply_to_tweet_id"
                "  JOIN interactions m ON m.key_tweet_id = r.id AND m.kind = 'mention'"
                "  JOIN users b ON b.id = m.dst_user_id"
                "  WHERE b.is_brand AND p.author_id != b.id AND r.author_id != b.id"
                "  AND NOT EXISTS (SELECT 1 FROM interactions pm WHERE pm.key_tweet_id = p.id"
                "                  AND pm.kind = 'mention' AND pm.dst_user_id = b.id))"
                " AND NOT is_answer AND NOT is_negative AND NOT is_chatter AND NOT is_agent"
                " AND NOT is_request AND NOT is_thanks"))
        # Staff overrides win over the text.
        for role in ROLE_NAMES:
            conn.execute(text(
                f"UPDATE tweet_acts SET is_{role} = (SELECT o.value FROM role_overrides o"
                " WHERE o.tweet_id = tweet_acts.tweet_id AND o.role = :r)"
                " WHERE tweet_id IN (SELECT tweet_id FROM role_overrides WHERE role = :r)"),
                {"r": role})
    return done


def set_override(engine: Engine, tweet_id: int, role: str, value: bool, *, by: str | None = None,
                 note: str | None = None) -> None:
    """Staff mark (``value`` True) or unmark (False) a tweet's role."""
    if role not in ROLE_NAMES:
        raise ValueError(f"role must be one of {', '.join(ROLE_NAMES)}")
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM role_overrides WHERE tweet_id = :t AND role = :r"),
                     {"t": tweet_id, "r": role})
        conn.execute(text("INSERT INTO role_overrides (tweet_id, role, value, set_by, set_at,"
                          " note) VALUES (:t, :r, :v, :b, :at, :n)"),
                     {"t": tweet_id, "r": role, "v": value, "b": by, "at": now, "n": note})
        conn.execute(text(f"UPDATE tweet_acts SET is_{role} = :v WHERE tweet_id = :t"),
                     {"t": tweet_id, "v": value})


def clear_override(engine: Engine, tweet_id: int, role: str) -> None:
    """Forget a staff decision: the tweet is classified from its text again on the next run."""
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM role_overrides WHERE tweet_id = :t AND role = :r"),
                     {"t": tweet_id, "r": role})
        conn.execute(text("DELETE FROM tweet_acts WHERE tweet_id = :t"), {"t": tweet_id})
