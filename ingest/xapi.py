"""The X API v2 adapter over tweepy: raw response pages out, no side effects.

Rate limits, retries and error types live here and nowhere else:

* 429 with a rate-limit reset: wait until the reset (plus a second), then try again.
* 429 "UsageCapExceeded" (the monthly post cap): stop with ``UsageCapExceeded``.
* 5xx and network errors: up to ``max_retries`` tries with exponential backoff.
* Anything else (400, 401, 403, 404): ``XApiError`` at once.
* X no longer accepting a parameter or field name we send (its newest spec renames
  ``tweet.fields`` to ``post.fields``), or answering posts without the fields asked for:
  ``XFieldsChanged`` at once, which stops the whole run before anything is stored.

The bearer token goes to tweepy and nowhere else. tweepy logs request headers, token included,
at DEBUG, so its logger is held at INFO.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import requests
import tweepy

__all__ = [
    "XClient",
    "XApiError",
    "XFieldsChanged",
    "UsageCapExceeded",
    "Pages",
    "TWEET_FIELDS",
    "USER_FIELDS",
    "EXPANSIONS",
]

logging.getLogger("tweepy").setLevel(logging.INFO)
log = logging.getLogger(__name__)

TWEET_FIELDS = [
    "author_id", "conversation_id", "created_at", "entities", "in_reply_to_user_id", "lang",
    "note_tweet", "public_metrics", "referenced_tweets", "reply_settings", "source",
]
USER_FIELDS = [
    "created_at", "description", "location", "name", "profile_image_url", "protected",
    "public_metrics", "url", "username", "verified",
]
EXPANSIONS = [
    "author_id", "in_reply_to_user_id", "referenced_tweets.id", "referenced_tweets.id.author_id",
    "entities.mentions.username",
]


class XApiError(RuntimeError):
    """The API refused a request in a way retrying will not fix."""


class XFieldsChanged(XApiError):
    """X renamed or dropped a parameter or field this version asks for: retrying or fetching
    other handles cannot help, and going on would store posts without authors or times."""


class UsageCapExceeded(XApiError):
    """The app's monthly usage cap is reached; nothing more can be fetched until it resets."""


def _body(response: Any) -> dict[str, Any]:
    try:
        data = response.json()
    except Exception:  # noqa: BLE001 - a body that is not JSON is simply not informative
        return {}
    return data if isinstance(data, dict) else {}


