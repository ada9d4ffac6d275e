"""Outreach: the pipeline, message templates to copy, and the outreach CSV."""

import pandas as pd
import streamlit as st

from pages.common import (actor, current_url, export_csv, filters, leaderboard, person,
                          ranking_run_or_stop, require_access)
from store.models import OUTREACH_STATUSES

TEMPLATES = {
    "Thank you": "Hi {name}, thank you for helping {helped} with their problem. Staff noticed, "
                 "and we really appreciate it!",
    "Spread the word": "Hi {name}, thanks for passing on our fix ({fix}). Would you like early "
                       "access to our community programme?",
    "Ask for help": "Hi {name}, you've helped so many people. Could you take a look at a few "
                    "open questions in our community?",
}

require_access()
st.title("Outreach")
url = current_url()
run = ranking_run_or_stop(url)
f = filters()
rows = leaderboard(url, run["id"], f["tier"], f["lang"], f["community"], None)
status = st.multiselect("Status", OUTREACH_STATUSES, default=[], key="outreach_status")
shown = [r for r in rows if not status or r["status"] in status]
st.dataframe(pd.DataFrame(shown, columns=["rank", "username", "tier", "score", "status", "owner",
                                          "last_contacted"]), hide_index=True)
st.caption("Change a person's status, owner and notes on their page; every change is recorded.")

st.subheader("Message")
st.caption("X restricts automated replies and mentions: copy the text and send it yourself.")
names = [r["username"] for r in shown if r["username"] and r["status"] != "do-not-contact"]
who = st.selectbox("To", names, key="outreach_to")
template = st.selectbox("Template", list(TEMPLATES), key="outreach_template")
if who:
    p = person(url, run["id"], who)
    fix = next((e["url"] for e in p["evidence"].get("fix_amplification", []) if e["url"]),
               "our latest fix")
    helped = f"@{p['helped'][0]}" if p["helped"] else "other customers"
    st.code(TEMPLATES[template].format(name=f"@{who}", fix=fix, helped=helped), language=None)

st.subheader("Export for outreach")
st.caption("Do-not-contact people are never exported. X's developer policy allows 500 users "
           "per person per day; each export counts against yours.")
tiers = st.multiselect("Tiers", ["champion", "rising", "occasional", "lapsed"],
                       default=["champion", "rising"], key="export_tiers")
if st.button("Prepare CSV", key="export_prepare"):
    data, got = export_csv(url, actor(), tuple(tiers) or None)
    if got.capped:
        st.warning(f"The daily cap cut {got.wanted - len(got.rows)} people from this export.")
    st.download_button(f"Download {len(got.rows)} people", data, "champions-outreach.csv",
                       "text/csv", key="export_download")
