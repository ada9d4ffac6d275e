"""Ingestion health: counts, alerts that fit the data (live X API runs are compared with now,
imported history with its own dates), tweets per day, runs and rejected records."""

import pandas as pd
import streamlit as st

from dashboard.common import current_url, ingest_status, require_access, schema_or_stop
from dashboard.health_view import rejected_frame, runs_frame, show_alerts, tweets_chart

require_access()
st.title("Ingestion health")
schema_or_stop(current_url())
s = ingest_status(current_url(), st.session_state.get("health_days", 30))
if s["mode"] == "live":  # imported history is shown over its own dates: nothing to choose
    st.sidebar.slider("Days to check", 7, 90, 30, key="health_days",
                      help="The days up to today checked for tweets from the X API.")

if not s["tweets"]:
    st.info("No tweets yet. Load some with `python -m ingest file PATH` or fetch live with "
            "`python -m ingest x --handle YOUR_SUPPORT_HANDLE`.")

cols = st.columns(4)
cols[0].metric("Tweets", f"{s['tweets']:,}")
cols[1].metric("Users", f"{s['users']:,}")
cols[2].metric("Interactions", f"{sum(s['interactions'].values()):,}")
cols[3].metric("Rejected records", f"{s['rejected']:,}")

show_alerts(s)

if s["tweets"]:
    st.subheader("Tweets per day, by source" if s["mode"] == "live"
                 else "Tweets per day in the imported history, by source")
    st.altair_chart(tweets_chart(s), width="stretch")
    st.caption(f"{s['window_start']} to {s['window_end']}"
               + (f" (the last {s['checked_days']} days are checked)" if s["mode"] == "live"
                  else " (the data's own dates)") + ". Times are UTC."
               + ("" if any(s["tweets_per_day"].values()) else
                  " No tweet is dated in this window."))

st.subheader("Interactions by kind")
st.dataframe(pd.DataFrame([s["interactions"]]), hide_index=True,
             column_config={k: st.column_config.NumberColumn(format="localized")
                            for k in s["interactions"]})

st.subheader("Recent runs")
st.dataframe(runs_frame(s), hide_index=True,
             column_config={"new tweets": st.column_config.NumberColumn(format="localized"),
                            "rejected": st.column_config.NumberColumn(format="localized"),
                            "error": st.column_config.TextColumn(width="large")})

if s["rejected_records"]:
    st.subheader("Recent rejected records")
    st.dataframe(rejected_frame(s), hide_index=True)
