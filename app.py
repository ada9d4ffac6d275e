"""Champion Tracker dashboard: ``streamlit run app.py``."""

import streamlit as st

from dashboard.common import (access_gate, current_url, filter_options, latest_run, resume_page,
                          runs)
from settings import database_url

st.set_page_config(page_title="Champion Tracker", layout="wide")
access_gate()  # stops here for anyone not allowed in, when sign-in is configured
nav = st.navigation([
    st.Page("pages/leaderboard.py", title="Leaderboard", default=True),
    st.Page("pages/person.py", title="Person"),
    st.Page("pages/fixes.py", title="Fixes"),
    st.Page("pages/network.py", title="Network"),
    st.Page("pages/outreach.py", title="Outreach"),
    st.Page("pages/health.py", title="Ingestion health"),
])
resume_page()

stored = runs(current_url())
with st.sidebar:
    if stored:
        st.selectbox("Time window", [r["id"] for r in stored], key="filter_run",
                     format_func=lambda i: next(
                         f"{r['window_start']:%Y-%m-%d} to {r['window_end']:%Y-%m-%d} (run {i})"
                         for r in stored if r["id"] == i),
                     help="Each ranking run covers one window: `python -m graph rank "
                          "--window 30d` adds another.")
    run = latest_run(current_url())
    if run is not None:
        opts = filter_options(current_url(), run["id"])
        st.selectbox("Tier", [None, "champion", "rising", "occasional", "lapsed"],
                     format_func=lambda v: "all tiers" if v is None else v, key="filter_tier")
        st.selectbox("Language", [None, *opts["langs"]],
                     format_func=lambda v: "all languages" if v is None else v,
                     key="filter_lang")
        st.selectbox("Community", [None, *opts["communities"]],
                     format_func=lambda v: "all communities" if v is None else f"#{v}",
                     key="filter_community")
    st.text(f"Database: {database_url().split('://', 1)[0]}")
nav.run()
