"""Ingestion health: counts, runs, rejected records, and days when nothing came in."""

import pandas as pd
import streamlit as st

from dashboard.common import current_url, ingest_status, require_access, schema_or_stop

require_access()
st.title("Ingestion health")
days = st.sidebar.slider("Days to check", 7, 90, 30)
schema_or_stop(current_url())
s = ingest_status(current_url(), days)

if not s["tweets"]:
    st.info("No tweets yet. Load some with `python -m ingest file PATH` or fetch live with "
            "`python -m ingest x --handle YOUR_SUPPORT_HANDLE`.")

cols = st.columns(4)
cols[0].metric("Tweets", f"{s['tweets']:,}")
cols[1].metric("Users", f"{s['users']:,}")
cols[2].metric("Interactions", f"{sum(s['interactions'].values()):,}")
cols[3].metric("Rejected records", f"{s['rejected']:,}")

quiet_for = s["days_since_brand_mention"]
if s["brand_users"] and (quiet_for is None or quiet_for >= 2):
    st.error("Mentions of the support handles have stopped arriving: "
             + ("none stored yet." if quiet_for is None else
                f"the last was {quiet_for} days ago ({s['last_brand_mention_at']}).")
             + " A monitored channel that goes quiet is a broken channel: check the runs below.")
if s["tweets"] and len(s["quiet_days"]) == len(s["tweets_per_day"]):
    st.error(f"No tweets arrived in the last {days} days (last tweet: {s['last_tweet_at']}). "
             "A monitored channel that goes quiet is a broken channel: check the X API runs "
             "below.")
elif s["quiet_days"]:
    st.warning(f"{len(s['quiet_days'])} of the last {days} days had no tweets.")

st.subheader("Tweets per day, by source")
st.bar_chart(pd.DataFrame(s["tweets_per_day_by_source"]) if s["tweets_per_day_by_source"]
             else pd.Series(s["tweets_per_day"], name="tweets"))

st.subheader("Interactions by kind")
st.dataframe(pd.DataFrame([s["interactions"]]), hide_index=True)

st.subheader("Recent runs")
st.dataframe(pd.DataFrame(s["runs"]), hide_index=True)

st.subheader("Recent rejected records")
st.dataframe(pd.DataFrame(s["rejected_records"]), hide_index=True)
