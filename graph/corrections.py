"""Staff correct what the ranking read in a tweet: an answer that is "not help" (or is help),
a reply that is "not a thanks", a "didn't work" that was not one.

A correction is a ``role_overrides`` row (it wins over the text at every later ranking: see
``graph.classify``) and a ``correction_events`` row (who, when, the mark before and after), as
outreach changes are recorded. ``export_labels`` writes a team's corrections as a labelled CSV:
its own evaluation set, and training rows for ``python -m graph train-help``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, text
from sqlalchemy.engine import Connection

from graph.roles import ROLE_NAMES
from untrusted import write_csv

__all__ = ["MARKS", "COMPONENT_ROLE", "correct", "marks", "history", "export_labels",
           "mark_text"]

# The roles staff correct on a person's page: what a mark says either way, and the label each
# is exported as (the "answer" labels are the help model's: graph.helpmodel.read_labelled).
MARKS = {
    "answer": {True: ("help", "help"), False: ("not help", "not_help")},
    "thanks": {True: ("a thanks", "thanks"), False: ("not a thanks", "not_thanks")},
    "negative": {True: ("didn't work", "negative"), False: ("not a \"didn't work\"",
                                                            "not_negative")},
}
# Which tweet an evidence component lists, by the role it played (graph.features' evidence:
# answers for the help components, the thanks tweet, the "didn't work" reply).
COMPONENT_ROLE = {"helpful_answers": "answer", "responsiveness": "answer",
                  "consistency": "answer", "network": "answer",
                  "confirmed_help": "thanks", "negative_feedback": "negative"}


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def mark_text(role: str, value: bool | None) -> str:
    """A mark as the page says it: "not help", "a thanks"; "" for none."""
    return "" if value is None else MARKS[role][value][0]


def set_mark(conn: Connection, tweet_id: int, role: str, value: bool | None,
             by: str | None, note: str | None = None) -> bool | None:
    """Set (True/False) or forget (None) staff's mark of a tweet's role, in the caller's
    transaction; returns the mark it replaces. The tweet is read again at the next ranking:
    with a mark, as marked (a "help" counts in full, as a fix link does); without, from its
    text."""
    if role not in ROLE_NAMES:
        raise ValueError(f"role must be one of {', '.join(ROLE_NAMES)}")
    old = conn.execute(text("SELECT value FROM role_overrides WHERE tweet_id = :t AND role = :r"),
                       {"t": tweet_id, "r": role}).scalar()
    conn.execute(text("DELETE FROM role_overrides WHERE tweet_id = :t AND role = :r"),
                 {"t": tweet_id, "r": role})
    if value is None:
        conn.execute(text("DELETE FROM tweet_acts WHERE tweet_id = :t"), {"t": tweet_id})
    else:
        conn.execute(text("INSERT INTO role_overrides (tweet_id, role, value, set_by, set_at,"
                          " note) VALUES (:t, :r, :v, :b, :at, :n)"),
                     {"t": tweet_id, "r": role, "v": value, "b": by, "at": _now(), "n": note})
        sure = ", help_p = 1.0" if role == "answer" and value else ""
        conn.execute(text(f"UPDATE tweet_acts SET is_{role} = :v{sure}, help_pending = TRUE"
                          " WHERE tweet_id = :t"), {"t": tweet_id, "v": value})
    return None if old is None else bool(old)


def correct(engine: Engine, tweet_id: int, role: str, value: bool | None, actor: str, *,
            user_id: int | None = None) -> bool:
    """Staff's correction of one tweet's reading, made on ``user_id``'s page, recorded with
    who made it. It counts from the next ranking run. Returns whether anything changed."""
    if not actor:
        raise ValueError("every correction needs an actor (who made it)")
    with engine.begin() as conn:
        now = conn.execute(text("SELECT value FROM role_overrides WHERE tweet_id = :t"
                                " AND role = :r"), {"t": tweet_id, "r": role}).scalar()
        if (None if now is None else bool(now)) == value:
            return False  # the same mark again: who set it, and when, stay as they were
        old = set_mark(conn, tweet_id, role, value, actor)
        conn.execute(text(
            "INSERT INTO correction_events (user_id, tweet_id, role, old, new, actor, at)"
            " VALUES (:u, :t, :r, :o, :n, :a, :at)"),
            {"u": user_id, "t": tweet_id, "r": role, "o": old, "n": value, "a": actor,
             "at": _now()})
    return True


def marks(engine: Engine, tweet_ids: list[int]) -> dict[tuple[int, str], bool]:
    """Staff's current marks on these tweets: (tweet, role) -> value."""
    if not tweet_ids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT tweet_id, role, value FROM role_overrides WHERE tweet_id IN :ids"
        ).bindparams(bindparam("ids", expanding=True)), {"ids": list(set(tweet_ids))}).all()
    return {(t, r): bool(v) for t, r, v in rows}


def history(engine: Engine, user_id: int) -> list[dict[str, Any]]:
    """The corrections made on a person's page, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT at, actor, tweet_id, role, old, new FROM correction_events"
            " WHERE user_id = :u ORDER BY id"), {"u": user_id}).all()
    return [{"at": r.at, "actor": r.actor, "tweet_id": r.tweet_id, "role": r.role,
             "old": None if r.old is None else bool(r.old),
             "new": None if r.new is None else bool(r.new)} for r in rows]


EXPORT_COLUMNS = ["tweet_id", "role", "label", "text", "lang", "set_by", "set_at"]


def export_labels(engine: Engine, out: Path) -> int:
    """Every current staff mark as a labelled CSV (``EXPORT_COLUMNS``), one row per tweet and
    role; the "answer" rows are labelled help / not_help, as ``train-help --data`` reads them
    (it skips the other roles). Returns the number of rows. Cells a spreadsheet would run
    are made inert (``untrusted.safe_cell``); the readers undo it (``untrusted.cell_value``)."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT o.tweet_id, o.role, o.value, t.text, t.lang, o.set_by, o.set_at"
            " FROM role_overrides o JOIN tweets t ON t.id = o.tweet_id"
            " ORDER BY o.set_at, o.tweet_id, o.role")).all()
    out.parent.mkdir(parents=True, exist_ok=True)
    write_csv(out, EXPORT_COLUMNS, (
        [str(tid), role, MARKS[role][bool(value)][1] if role in MARKS else (
            role if value else f"not_{role}"), body or "", lang or "", by or "",
         str(at)[:19] if at else ""]
        for tid, role, value, body, lang, by, at in rows))
    return len(rows)
