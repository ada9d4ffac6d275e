"""Settings in one place: the TOML file, the database URL, and secrets.

* The settings file comes from ``--config``, else ``$CHAMPIONS_CONFIG``, else ``champions.toml``
  in the working directory (a missing default file means "all defaults").
* The database URL comes from ``--db``, else ``$CHAMPIONS_DB_URL``, else a SQLite file under
  ``data/``.
* Secrets (the X bearer token) come only from the environment or ``.streamlit/secrets.toml``;
  they are never read from the settings file or the database.
"""

from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "Settings", "FileSource", "OutreachOptions", "load_settings", "database_url", "bearer_token",
    "parse_days", "SettingsError", "ROOT", "add_common_args", "settings_or_exit", "IngestLimits",
    "ResponseOptions",
]

from settings.phrases import ROLES as PHRASE_ROLES

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = "champions.toml"
DEFAULT_DB_URL = f"sqlite:///{ROOT / 'data' / 'champions.db'}"


class SettingsError(ValueError):
    """The settings file is missing, unreadable or holds a wrong value."""


@dataclass(frozen=True)
class FileSource:
    """A folder or file that ``python -m ingest run`` imports (new or changed files only)."""

    path: Path
    format: str = "auto"


@dataclass(frozen=True)
class XOptions:
    # Fetch retweeters and quotes of the handles' own tweets from this many days back.
    fix_lookback_days: int = 7
    # Safety valve per query per run, so one run cannot eat the month's quota.
    max_pages: int = 20
    # Fix tweets whose retweeters and quotes are fetched, per handle per run (most recent first).
    max_fix_tweets: int = 50
    recent_search: bool = True
    # Run X batch compliance jobs for the stored tweets and users once a day (`ingest run`).
    compliance: bool = False
    # Seconds to connect, and to wait for each read, on every X API request (then retried).
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    # Seconds one X call may take in all, its retries included (not rate-limit waits, which X
    # announces), and one run in all: a stalled server costs a run this much, no more.
    call_deadline: float = 30.0
    run_deadline: float = 1800.0


@dataclass(frozen=True)
class IngestLimits:
    """Caps on what one input may make the import hold or read (``[ingest]`` in the settings).

    A line or row past ``max_line_kb`` is one rejected record; a document read whole (an archive
    ``.js``, a v1.1 JSON array) past ``max_document_mb``, or a ``.gz`` or ``.zip`` expanding past
    ``max_decompressed_mb``, is one failed file, named, and the other files go on.
    """

    max_line_kb: int = 16_384  # one JSONL line (an X API page) or CSV row
    max_document_mb: int = 256  # one file parsed whole; parsing takes several times this
    max_decompressed_mb: int = 4_096  # all that one .gz (or one .zip's members) expands to
    # A .gz or .zip member expanding more than this many times its compressed size, once past
    # 64 MB, is a decompression bomb, not data (real archives expand 5-20 times).
    max_ratio: int = 200
    # Rejected records stored one by one per file (with their excerpts); past this, counted.
    max_reject_rows: int = 1_000

    @property
    def max_line(self) -> int:
        return self.max_line_kb * 1024

    @property
    def max_document(self) -> int:
        return self.max_document_mb * 1024 * 1024

    @property
    def max_decompressed(self) -> int:
        return self.max_decompressed_mb * 1024 * 1024


def _limits(ingest: dict[str, Any], chosen: Path) -> IngestLimits:
    values = {}
    for name in ("max_line_kb", "max_document_mb", "max_decompressed_mb", "max_ratio",
                 "max_reject_rows"):
        if name in ingest:
            value = ingest[name]
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise SettingsError(f"{chosen}: ingest.{name} must be a positive whole number")
            values[name] = value
    return IngestLimits(**values)


def _response(section: dict[str, Any], chosen: Path) -> ResponseOptions:
    for name in section:
        if name != "staff_minutes_per_request":
            raise SettingsError(f"{chosen}: response.{name}: unknown setting "
                                "(known: staff_minutes_per_request)")
    if "staff_minutes_per_request" not in section:
        return ResponseOptions()
    value = section["staff_minutes_per_request"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
            0 < value < float("inf")):
        raise SettingsError(f"{chosen}: response.staff_minutes_per_request must be a number of "
                            "minutes above 0")
    return ResponseOptions(staff_minutes_per_request=float(value))


def _default_phrases() -> dict[str, dict[str, list[str]]]:
    from settings.phrases import PHRASES

    return {lang: {role: list(v) for role, v in roles.items()} for lang, roles in PHRASES.items()}


