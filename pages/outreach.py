"""Outreach: the pipeline, message templates to copy, and the outreach CSV."""

import pandas as pd
import streamlit as st

from outreach.contact import may_contact
from dashboard.common import (cooldown_days, current_url, export_download, filters, leaderboard,
                              person, ranking_run_or_stop, require_access, with_contact)
from graph.wording import md_escape, time_text
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
rows = with_contact(leaderboard(url, run["id"], f["tier"], f["lang"], f["community"], None))
status = st.multiselect("Show only these outreach statuses", OUTREACH_STATUSES, default=[],
                        key="outreach_status", placeholder="all statuses")
shown = [r for r in rows if not status or r["status"] in status]
pipeline = pd.DataFrame([{
    "rank": r["rank"], "username": r["username"] or "", "tier": r["tier"], "score": r["score"],
    "contact": r["contact"] or "", "status": r["status"], "owner": r["owner"] or "",
    "last_contacted": time_text(r["last_contacted"])} for r in shown],
    columns=["rank", "username", "tier", "score", "contact", "status", "owner",
             "last_contacted"])
pipeline["rank"] = pipeline["rank"].astype("Int64")  # lapsed champions have none: blank
picked = st.dataframe(
    pipeline, hide_index=True, width="stretch", key="outreach_table", on_select="rerun",
    selection_mode=["single-row", "single-cell"], column_config={
    "rank": st.column_config.NumberColumn("rank", width="small"),
    "score": st.column_config.NumberColumn("score", format="%.1f", width="small"),
    "contact": st.column_config.TextColumn("contact", width="medium"),
    "last_contacted": st.column_config.TextColumn("last contacted"),
})
clicked = [*picked.selection.rows, *(row for row, _ in picked.selection.cells)]
if clicked and pipeline.iloc[clicked[0]]["username"]:
    st.switch_page("pages/person.py",
                   query_params={"user": pipeline.iloc[clicked[0]]["username"]})
st.caption("Open a person's page with a click on their row to change their status, owner and "
           "notes; every change is recorded there.")
days = cooldown_days()
include_cooldown = days > 0 and st.checkbox(
    f"Include people contacted in the last {days} days", key="outreach_include_cooldown",
    help="The cooldown between contacts is [outreach] cooldown_days in the settings file. "
         "Do-not-contact people are never included.")

st.subheader("Message")
st.caption("X restricts automated replies and mentions: copy the text and send it yourself.")
names = [r["username"] for r in shown if r["username"] and may_contact(
    r["status"], r["last_contacted"], days, include_cooldown=include_cooldown)]
who = st.selectbox("To", names, key="outreach_to")
template = st.selectbox("Template", list(TEMPLATES), key="outreach_template")
if who:
    # A username that is not an X handle (one from a file starting with "@") finds no page.
    p = person(url, run["id"], who) or {"evidence": {}, "thanked_newest": []}
    fix = next((e["url"] for e in p["evidence"].get("fix_amplification", []) if e["url"]),
               "our latest fix")
    # The newest person who thanked them: someone they surely helped (the first of everyone
    # they answered could be someone who replied "didn't work").
    thanked = p.get("thanked_newest") or []
    helped = f"@{thanked[0]}" if thanked else "other customers"
    if template == "Thank you":
        st.caption(f"Names {md_escape(helped)}, the last person who thanked them." if thanked else
                   "Nobody thanked them in this window: the message names no one.")
    # A code block: plain text (never Markdown: the names are untrusted), wrapped to the
    # width, with a copy button.
    st.code(TEMPLATES[template].format(name=f"@{who}", fix=fix, helped=helped), language=None,
            wrap_lines=True)

st.subheader("Export for outreach")
tiers = st.multiselect("Tiers", ["champion", "rising", "occasional", "lapsed"],
                       default=["champion", "rising"], key="export_tiers")
export_download(url, run["id"], "export", "champions-outreach.csv", tiers=tuple(tiers) or None,
                lang=f["lang"], community=f["community"], include_cooldown=include_cooldown)
