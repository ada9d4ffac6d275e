"""The dashboard's cached readers and shared sidebar: one engine per database URL, short-lived
cached queries. Pages call these; they never run SQL or graph code themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import streamlit as st

from graph.wording import md_escape
from graph import results
from outreach.contact import DO_NOT_CONTACT, contact_mark, cooldown_until, os_user
from settings import database_url, load_settings
from store.db import make_engine

# Imported where used, not here: the first page a fresh server draws (the leaderboard) needs
# none of them, and each costs a fraction of a second (alembic ~0.4 s) before anything shows.
# ingest.status (health), outreach.pipeline (outreach history), store.accounts (decisions),
# store.erase (forgetting), store.migrate (the schema check, once per server).


@st.cache_resource
def engine(url: str):
    return make_engine(url)


def current_url() -> str:
    return database_url()


@st.cache_data(ttl=30, show_spinner=False)
def ingest_status(url: str, days: int) -> dict[str, Any]:
    from ingest.status import collect_status

    return collect_status(engine(url), days=days)


@st.cache_data(ttl=10, show_spinner=False)
def schema_problem(url: str) -> str | None:
    """Why the dashboard cannot read this database yet (no schema, or an older one), or None.
    Pages never create or migrate the schema: the ingest job or `python -m store upgrade` do."""
    from store.migrate import SchemaError, check

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


@st.cache_data(ttl=30, show_spinner=False)
def missing_indexes(url: str) -> int:
    """How many read indexes the database lacks (a first import running, or killed)."""
    from store.indexes import missing

    return 0 if schema_problem(url) else len(missing(engine(url)))


@st.cache_data(ttl=5, show_spinner=False)  # a new ranking run shows within seconds
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
def top_score(url: str, run_id: int) -> float:
    """The run's best score: the leaderboard's bars are drawn against it, so filtering or
    searching never rescales them."""
    best = results.leaderboard(engine(url), run_id, limit=1)
    return max(round(float(best[0]["score"] or 0.0), 1), 1.0) if best else 1.0


@st.cache_data(ttl=60, show_spinner=False)
def filter_options(url: str, run_id: int) -> dict[str, list]:
    return results.filter_options(engine(url), run_id)


@st.cache_data(ttl=10, show_spinner=False)
def person(url: str, run_id: int, username: str) -> dict[str, Any] | None:
    return results.person(engine(url), run_id, username)


@st.cache_data(ttl=10, show_spinner=False)
def who(url: str, run_id: int, username: str) -> dict[str, Any] | None:
    return results.who(engine(url), run_id, username)


def corrections(url: str, user_id: int) -> list[dict[str, Any]]:
    from graph.corrections import history

    return history(engine(url), user_id)


def marks(url: str, tweet_ids: list[int]) -> dict[tuple[int, str], bool]:
    from graph.corrections import marks as current

    return current(engine(url), tweet_ids)


def correct_tweet(url: str, tweet_id: int, role: str, value: bool | None, actor: str,
                  user_id: int) -> bool:
    """Staff's correction of how the ranking read a tweet (``graph.corrections.correct``);
    it counts from the next ranking run."""
    from graph.corrections import correct

    return correct(engine(url), tweet_id, role, value, actor, user_id=user_id)


@contextmanager
def status_steps(label: str) -> Iterator[tuple[Any, Callable[[str], None]]]:
    """``st.status(label)``, open, and a ``progress`` callback (``graph.rank``'s,
    ``graph.response``'s) that writes a line in it per step as the step starts."""
    with st.status(label, expanded=True) as box:
        yield box, lambda name: box.write(name[:1].upper() + name[1:] + "...")


def rank_now(url: str) -> dict[str, Any]:
    """Run a ranking from the dashboard, as ``python -m graph rank`` does, with each step
    shown as it starts; every cached read is dropped so the new run shows at once."""
    from graph.rank import run_ranking

    with status_steps("Ranking the champions...") as (box, step):
        result = run_ranking(engine(url), load_settings(), progress=step)
        label = (f"Nothing new since run {result.run_id} (the same data and settings): it "
                 "stands." if result.made == "reused" else
                 f"Ranked: run {result.run_id}, {len(result.ranked):,} people.")
        box.update(label=label, state="complete", expanded=False)
    st.cache_data.clear()
    # The sidebar shows the new run after the page's rerun (app.py sets its box before
    # drawing it: a box already drawn in this run cannot be set).
    st.session_state["_show_run"] = result.run_id
    return {"run_id": result.run_id, "ranked": len(result.ranked), "made": result.made}


@st.cache_data(ttl=60, show_spinner=False)
def abstain_reason(url: str, run_id: int) -> str | None:
    return results.abstain_reason(engine(url), run_id)


@st.cache_data(ttl=30, show_spinner=False)
def left_out(url: str, run_id: int) -> list[dict[str, Any]]:
    return results.left_out(engine(url), run_id)


def decide_account(url: str, user_id: int, label: str | None, actor: str) -> None:
    """Record (or, with None, forget) a staff decision about a flagged account; it takes
    effect at the next ranking run."""
    from store.accounts import clear_account_label, set_account_label

    with engine(url).begin() as conn:
        if label is None:
            clear_account_label(conn, user_id)
        else:
            set_account_label(conn, user_id, label, by=actor)
    person.clear()
    left_out.clear()


def forget_person(url: str, user_id: int, actor: str) -> None:
    """Erase a person for good (``store.erase.forget_user``), and every cached read."""
    from store.erase import forget_user

    with engine(url).begin() as conn:
        forget_user(conn, user_id, actor=actor)
    st.cache_data.clear()


def outreach_history(url: str, user_id: int) -> list[dict[str, Any]]:
    from outreach.pipeline import history

    return history(engine(url), user_id)


def save_outreach(url: str, user_id: int, actor: str, **changes) -> None:
    from dashboard.network_view import network  # it imports this module
    from outreach.pipeline import update_entry

    update_entry(engine(url), user_id, actor, **changes)
    for reader in (person, leaderboard, left_out, spreaders, network):
        reader.clear()  # do-not-contact and cooldown marks show at once, on every page


def sidebar_menu(pages: list) -> None:
    """The dashboard's menu: a link per page, in order. Streamlit's own menu is off
    (``client.showSidebarNavigation``), so the module names of the pages/ folder never show."""
    for page in pages:
        st.page_link(page, width="stretch")


def person_link(username: str | None, label: str | None = None) -> None:
    """A link (in bold) that opens a person's page; its URL, ``/person?user=NAME``, can be
    shared. The label is untrusted text, escaped: Streamlit reads link labels as Markdown."""
    if not username:
        st.text(label or "(no username)")
        return
    st.page_link("pages/person.py", label=f"**{md_escape(label or f'@{username}')}**",
                 query_params={"user": username}, icon=":material/person:")


def resume_page() -> None:
    """Where a visitor was going when a page handed over to app.py (see require_access)."""
    wanted = st.session_state.pop("_after_app", None)
    if wanted:
        st.switch_page(f"pages/{wanted}",
                       query_params=st.session_state.pop("_after_app_query", None))


def sign_in_configured() -> bool:
    """Sign-in is on when ``.streamlit/secrets.toml`` has an ``[auth]`` (OIDC) section."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: the local default
        return False


def no_builtin_exports() -> None:
    """Turn off Streamlit's own "Download as CSV" (and copy) on every table and chart, whatever
    config the server was started with: it writes live formulas, includes do-not-contact people
    and bypasses the daily cap. Tables are downloaded only through ``export_download``.

    The option reaches the browser at the start of a script run, so the first run that finds it
    off sets it (for the whole server) and runs again before drawing anything."""
    try:
        on = st.get_option("client.disableDataExport")
    except Exception:  # noqa: BLE001 - a Streamlit too old to have the option
        st.error("This Streamlit cannot turn off its table download: upgrade it "
                 "(client.disableDataExport).")
        st.stop()
    if not on:
        st.set_option("client.disableDataExport", True)
        st.rerun()


def access_gate() -> None:
    """With an OIDC provider configured, let in only signed-in staff on the allow-list; stop the
    page for anyone else. Without one, the local default runs without sign-in, and says so."""
    no_builtin_exports()
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

    no_builtin_exports()
    if PagesManager.uses_pages_directory and not st.session_state.get("_app_seen"):
        import sys

        st.session_state["_after_app"] = Path(sys._getframe(1).f_globals["__file__"]).name
        st.session_state["_after_app_query"] = st.query_params.to_dict()  # e.g. ?u=someone
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
    """Who is making a change or an export (the daily cap is kept against it): the signed-in
    account when sign-in is configured, else the operating-system account running the
    dashboard, the same one the command line's cap counts against."""
    if sign_in_configured():
        email = st.user.get("email") if st.user.is_logged_in else None
        if not email:  # require_access lets no one this far without one
            st.stop()
        return str(email)
    return os_user()


def cooldown_days() -> int:
    return load_settings().outreach.cooldown_days


def with_contact(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with a "contact" column: "do not contact", a cooldown until a date, or empty."""
    days = cooldown_days()
    return [{**r, "contact": contact_mark(r.get("status"), r.get("last_contacted"), days)}
            for r in rows]


def contact_notice(p: dict[str, Any]) -> None:
    """On a person's page: do-not-contact, or the cooldown after their last contact."""
    o = p["outreach"]
    if o["status"] == DO_NOT_CONTACT:
        st.error("Do not contact: leave this person out of messages and exports.")
    elif contact_mark(o["status"], o["last_contacted_at"], cooldown_days()):
        until = cooldown_until(o["last_contacted_at"], cooldown_days())
        st.warning(f"Contacted recently: wait until {until:%Y-%m-%d} before reaching out again "
                   f"(cooldown {cooldown_days()} days).")


@st.cache_data(ttl=60, show_spinner=False)
def fixes(url: str, run_id: int) -> list[dict[str, Any]]:
    run = results.run_by_id(engine(url), run_id)
    return results.fixes(engine(url), run["window_start"], run["window_end"])


@st.cache_data(ttl=60, show_spinner=False)
def fix_counts(url: str, run_id: int) -> tuple[int, int]:
    run = results.run_by_id(engine(url), run_id)
    return results.fix_counts(engine(url), run["window_start"], run["window_end"])


@st.cache_data(ttl=60, show_spinner=False)
def spreaders(url: str, tweet_id: int) -> list[dict[str, Any]]:
    return results.spreaders(engine(url), tweet_id)


def export_csv(url: str, run_id: int, *, tiers: tuple[str, ...] | None = None,
               lang: str | None = None, community: int | None = None, search: str | None = None,
               include_cooldown: bool = False, who: str | None = None, days: int | None = None,
               log: bool = True) -> tuple[bytes, Any]:
    """The outreach CSV of a run for ``who`` (default: whoever is signed in), logged against
    their daily cap (``log``; False: a preview that counts nothing); do-not-contact and,
    unless asked, cooldown people left out; every cell made inert; and the export's facts."""
    return _export_file(engine(url), who or actor(), run_id,
                        cooldown_days() if days is None else days, log, tiers=tiers, lang=lang,
                        community=community, search=search, include_cooldown=include_cooldown)


def _export_file(eng, who: str, run_id: int, days: int, log: bool, **wanted: Any
                 ) -> tuple[bytes, Any]:
    """``export_csv`` without Streamlit (a deferred download runs outside the page's run)."""
    from outreach.export import EXPORT_COLUMNS, export_rows
    from untrusted import csv_text

    got = export_rows(eng, who, run_id=run_id, cooldown_days=days, log=log, **wanted)
    return csv_text(EXPORT_COLUMNS, got.rows).encode("utf-8"), got


def export_download(url: str, run_id: int, key: str, file_name: str, **wanted: Any) -> None:
    """The one way to download people from the dashboard: a button that shows what the
    outreach CSV (``export_csv``) would hold, then its download. Only the download counts
    against the daily cap: the file is made, within the cap as it stands then, and logged,
    when the browser asks for it (deferred data), never when it is only prepared."""
    st.caption("Downloads leave out do-not-contact people"
               + ("" if wanted.get("include_cooldown") or not cooldown_days() else
                  f" and people contacted in the last {cooldown_days()} days")
               + ". X's developer policy allows 500 users per person per day; each download "
               "counts against yours.")
    if not st.button("Prepare CSV", key=f"{key}_prepare"):
        return
    # Who and the settings are read here, in the page's run: the download runs outside it.
    who, days = actor(), cooldown_days()
    _, got = export_csv(url, run_id, who=who, days=days, log=False, **wanted)
    left = [f"{n} {what}" for n, what in ((got.do_not_contact, "do not contact"),
                                           (got.cooldown, "contacted recently")) if n]
    if left:
        st.caption("Left out: " + ", ".join(left) + ".")
    if got.capped:
        st.warning(f"The daily cap cut {got.wanted - len(got.rows)} people from this export.")

    eng = engine(url)

    def deliver() -> bytes:  # (no Streamlit call in here: it runs outside the page's run)
        return _export_file(eng, who, run_id, days, True, **wanted)[0]

    st.download_button(f"Download {len(got.rows)} people", deliver, file_name, "text/csv",
                       key=f"{key}_download", disabled=not got.rows, on_click="ignore")