def _default_weights() -> dict[str, float]:
    from settings.defaults import WEIGHTS

    return dict(WEIGHTS)


def _default_ranking() -> dict[str, float]:
    from settings.defaults import RANKING

    return dict(RANKING)


@dataclass(frozen=True)
class Access:
    """Who may use the dashboard once sign-in (OIDC) is configured: exact e-mail addresses or
    whole domains. With sign-in configured and an empty list, nobody gets in."""

    allowed_emails: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()

    def allows(self, email: str | None) -> bool:
        email = (email or "").strip().lower()
        if "@" not in email:
            return False
        domain = email.rsplit("@", 1)[1]
        return email in self.allowed_emails or domain in self.allowed_domains


@dataclass(frozen=True)
class OutreachOptions:
    # People contacted fewer than this many days ago are marked, and left out of message
    # templates and exports unless staff ask for them; 0 turns the cooldown off.
    cooldown_days: int = 30


def _default_staff_minutes() -> float:
    from settings.defaults import RESPONSE

    return float(RESPONSE["staff_minutes_per_request"])


@dataclass(frozen=True)
class ResponseOptions:
    """``[response]``: the assumption behind "staff time saved" (``graph.response``): minutes
    of staff time one request staff never had to answer would have taken."""

    staff_minutes_per_request: float = field(default_factory=_default_staff_minutes)


