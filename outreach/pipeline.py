"""The outreach pipeline: one entry per person, every change recorded (who, when, what)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Engine, insert, select, update

from store.models import OUTREACH_STATUSES, OutreachEntry, OutreachEvent

__all__ = ["update_entry", "history", "OutreachError"]

_FIELDS = ("status", "owner", "notes", "last_contacted_at")


class OutreachError(ValueError):
    pass


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def update_entry(engine: Engine, user_id: int, actor: str, **changes) -> dict:
    """Change a person's outreach entry (status, owner, notes, last_contacted_at), recording
    each changed field. Moving to "contacted" stamps last_contacted_at unless given."""
    unknown = set(changes) - set(_FIELDS)
    if unknown:
        raise OutreachError(f"unknown fields: {', '.join(sorted(unknown))}")
    if not actor:
        raise OutreachError("every change needs an actor (who made it)")
    if "status" in changes and changes["status"] not in OUTREACH_STATUSES:
        raise OutreachError(f"status must be one of: {', '.join(OUTREACH_STATUSES)}")
    now = _now()
    with engine.begin() as conn:
        row = conn.execute(select(OutreachEntry).where(OutreachEntry.user_id == user_id)).first()
        old = dict(row._mapping) if row else {"status": "to contact", "owner": None,
                                              "notes": None, "last_contacted_at": None}
        if changes.get("status") == "contacted" and "last_contacted_at" not in changes:
            changes["last_contacted_at"] = now
        changed = {k: v for k, v in changes.items() if old.get(k) != v}
        if row is None:
            conn.execute(insert(OutreachEntry).values(
                user_id=user_id, created_at=now, updated_at=now,
                **{k: changes.get(k, old[k]) for k in _FIELDS}))
        elif changed:
            conn.execute(update(OutreachEntry).where(OutreachEntry.user_id == user_id)
                         .values(updated_at=now, **changed))
        for k, v in changed.items():
            conn.execute(insert(OutreachEvent).values(
                user_id=user_id, at=now, actor=actor, field=k,
                old=None if old.get(k) is None else str(old[k]),
                new=None if v is None else str(v)))
    return {**old, **changes}


def history(engine: Engine, user_id: int) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(OutreachEvent).where(OutreachEvent.user_id == user_id)
                            .order_by(OutreachEvent.id)).all()
    return [dict(r._mapping) for r in rows]
