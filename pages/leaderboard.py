"""Leaderboard: the ranked champions, why they rank, and where they are trending."""

import pandas as pd
import streamlit as st

from graph.score import COMPONENTS
from graph.results import TIER_RULES
from dashboard.common import (abstain_reason, current_url, export_download, filters, leaderboard,
                              left_out, ranking_run_or_stop, require_access, with_contact)
from settings import load_settings

require_access()
st.title("Champions")
url = current_url()
run = ranking_run_or_stop(url)
st.caption(f"Ranking run {run['id']}: {run['window_start']:%Y-%m-%d} to "
           f"{run['window_end']:%Y-%m-%d}")
reason = abstain_reason(url, run["id"])
if reason:
    st.info(f"No champion named for this window: {reason}.")
with st.expander("How tiers are decided"):
    for tier, rule in TIER_RULES(load_settings().ranking):
        st.text(f"{tier}: {rule}")
search = st.text_input("Search by username or name", key="lb_search")
f = filters()
rows = with_contact(leaderboard(url, run["id"], f["tier"], f["lang"], f["community"],
                               search or None))
if not rows:
    st.warning("Nobody matches these filters.")
    st.stop()
podium = [r for r in rows if r["rank"]][:3]
if podium and not search:
    for col, r in zip(st.columns(len(podium)), podium):
        col.text(f"#{r['rank']}  @{r['username']}\n{r['score']:.1f} points  {r['trend']}  "
                 f"{r['tier']}" + (f"\n{r['contact']}" if r["contact"] else ""))
top = max(r["score"] for r in rows) or 1.0
table = pd.DataFrame([{
    "rank": r["rank"], "username": r["username"], "name": r["name"], "score": r["score"],
    "trend": r["trend"], "tier": r["tier"], "contact": r["contact"], "status": r["status"],
    "community": r["community"], "language": r["lang"], "followers": r["followers"],
    "profile": r["profile_url"] or None, **{c: r["components"].get(c, 0.0) for c in COMPONENTS},
} for r in rows])
st.dataframe(table, hide_index=True, width="stretch", column_config={
    "score": st.column_config.ProgressColumn("score", min_value=0.0, max_value=float(top),
                                             format="%.1f"),
    "profile": st.column_config.LinkColumn("profile", display_text="open on X"),
    "contact": st.column_config.TextColumn("contact", width="medium"),
})
export_download(url, run["id"], "lb_export", "champions-leaderboard.csv",
                tiers=(f["tier"],) if f["tier"] else None, lang=f["lang"],
                community=f["community"], search=search or None)
review = left_out(url, run["id"])
if review:
    with st.expander(f"Left out as likely staff or businesses ({len(review)}): review them"):
        st.caption("Decided by the voice of their own tweets. Open a person to see the tweets "
                   "and confirm or overrule; a decision counts from the next ranking run.")
        st.dataframe(pd.DataFrame(with_contact(review))[["username", "why", "decision",
                                                         "decided_by", "contact"]],
                     hide_index=True, width="stretch")