@dataclass(frozen=True)
class Settings:
    support_handles: tuple[str, ...] = ()
    staff_handles: tuple[str, ...] = ()
    fix_domains: tuple[str, ...] = ()
    file_sources: tuple[FileSource, ...] = ()
    x: XOptions = field(default_factory=XOptions)
    access: Access = field(default_factory=Access)
    outreach: OutreachOptions = field(default_factory=OutreachOptions)
    response: ResponseOptions = field(default_factory=ResponseOptions)
    schedule_every: str | None = None
    limits: IngestLimits = field(default_factory=IngestLimits)
    phrases: dict[str, dict[str, list[str]]] = field(default_factory=_default_phrases)
    weights: dict[str, float] = field(default_factory=_default_weights)
    ranking: dict[str, float] = field(default_factory=_default_ranking)
    path: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def _handles(values: Any, key: str) -> tuple[str, ...]:
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise SettingsError(f"{key} must be a list of strings")
    return tuple(v.strip().lstrip("@") for v in values if v.strip())


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read the settings file; ``path`` None means ``$CHAMPIONS_CONFIG`` or ``champions.toml``."""
    explicit = path is not None or "CHAMPIONS_CONFIG" in os.environ
    chosen = Path(path or os.environ.get("CHAMPIONS_CONFIG") or DEFAULT_CONFIG)
    if not chosen.exists():
        if explicit:
            raise SettingsError(f"settings file not found: {chosen}")
        return Settings()
    try:
        raw = tomllib.loads(chosen.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{chosen}: {exc}") from exc

    ingest = raw.get("ingest", {})
    sources = []
    for i, entry in enumerate(ingest.get("files", [])):
        if isinstance(entry, str):
            entry = {"path": entry}
        if "path" not in entry:
            raise SettingsError(f"{chosen}: ingest.files[{i}] needs a path")
        p = Path(entry["path"])
        if not p.is_absolute():
            p = chosen.resolve().parent / p
        sources.append(FileSource(p, entry.get("format", "auto")))
    x_raw = ingest.get("x", {})
    x = XOptions(
        fix_lookback_days=int(x_raw.get("fix_lookback_days", XOptions.fix_lookback_days)),
        max_pages=int(x_raw.get("max_pages", XOptions.max_pages)),
        max_fix_tweets=int(x_raw.get("max_fix_tweets", XOptions.max_fix_tweets)),
        recent_search=bool(x_raw.get("recent_search", XOptions.recent_search)),
        compliance=bool(x_raw.get("compliance", XOptions.compliance)),
        connect_timeout=float(x_raw.get("connect_timeout", XOptions.connect_timeout)),
        read_timeout=float(x_raw.get("read_timeout", XOptions.read_timeout)),
        call_deadline=float(x_raw.get("call_deadline", XOptions.call_deadline)),
        run_deadline=float(x_raw.get("run_deadline", XOptions.run_deadline)),
    )
    phrases = _default_phrases()
    for lang, roles in (raw.get("phrases") or {}).items():
        for role, values in roles.items():
            if role not in PHRASE_ROLES:
                raise SettingsError(f"{chosen}: phrases.{lang}.{role}: roles are "
                                    + ", ".join(PHRASE_ROLES))
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise SettingsError(f"{chosen}: phrases.{lang}.{role} must be a list of strings")
            # A language's list replaces the default list for that language and role.
            phrases.setdefault(lang, {})[role] = [str(v) for v in values]
    ranking_raw = dict(raw.get("ranking") or {})
    weights = _default_weights()
    for name, value in (ranking_raw.pop("weights", None) or {}).items():
        if name not in weights:
            raise SettingsError(f"{chosen}: ranking.weights.{name}: unknown component "
                                f"(known: {', '.join(weights)})")
        weights[name] = float(value)
    ranking = _default_ranking()
    if "window" in ranking_raw:
        ranking["window_days"] = parse_days(str(ranking_raw.pop("window")))
    for name, value in ranking_raw.items():
        if name not in ranking:
            raise SettingsError(f"{chosen}: ranking.{name}: unknown setting")
        ranking[name] = float(value)
    access_raw = raw.get("access") or {}
    access = Access(
        allowed_emails=tuple(e.strip().lower() for e in access_raw.get("allowed_emails", [])),
        allowed_domains=tuple(d.strip().lower().lstrip("@")
                              for d in access_raw.get("allowed_domains", [])))
    cooldown = (raw.get("outreach") or {}).get("cooldown_days", OutreachOptions.cooldown_days)
    if isinstance(cooldown, bool) or not isinstance(cooldown, int) or cooldown < 0:
        raise SettingsError(f"{chosen}: outreach.cooldown_days must be a whole number of days, "
                            "0 or more")
    response = _response(raw.get("response") or {}, chosen)
    return Settings(
        access=access,
        outreach=OutreachOptions(cooldown_days=cooldown),
        response=response,
        phrases=phrases,
        weights=weights,
        ranking=ranking,
        support_handles=_handles(raw.get("support_handles"), "support_handles"),
        staff_handles=_handles(raw.get("staff_handles"), "staff_handles"),
        fix_domains=tuple(d.lower() for d in _handles(raw.get("fix_domains"), "fix_domains")),
        file_sources=tuple(sources),
        x=x,
        schedule_every=ingest.get("every"),
        limits=_limits(ingest, chosen),
        path=chosen,
        raw=raw,
    )


def parse_days(value: str) -> float:
    """``90d``, ``12w``, ``36h`` or a plain number of days."""
    value = value.strip().lower()
    units = {"d": 1.0, "w": 7.0, "h": 1 / 24}
    try:
        if value and value[-1] in units:
            return float(value[:-1]) * units[value[-1]]
        return float(value)
    except ValueError:
        raise SettingsError(f"not a duration: {value!r} (use 90d, 12w, 36h)") from None


def add_common_args(parser) -> None:
    """``--db`` and ``--config``, the same on every command of ``python -m ingest`` and
    ``python -m graph``."""
    parser.add_argument("--db", help="database URL (default: $CHAMPIONS_DB_URL or "
                        "data/champions.db)")
    parser.add_argument("--config", help="settings TOML (default: $CHAMPIONS_CONFIG or "
                        "champions.toml)")


def settings_or_exit(path: str | None) -> Settings:
    """The settings for a command line; a bad file ends the process with exit code 2."""
    try:
        return load_settings(path)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def database_url(cli_value: str | None = None) -> str:
    return cli_value or os.environ.get("CHAMPIONS_DB_URL") or DEFAULT_DB_URL


def bearer_token() -> str | None:
    """The X API bearer token, from ``$X_BEARER_TOKEN`` or ``.streamlit/secrets.toml``.

    Surrounding whitespace is stripped (a Kubernetes secret made from a file ends in a newline,
    which made requests put the whole token into an exception message). A token with any other
    character a header cannot hold is refused, without repeating it."""
    token = os.environ.get("X_BEARER_TOKEN")
    where = "X_BEARER_TOKEN"
    if not token:
        secrets = Path(".streamlit/secrets.toml")
        if secrets.exists():
            data = tomllib.loads(secrets.read_text(encoding="utf-8"))
            token = data.get("X_BEARER_TOKEN") or data.get("x", {}).get("bearer_token")
            where = ".streamlit/secrets.toml"
    if not token:
        return None
    token = str(token).strip()
    if not token or any(not (33 <= ord(ch) <= 126) for ch in token):
        raise SettingsError(f"{where}: the bearer token holds a space, a line break or another "
                            f"character a token cannot ({len(token)} characters; not shown)")
    return token
