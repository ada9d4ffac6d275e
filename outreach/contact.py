"""Who staff may reach out to now, and who is asking: one rule for every page, template and
export.

* "do-not-contact" is final: marked everywhere, never in a template or an export.
* Someone contacted fewer than ``[outreach] cooldown_days`` ago is marked, and left out of
  templates and exports unless staff ask to include them.
* The daily export cap counts against an identity nobody can type in: the signed-in account on
  the dashboard, the operating-system account on the command line.
"""

from __future__ import annotations

import getpass
import os
from datetime import datetime, timedelta, timezone

__all__ = ["DO_NOT_CONTACT", "as_datetime", "cooldown_until", "contact_mark", "may_contact",
           "os_user"]

DO_NOT_CONTACT = "do-not-contact"


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def as_datetime(value: datetime | str | None) -> datetime | None:
    """A stored timestamp (SQLite hands raw-SQL datetimes back as text) as a naive UTC
    datetime."""
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def cooldown_until(last_contacted: datetime | str | None, cooldown_days: int
                   ) -> datetime | None:
    """When the cooldown after the last contact ends (None: no contact, or no cooldown)."""
    last = as_datetime(last_contacted)
    if last is None or cooldown_days <= 0:
        return None
    return last + timedelta(days=cooldown_days)


def contact_mark(status: str | None, last_contacted: datetime | str | None, cooldown_days: int,
                 now: datetime | None = None) -> str:
    """Why this person should not be contacted now, in words for a table cell; empty when
    they may be."""
    if status == DO_NOT_CONTACT:
        return "do not contact"
    until = cooldown_until(last_contacted, cooldown_days)
    if until is not None and (now or _now()) < until:
        return f"cooldown until {until:%Y-%m-%d}"
    return ""


def may_contact(status: str | None, last_contacted: datetime | str | None, cooldown_days: int,
                *, include_cooldown: bool = False, now: datetime | None = None) -> bool:
    """Whether a template or an export may name this person: never when do-not-contact; not
    within the cooldown unless ``include_cooldown``."""
    if status == DO_NOT_CONTACT:
        return False
    return include_cooldown or not contact_mark(status, last_contacted, cooldown_days, now)


def os_user() -> str:
    """The operating-system account running this process, from the process's user id (never
    from $USER or $LOGNAME, which anyone can set); the daily export cap is kept against it on
    the command line, and on a dashboard without sign-in."""
    try:
        import pwd
    except ImportError:  # Windows: no user database to ask; the login name is the best there is
        return getpass.getuser() or "local"
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a container's uid with no passwd entry
        return f"uid:{os.getuid()}"