class XClient:
    def __init__(
        self,
        bearer_token: str | None = None,
        *,
        client: tweepy.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        max_retries: int = 5,
        backoff: float = 2.0,
        max_rate_waits: int = 5,
        timeout: tuple[float, float] = (10.0, 60.0),
        deadline: float = 30.0,
        run_deadline: float | None = None,
    ):
        if client is None:
            if not bearer_token:
                raise XApiError("no X API bearer token: set X_BEARER_TOKEN")
            client = tweepy.Client(bearer_token, return_type=dict, wait_on_rate_limit=False)
        client.return_type = dict
        client.wait_on_rate_limit = False
        self.client = client
        # Seconds one call may take, every try and wait for a retry included (but not waits
        # for a rate-limit reset, which X announces); and the whole run, from now.
        self.deadline = float(deadline)
        self.run_deadline = run_deadline
        self.started = clock()
        self._due: float | None = None  # when the current call must have its answer
        _with_timeout(client.session, timeout, self._remaining)
        # Only to remove it from messages: a server may echo the Authorization header back.
        self._token = getattr(client, "bearer_token", None) or bearer_token
        self.sleep = sleep
        self.clock = clock
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_rate_waits = max_rate_waits
        self.requests = 0
        self.waited = 0.0
        self.repeated_tokens = 0

    def _remaining(self) -> float | None:
        """Seconds left before the current call's deadline (None: no call running)."""
        return None if self._due is None else self._due - self.clock()

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """One request, with the waits and retries above, within ``deadline`` seconds."""
        if self.run_deadline is not None and self.clock() - self.started > self.run_deadline:
            raise XApiError(f"{method}: not sent: the run is past its deadline of "
                            f"{self.run_deadline:.0f} s ([ingest.x] run_deadline)")
        try:
            return self._call(method, **params)
        finally:
            self._due = None

    def _call(self, method: str, **params: Any) -> dict[str, Any]:
        fn = getattr(self.client, method)
        failures = rate_waits = 0
        self._due = self.clock() + self.deadline
        while True:
            self.requests += 1
            try:
                return fn(**params)
            except tweepy.TooManyRequests as exc:
                body = _body(exc.response)
                if body.get("title") == "UsageCapExceeded" or "usage-capped" in str(
                        body.get("type", "")):
                    raise UsageCapExceeded(
                        f"X API monthly usage cap reached "
                        f"({scrub(str(body.get('detail', 'no detail')), self._token)}); "
                        "stopping until it resets") from None
                rate_waits += 1
                if rate_waits > self.max_rate_waits:
                    raise XApiError(f"{method}: still rate limited after {rate_waits - 1} waits")
                reset = exc.reset_time
                wait = max(1.0, reset - self.clock() + 1) if reset else 60.0
                log.warning("rate limited on %s; waiting %.0f s for the reset", method, wait)
                self.waited += wait
                self.sleep(wait)
                self._due = self.clock() + self.deadline  # (a new call, after the reset)
            except (tweepy.TwitterServerError, requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError, ValueError) as exc:
                # A cut body and a 200 whose JSON does not decode (ValueError) are retried
                # like a 5xx or a timeout.
                failures += 1
                if failures >= self.max_retries:
                    raise XApiError(
                        f"{method}: gave up after {failures} tries: {self._why(exc)}") from None
                wait = self.backoff * 2 ** (failures - 1)
                if self.clock() + wait >= self._due:
                    raise XApiError(
                        f"{method}: no answer within {self.deadline:g} s ({failures} tries;"
                        f" [ingest.x] call_deadline): {self._why(exc)}") from None
                log.warning("%s failed (%s); retry %d in %.0f s", method, self._why(exc),
                            failures, wait)
                self.waited += wait
                self.sleep(wait)
            except tweepy.HTTPException as exc:
                renamed = _renamed_parameters(exc)
                if renamed:
                    raise XFieldsChanged(
                        f"{method}: X no longer accepts what this version sends ({renamed}). "
                        "The X API has renamed its parameters or fields (its newest spec calls "
                        "tweet.fields post.fields); update Champion Tracker. Nothing was "
                        "fetched.") from None
                raise XApiError(f"{method}: {self._why(exc)}") from None

    def _why(self, exc: Exception) -> str:
        return scrub(_describe(exc), self._token)

    def pages(self, method: str, *, token_param: str = "pagination_token", max_pages: int = 20,
              **params: Any) -> Pages:
        """Every page of a paginated endpoint, following ``meta.next_token``, at most
        ``max_pages``; afterwards ``.cut_short`` says whether pages were left unfetched."""
        return Pages(self, method, token_param, max_pages, params)

    def get_user_by_username(self, username: str) -> dict[str, Any]:
        page = self.call("get_user", username=username, user_fields=USER_FIELDS)
        if not page.get("data"):
            raise XApiError(f"no such X account: @{username}")
        check_fields(page, "get_user", users=True)
        return page


class Pages:
    """The pages of one query. After iterating, ``cut_short`` is True when ``max_pages`` (or a
    repeated token) ended it with a ``next_token`` still to follow: the caller must not move its
    cursor past what was not fetched."""

    def __init__(self, x: XClient, method: str, token_param: str, max_pages: int,
                 params: dict[str, Any]):
        self.x, self.method, self.token_param = x, method, token_param
        self.max_pages, self.params = max_pages, params
        self.cut_short = False
        self.fetched = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        token = None
        seen: set[str] = set()
        params = dict(self.params)
        while True:
            if token:
                params[self.token_param] = token
            page = self.x.call(self.method, **params)
            check_fields(page, self.method)
            self.fetched += 1
            yield page
            token = (page.get("meta") or {}).get("next_token")
            if not token:
                return
            if token in seen:
                # The API handed back a token it already gave: following it again would only
                # spend the monthly cap on the same page. What lies beyond is left for the next
                # run, like a query cut short by max_pages.
                log.warning("%s: pagination token repeated; stopping this query", self.method)
                self.x.repeated_tokens += 1
                self.cut_short = True
                return
            seen.add(token)
            if self.fetched >= self.max_pages:
                self.cut_short = True
                return


