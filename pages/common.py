"""The dashboard's cached readers and shared sidebar: one engine per database URL, short-lived
cached queries. Pages call these; they never run SQL or graph code themselves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from graph import results
from ingest.status import collect_status
from outreach.pipeline import history, update_entry
from settings import database_url, load_settings
from store.accounts import clear_account_label, set_account_label
from store.db import make_engine
from store.migrate import SchemaError, check


@st.cache_resource
def engine(url: str):
    return make_engine(url)


def current_url() -> str:
    return database_url()


@st.cache_data(ttl=30, show_spinner=False)
def ingest_status(url: str, days: int) -> dict[str, Any]:
    return collect_status(engine(url), days=days)


@st.cache_data(ttl=10, show_spinner=False)
def schema_problem(url: str) -> str | None:
    """Why the dashboard cannot read this database yet (no schema, or an older one), or None.
    Pages never create or migrate the schema: the ingest job or `python -m store upgrade` do."""
    try:
        check(engine(url))
    except SchemaError as exc:
        return str(exc)
    return None


def schema_or_stop(url: str) -> None:
    problem = schema_problem(url)
    if problem:
        st.info(f"No data yet: {problem}.")
        st.stop()


@st.cache_data(ttl=60, show_spinner=False)
def runs(url: str) -> list[dict[str, Any]]:
    if schema_problem(url):
        return []
    return results.runs(engine(url))


def latest_run(url: str) -> dict[str, Any] | None:
    """The ranking run (time window) chosen in the sidebar, else the newest."""
    chosen = st.session_state.get("filter_run")
    stored = runs(url)
    for r in stored:
        if r["id"] == chosen:
            return r
    return stored[0] if stored else None


@st.cache_data(ttl=60, show_spinner=False)
def leaderboard(url: str, run_id: int, tier: str | None, lang: str | None,
                community: int | None, search: str | None) -> list[dict[str, Any]]:
    return results.leaderboard(engine(url), run_id, tier=tier, lang=lang, community=community,
                               search=search)


@st.cache_data(ttl=60, show_spinner=False)
def filter_options(url: str, run_id: int) -> dict[str, list]:
    return results.filter_options(engine(url), run_id)


@st.cache_data(ttl=10, show_spinner=False)
def person(url: str, run_id: int, username: str) -> dict[str, Any] | None:
    return results.person(engine(url), run_id, username)


@st.cache_data(ttl=60, show_spinner=False)
def abstain_reason(url: str, run_id: int) -> str | None:
    return results.abstain_reason(engine(url), run_id)


@st.cache_data(ttl=30, show_spinner=False)
def left_out(url: str, run_id: int) -> list[dict[str, Any]]:
    return results.left_out(engine(url), run_id)


def decide_account(url: str, user_id: int, label: str | None, actor: str) -> None:
    """Record (or, with None, forget) a staff decision about a flagged account; it takes
    effect at the next ranking run."""
    with engine(url).begin() as conn:
        if label is None:
            clear_account_label(conn, user_id)
        else:
            set_account_label(conn, user_id, label, by=actor)
    person.clear()
    left_out.clear()


def outreach_history(url: str, user_id: int) -> list[dict[str, Any]]:
    return history(engine(url), user_id)


def save_outreach(url: str, user_id: int, actor: str, **changes) -> None:
    update_entry(engine(url), user_id, actor, **changes)
    person.clear()
    leaderboard.clear()


def resume_page() -> None:
    """Where a visitor was going when a page handed over to app.py (see require_access)."""
    wanted = st.session_state.pop("_after_app", None)
    if wanted:
        st.switch_page(f"pages/{wanted}")


def sign_in_configured() -> bool:
    """Sign-in is on when ``.streamlit/secrets.toml`` has an ``[auth]`` (OIDC) section."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: the local default
        return False


def access_gate() -> None:
    """With an OIDC provider configured, let in only signed-in staff on the allow-list; stop the
    page for anyone else. Without one, the local default runs without sign-in, and says so."""
    st.session_state["_app_seen"] = True
    if not sign_in_configured():
        st.sidebar.caption("Running locally on the embedded database, without sign-in.")
        return
    if not st.user.is_logged_in:
        st.title("Champion Tracker")
        st.text("Sign in with your work account to continue.")
        st.button("Sign in", on_click=st.login, key="sign_in")
        st.stop()
    email = st.user.get("email")
    if not load_settings().access.allows(email):
        st.error("This account is not on the staff allow-list.")
        st.text(f"Signed in as {email}")
        st.button("Sign out", on_click=st.logout, key="sign_out")
        st.stop()
    st.sidebar.text(f"Signed in as {email}")
    st.sidebar.button("Sign out", on_click=st.logout, key="sign_out")


