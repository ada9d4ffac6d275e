"""Who an account is, as stored facts: brand accounts, and staff decisions about accounts.

The ranking reads these; it never decides them. ``users.is_brand`` marks the support handles
(configured, or the TWCS ``inbound=False`` authors). ``account_labels`` holds staff decisions
about the ranking's behavioural flags ("likely staff", "likely a business"): a confirmed flag
keeps the account out of the ranking, an overruled one puts it back, at the next ranking run.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text

from store.db import utcnow

__all__ = ["mark_brands", "ACCOUNT_LABELS", "set_account_label", "clear_account_label",
           "account_labels"]

# staff / business: staff confirmed the flag (left out); customer: staff overruled it (ranked).
ACCOUNT_LABELS = ("staff", "business", "customer")


def mark_brands(engine: Engine, handles: tuple[str, ...] | list[str]) -> int:
    """Flag the configured support handles as brand accounts."""
    names = sorted({h.lower() for h in handles})
    if not names:
        return 0
    with engine.begin() as conn:
        res = conn.execute(
            text("UPDATE users SET is_brand = TRUE WHERE lower(username) IN "
                 f"({', '.join(f':h{i}' for i in range(len(names)))}) AND NOT is_brand"),
            {f"h{i}": n for i, n in enumerate(names)},
        )
    return max(res.rowcount, 0)


def set_account_label(conn: Connection, user_id: int, label: str, *, by: str | None,
                      note: str | None = None) -> None:
    """Record a staff decision about an account (the latest decision wins)."""
    if label not in ACCOUNT_LABELS:
        raise ValueError(f"label must be one of {', '.join(ACCOUNT_LABELS)}")
    conn.execute(text("DELETE FROM account_labels WHERE user_id = :u"), {"u": user_id})
    conn.execute(text("INSERT INTO account_labels (user_id, label, set_by, set_at, note)"
                      " VALUES (:u, :l, :b, :t, :n)"),
                 {"u": user_id, "l": label, "b": by, "t": utcnow(), "n": note})


def clear_account_label(conn: Connection, user_id: int) -> None:
    """Forget a staff decision: the behavioural flags decide again."""
    conn.execute(text("DELETE FROM account_labels WHERE user_id = :u"), {"u": user_id})


def account_labels(conn: Connection) -> dict[int, str]:
    """user id -> the staff decision about them."""
    return dict(conn.execute(text("SELECT user_id, label FROM account_labels")).all())