# Fields asked for that X always returns when asked: their absence means X no longer reads the
# parameter that asks for them (a rename), not that the post lacks them.
_ALWAYS_TWEET = ("author_id", "created_at")
_ALWAYS_USER = ("created_at",)
_NOT_ONE_OF = re.compile(r"(?:query parameter \[([\w.]+)\] is not one of|"
                         r"`([\w.]+)` query parameter value \[([^\]]*)\] is not one of)")


def check_fields(page: dict[str, Any], method: str, *, users: bool = False) -> None:
    """Fail loudly when a page's posts (or, with ``users``, its users) lack fields asked for
    (see ``_ALWAYS_*``). Users are checked at start-up only: the handle's own lookup."""
    data = page.get("data")
    items = [data] if isinstance(data, dict) else list(data or ())[:1]
    for item in items:
        if not isinstance(item, dict):
            continue
        is_user = "username" in item and "text" not in item
        if is_user and not users:
            continue
        missing = [f for f in (_ALWAYS_USER if is_user else _ALWAYS_TWEET) if f not in item]
        if missing:
            what = "users" if is_user else "posts"
            asked = "user.fields" if is_user else "tweet.fields"
            raise XFieldsChanged(
                f"{method}: X returned {what} without the fields asked for "
                f"({', '.join(missing)}). X seems to no longer read {asked} (its newest spec "
                "calls it post.fields); update Champion Tracker. Nothing from this page was "
                "stored.")


def _renamed_parameters(exc: Exception) -> str | None:
    """What a 400 "Invalid Request" says about parameters or values X does not know, if that is
    what it says ("The query parameter [tweet.fields] is not one of [...]")."""
    if not isinstance(exc, tweepy.BadRequest):
        return None
    found = []
    for e in _body(exc.response).get("errors") or ():
        m = _NOT_ONE_OF.search(str((e or {}).get("message", ""))) if isinstance(e, dict) else None
        if m:
            found.append(f"parameter {m.group(1)}" if m.group(1)
                         else f"{m.group(2)} value {m.group(3)}")
    return "; ".join(found) or None


def x_timeouts(options: Any) -> tuple[float, float]:
    """(connect, read) seconds from the settings' ``[ingest.x]`` (``settings.XOptions``)."""
    return float(options.connect_timeout), float(options.read_timeout)


def x_deadlines(options: Any) -> dict[str, float]:
    """``XClient``'s deadlines from the settings' ``[ingest.x]``: seconds per call (every try
    included), and per run."""
    return {"deadline": float(options.call_deadline),
            "run_deadline": float(options.run_deadline)}


def _with_timeout(session: requests.Session, timeout: tuple[float, float],
                  remaining: Callable[[], float | None] = lambda: None) -> None:
    """Every request on the session gets (connect, read) timeouts, each at most the seconds
    ``remaining`` before the call's deadline: tweepy sets none, and a server that accepts
    the connection and never answers would hang the job, holding the lock. A timeout is
    retried like a 5xx, while the deadline allows."""
    original = getattr(session, "_champions_request", None) or session.request

    def request(method, url, **kwargs):
        given = kwargs.get("timeout") or timeout
        connect, read = given if isinstance(given, tuple) else (given, given)
        left = remaining()
        if left is not None:
            left = max(0.01, left)
            connect, read = min(connect, left), min(read, left)
        kwargs["timeout"] = (connect, read)
        return original(method, url, **kwargs)

    session.request = request  # type: ignore[method-assign]
    session._champions_request = original  # type: ignore[attr-defined]


_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9%._~+/=-]+")


def scrub(message: str, token: str | None = None) -> str:
    """A message with the bearer token (and anything written as "Bearer <token>") removed, for
    output, logs and ``ingest_runs.error``."""
    if token:
        message = message.replace(token, "[token]")
    return _BEARER.sub(r"\1[token]", message)


def _describe(exc: Exception) -> str:
    if isinstance(exc, tweepy.HTTPException):
        body = _body(exc.response)
        detail = body.get("detail") or body.get("title") or ""
        problems = [e.get("message") for e in body.get("errors") or ()
                    if isinstance(e, dict) and e.get("message")]
        if problems:
            detail = f"{detail} ({'; '.join(problems)})" if detail else "; ".join(problems)
        return f"HTTP {exc.response.status_code} {detail}".strip()
    if isinstance(exc, ValueError):
        return f"{type(exc).__name__}: the response was not valid JSON"
    return type(exc).__name__
