"""Person: one champion's score, the tweets that earned it, their activity and outreach."""

import pandas as pd
import streamlit as st

from graph.score import COMPONENTS, reviewable
from dashboard.common import (actor, contact_notice, current_url, decide_account, filters,
                              forget_person, leaderboard, left_out, outreach_history, person,
                              ranking_run_or_stop, require_access, save_outreach)
from dashboard.network_view import draw_network, network
from store.models import OUTREACH_STATUSES

require_access()
st.title("Person")
url = current_url()
run = ranking_run_or_stop(url)
f = filters()
names = [r["username"] for r in leaderboard(url, run["id"], f["tier"], f["lang"],
                                             f["community"], None) if r["username"]]
names += [r["username"] for r in left_out(url, run["id"]) if r["username"]]
wanted = (st.query_params.get("u") or "").lstrip("@").lower()
lowered = [n.lower() for n in names]
chosen = st.selectbox("Champion", names, key="person_username",
                      index=lowered.index(wanted) if wanted in lowered else 0)
p = person(url, run["id"], chosen) if chosen else None
if p is None:
    st.info("Pick someone from the leaderboard.")
    st.stop()

st.text(f"@{p['username']}  ·  {p['name'] or ''}")
st.text(p["bio"])
contact_notice(p)
cols = st.columns(4)
cols[0].metric("Rank", p["rank"] if p["rank"] else "not ranked")
cols[1].metric("Score", f"{p['score']:.1f}",
               None if p["previous_score"] is None else f"{p['score'] - p['previous_score']:+.1f}")
cols[2].metric("Tier", p["tier"])
cols[3].metric("Followers", f"{p['followers']:,}")
if p["profile_url"]:
    st.link_button("Open profile on X", p["profile_url"])
for flag in p["flags"]:
    st.warning(f"Left out of the ranking: {flag}")
if reviewable(p["flags"]):
    voice = p["evidence"].get("flags", [])
    if voice:
        st.caption("The tweets that made the call:")
        st.dataframe(pd.DataFrame(voice)[["at", "text", "url"]], hide_index=True,
                     width="stretch", column_config={"url": st.column_config.LinkColumn("tweet")})
    st.caption("Staff decide: the decision counts from the next ranking run."
               + (f" Current decision: {p['decision']}." if p["decision"] else ""))
    b1, b2, b3, b4 = st.columns(4)
    choice = None
    if b1.button("Confirm: staff"):
        choice = "staff"
    if b2.button("Confirm: a business"):
        choice = "business"
    if b3.button("Overrule: a customer"):
        choice = "customer"
    if b4.button("Forget the decision"):
        choice = ""
    if choice is not None:
        decide_account(url, p["user_id"], choice or None, actor())
        st.success("Saved; it counts from the next ranking run.")

st.subheader("Score, component by component")
st.bar_chart(pd.Series({c: p["components"].get(c, 0.0) for c in COMPONENTS}, name="points"))
for comp in COMPONENTS:
    items = p["evidence"].get(comp)
    if not items:
        continue
    with st.expander(f"{comp}: {p['components'].get(comp, 0.0):.2f} points, "
                     f"{len(items)} tweets"):
        st.dataframe(pd.DataFrame(items)[["at", "with", "text", "retweets", "quotes", "url"]],
                     hide_index=True, width="stretch",
                     column_config={"url": st.column_config.LinkColumn("tweet")})

c1, c2 = st.columns(2)
c1.subheader("People they helped")
c1.dataframe(pd.DataFrame({"username": p["helped"]}), hide_index=True)
c2.subheader("Thanked by")
c2.dataframe(pd.DataFrame({"username": p["thanked_by"]}), hide_index=True)

st.subheader("Their network")
draw_network(network(url, run["id"], 40, p["username"]))

st.subheader("Activity (tweets per week)")
st.bar_chart(pd.Series(p["activity"], name="tweets"))

st.subheader("Outreach")
o = p["outreach"]
with st.form("outreach"):
    status = st.selectbox("Status", OUTREACH_STATUSES,
                          index=OUTREACH_STATUSES.index(o["status"]))
    owner = st.text_input("Owner", value=o["owner"] or "")
    notes = st.text_area("Notes", value=o["notes"] or "")
    if st.form_submit_button("Save"):
        save_outreach(url, p["user_id"], actor(), status=status, owner=owner or None,
                      notes=notes or None)
        st.success("Saved.")
events = outreach_history(url, p["user_id"])
if events:
    st.dataframe(pd.DataFrame(events)[["at", "actor", "field", "old", "new"]], hide_index=True)

st.subheader("Privacy")
with st.expander("Forget this person"):
    st.caption("Erases their tweets, the edges to and from them, their scores and evidence, "
               "notes and outreach history, and keeps their X id out of every later import, "
               "ranking and export. It cannot be undone; the audit log records who did it.")
    typed = st.text_input("Type their username to confirm", key="forget_confirm")
    if st.button("Forget them", type="primary",
                 disabled=typed.strip().lstrip("@").lower() != p["username"].lower()):
        forget_person(url, p["user_id"], actor())
        st.success("Forgotten. Their data is gone from this database.")
        st.stop()