def require_access() -> None:
    """Every page starts here. ``app.py`` shows the sign-in screen; this only makes sure that a
    page reached any other way shows nothing to someone not allowed in.

    Streamlit runs a fresh server in its legacy "pages/ folder" mode until a session has called
    ``st.navigation``: a first request straight to a page URL runs that page without app.py.
    Such a page hands over to app.py (navigation, sidebar and sign-in come back), once per
    session: the access check below does not depend on it."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory and not st.session_state.get("_app_seen"):
        import sys

        st.session_state["_after_app"] = Path(sys._getframe(1).f_globals["__file__"]).name
        st.switch_page("app.py")
    if sign_in_configured() and not (st.user.is_logged_in
                                     and load_settings().access.allows(st.user.get("email"))):
        st.stop()


def ranking_run_or_stop(url: str) -> dict[str, Any]:
    """The chosen ranking run; with none stored yet, say how to make one and stop the page."""
    problem = schema_problem(url)
    if problem:
        st.info(f"No ranking yet: {problem}.")
        st.stop()
    run = latest_run(url)
    if run is None:
        st.info("No ranking yet. Run `python -m graph rank` (after loading tweets).")
        st.stop()
    return run


def filters() -> dict[str, Any]:
    """The sidebar filters app.py sets (tier, language, community)."""
    return {k: st.session_state.get(f"filter_{k}") for k in ("tier", "lang", "community")}


def actor() -> str:
    """Who is making a change: the signed-in user, else the local operator."""
    user = getattr(st, "user", None)
    email = getattr(user, "email", None) if user is not None else None
    return email or "local"


@st.cache_data(ttl=60, show_spinner=False)
def fixes(url: str, run_id: int) -> list[dict[str, Any]]:
    run = results.run_by_id(engine(url), run_id)
    return results.fixes(engine(url), run["window_start"], run["window_end"])


@st.cache_data(ttl=60, show_spinner=False)
def spreaders(url: str, tweet_id: int) -> list[dict[str, Any]]:
    return results.spreaders(engine(url), tweet_id)


@st.cache_data(ttl=60, show_spinner=False)
def unanswered(url: str, run_id: int) -> list[dict[str, Any]]:
    run = results.run_by_id(engine(url), run_id)
    return results.unanswered_requests(engine(url), run["window_start"], run["window_end"])


@st.cache_data(ttl=300, show_spinner=False)
def network(url: str, run_id: int, top: int, center: str | None = None) -> dict[str, Any]:
    return results.network(engine(url), run_id, top, center=center)


def draw_network(g: dict[str, Any]) -> None:
    """Helpers and brand accounts, coloured by community; tooltips are text."""
    import altair as alt
    import pandas as pd

    nodes = pd.DataFrame(g["nodes"])
    edges = pd.DataFrame(g["edges"], columns=["x", "y", "x2", "y2", "weight"])
    lines = alt.Chart(edges).mark_rule(opacity=0.25).encode(
        x=alt.X("x:Q", axis=None), y=alt.Y("y:Q", axis=None), x2="x2:Q", y2="y2:Q")
    dots = alt.Chart(nodes).mark_circle(opacity=0.9).encode(
        x="x:Q", y="y:Q", color=alt.Color("community:N", title="community"),
        size=alt.Size("score:Q", scale=alt.Scale(range=[40, 600]), legend=None),
        tooltip=["username:N", "community:N", alt.Tooltip("score:Q", format=".1f")])
    st.altair_chart((lines + dots).interactive(), width="stretch")
    st.caption(f"{len(nodes)} people, {len(edges)} links."
               + (f" {g['left_out']} with no link among them are left out." if g["left_out"]
                  else ""))


def export_csv(url: str, who: str, tiers: tuple[str, ...] | None) -> tuple[bytes, Any]:
    """The outreach CSV for ``who`` (logged against their daily cap), and the export's facts."""
    from outreach.export import EXPORT_COLUMNS, export_rows
    from untrusted import csv_text

    got = export_rows(engine(url), who, tiers=tiers)
    return csv_text(EXPORT_COLUMNS, got.rows).encode("utf-8"), got
