"""The response-times page's and the unanswered queue's cached readers (``graph.response``),
and the link to a person page. Pages call these; they never run SQL themselves.

Both read one ranking run's window, which is fixed once the run is stored (answers count up
to its end), so they are kept for ten minutes: on the 1M-tweet database a first read takes
seconds, and while it runs an ``st.status`` names each step (``graph.response``'s steps).

The status must show only while the figures are computed. ``st.cache_data`` replays what a
cached function draws, and a function drawing into a status made outside it cannot be
replayed at all; so the cache is asked first (a miss raises, and an exception is never
cached), the figures are computed under the status outside the cache, and then stored in it.
They stay in ``st.cache_data``, so everything that clears it (a new ranking, a person
forgotten) clears them too."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import streamlit as st

from dashboard.common import engine, status_steps
from graph import response
from settings import load_settings

__all__ = ["response_times", "unanswered_queue", "with_current_outreach", "person_url",
           "staff_minutes", "PERSON_URL_TEXT"]

# The person page reads the username from ``?user=`` (pages/person.py); a link column shows
# the name this captures.
PERSON_URL_TEXT = r"/person\?user=(.*)"


class _NotKept(Exception):
    """The cache holds no figures for these arguments yet."""


@st.cache_data(ttl=600, show_spinner=False)
def _kept(kind: str, url: str, run_id: int, handle: str | None, minutes: float,
          _value: Callable[[], Any] | None = None) -> Any:
    """The figures kept for these arguments; ``_value`` (not part of the key) stores them."""
    if _value is None:
        raise _NotKept
    return _value()


def _with_status(kind: str, url: str, run_id: int, handle: str | None, minutes: float,
                 label: str, compute: Callable[[Callable[[str], None]], Any]) -> Any:
    """The kept figures, else ``compute(step)`` under ``st.status(label)``, a line per step."""
    try:
        return _kept(kind, url, run_id, handle, minutes)
    except _NotKept:
        pass
    started = time.monotonic()
    with status_steps(label) as (box, step):
        value = compute(step)
        box.update(label=f"{label.rstrip('.')}: done in {time.monotonic() - started:.1f} s",
                   state="complete", expanded=False)
    return _kept(kind, url, run_id, handle, minutes, _value=lambda: value)


def staff_minutes() -> float:
    """The settings' assumption behind "staff time saved": minutes per request."""
    return load_settings().response.staff_minutes_per_request


def response_times(url: str, run_id: int, handle: str | None = None) -> dict[str, Any]:
    """A ranking run's response-time figures (``graph.response.for_run``), with the settings'
    staff minutes per request."""
    minutes = staff_minutes()
    return _with_status(
        "figures", url, run_id, handle, minutes, "Counting the help requests...",
        lambda step: response.for_run(engine(url), run_id, handle=handle,
                                      staff_minutes_per_request=minutes, progress=step))


def _conversations(url: str, run_id: int) -> dict[str, Any]:
    """The run's unanswered conversations (``graph.response.unanswered_conversations``)."""
    def compute(step: Callable[[str], None]) -> dict[str, Any]:
        w = response.run_window(engine(url), run_id)
        if w is None:
            return {"conversations": [], "requests": 0, "requests_in_threads_staff_answered": 0,
                    "by_handle": {}, "by_lang": {}}
        return response.unanswered_conversations(
            engine(url), w["start"], w["end"], run_id=run_id, staff_handles=w["staff_handles"],
            progress=step)

    return _with_status("queue", url, run_id, None, 0.0,
                        "Counting the conversations nobody answered...", compute)


def unanswered_queue(url: str, run_id: int, handle: str | None, lang: str | None,
                     offset: int, limit: int, oldest_first: bool) -> dict[str, Any]:
    """One page of the run's unanswered conversations to ``handle`` (None: every handle) in
    ``lang``: ``rows``, ``total`` conversations and the ``requests`` they hold; beside them
    the conversations per handle and per language (for the filters) and the requests left
    out for sitting in threads staff had answered (every handle)."""
    q = _conversations(url, run_id)
    convs = q["conversations"]
    if handle:
        convs = [c for c in convs if c["handle"].lower() == handle.lower()]
    by_lang: dict[str, int] = {}
    for c in convs:
        by_lang[c["lang"]] = by_lang.get(c["lang"], 0) + 1
    chosen = [c for c in convs if not lang or c["lang"] == lang]
    rows, total = response.queue_page(convs, lang=lang, offset=offset, limit=limit,
                                      oldest_first=oldest_first)
    return {"rows": rows, "total": total, "requests": sum(c["requests"] for c in chosen),
            "by_handle": q["by_handle"],
            "by_lang": dict(sorted(by_lang.items(), key=lambda kv: (-kv[1], kv[0]))),
            "left_out": q["requests_in_threads_staff_answered"]}


def with_current_outreach(url: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with each person's outreach status as it is now (not cached: a do-not-contact
    mark shows at once, whatever the cached queue held)."""
    now = response.outreach_status(engine(url), [r["user_id"] for r in rows])
    gone = {"status": "to contact", "last_contacted": None}
    return [{**r, **now.get(r["user_id"], gone)} for r in rows]


def person_url(username: str | None) -> str | None:
    """The address of ``username``'s person page, inside this dashboard."""
    return f"/person?user={quote(username, safe='')}" if username else None
