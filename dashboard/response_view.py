"""The response-times page's and the unanswered queue's cached readers (``graph.response``),
and the link to a person page. Pages call these; they never run SQL themselves.

Both read one ranking run's window, which is fixed once the run is stored (answers count up
to its end), so they are kept for ten minutes: on the 1M-tweet database a first read takes
seconds."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import streamlit as st

from dashboard.common import engine
from graph import response

__all__ = ["response_times", "unanswered_queue", "with_current_outreach", "person_url",
           "PERSON_URL_TEXT"]

# The person page reads the username from ``?user=`` (pages/person.py); a link column shows
# the name this captures.
PERSON_URL_TEXT = r"/person\?user=(.*)"


@st.cache_data(ttl=600, show_spinner=False)
def response_times(url: str, run_id: int, handle: str | None = None) -> dict[str, Any]:
    """A ranking run's response-time figures (``graph.response.for_run``)."""
    return response.for_run(engine(url), run_id, handle=handle)


@st.cache_data(ttl=600, show_spinner=False)
def unanswered_queue(url: str, run_id: int, handle: str | None, lang: str | None,
                     offset: int, limit: int, oldest_first: bool
                     ) -> tuple[list[dict[str, Any]], int]:
    """One page of the run's unanswered help requests, and how many there are in all."""
    w = response.run_window(engine(url), run_id)
    if w is None:
        return [], 0
    return response.unanswered_queue(engine(url), w["start"], w["end"], run_id=run_id,
                                     staff_handles=w["staff_handles"], handle=handle,
                                     lang=lang, offset=offset, limit=limit,
                                     oldest_first=oldest_first)


def with_current_outreach(url: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with each person's outreach status as it is now (not cached: a do-not-contact
    mark shows at once, whatever the cached queue held)."""
    now = response.outreach_status(engine(url), [r["user_id"] for r in rows])
    gone = {"status": "to contact", "last_contacted": None}
    return [{**r, **now.get(r["user_id"], gone)} for r in rows]


def person_url(username: str | None) -> str | None:
    """The address of ``username``'s person page, inside this dashboard."""
    return f"/person?user={quote(username, safe='')}" if username else None
