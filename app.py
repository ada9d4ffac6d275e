"""Champion Tracker dashboard: ``streamlit run app.py``."""

import streamlit as st

st.set_page_config(page_title="Champion Tracker", layout="wide")

from dashboard.common import (access_gate, current_url, filter_options, latest_run,  # noqa: E402
                              missing_indexes, resume_page, runs, sidebar_menu)
from graph.wording import lang_text  # noqa: E402
from settings import database_url  # noqa: E402

menu = st.sidebar.container()  # the menu goes first, above the sign-in status
access_gate()  # stops here for anyone not allowed in, when sign-in is configured
PAGES = [
    st.Page("pages/leaderboard.py", title="Leaderboard", default=True),
    st.Page("pages/response_times.py", title="Response times"),
    st.Page("pages/person.py", title="Person"),
    st.Page("pages/fixes.py", title="Fixes"),
    st.Page("pages/network.py", title="Network"),
    st.Page("pages/outreach.py", title="Outreach"),
    st.Page("pages/flags.py", title="Flag review"),
    st.Page("pages/health.py", title="Ingestion health"),
]
# Streamlit draws no menu of its own (.streamlit/config.toml): sidebar_menu draws this one, so a
# fresh server never shows the pages/ folder's module names.
nav = st.navigation(PAGES, position="hidden")
FILTERED = ("Leaderboard", "Person", "Outreach")  # the pages that apply the people filters
resume_page()

stored = runs(current_url())
with menu:
    sidebar_menu(PAGES)
if (ranked := st.session_state.pop("_show_run", None)) is not None:
    st.session_state["filter_run"] = ranked  # a ranking run just made from a page
with st.sidebar:
    if stored:
        st.selectbox("Time window", [r["id"] for r in stored], key="filter_run",
                     format_func=lambda i: next(
                         f"{r['window_start']:%Y-%m-%d} to {r['window_end']:%Y-%m-%d} (run {i})"
                         for r in stored if r["id"] == i),
                     help="Each ranking run covers one window: `python -m graph rank "
                          "--window 30d` adds another.")
    # The people filters show only on the pages that apply them; kept while hidden (a
    # widget's value is dropped on a run that does not draw it, unless it is set again).
    # (None, "all", is each box's first option: set again it would read as no choice at all)
    for key in ("filter_tier", "filter_lang", "filter_community"):
        if st.session_state.get(key) is not None:
            st.session_state[key] = st.session_state[key]
    run = latest_run(current_url())
    if run is not None and nav.title in FILTERED:
        opts = filter_options(current_url(), run["id"])
        st.selectbox("Tier", [None, "champion", "rising", "occasional", "lapsed"],
                     format_func=lambda v: "all tiers" if v is None else v, key="filter_tier",
                     help="What each tier means: the leaderboard's \"What the tiers mean\".")
        st.selectbox("Language", [None, *opts["langs"]],
                     format_func=lambda v: "all languages" if v is None else lang_text(v),
                     key="filter_lang")
        st.selectbox("Community", [None, *opts["communities"]],
                     format_func=lambda v: "all communities" if v is None else f"#{v}",
                     key="filter_community")
        st.caption("These filters apply to the leaderboard, the person picker and outreach.")
    st.caption(f"Database: {database_url().split('://', 1)[0]}")
if gone := missing_indexes(current_url()):
    from store.indexes import missing_note

    st.warning(missing_note(gone), icon=":material/speed:")
nav.run()
