"""Flag review: the accounts the ranking left out as likely staff or businesses, each with the
tweets that made the call, for staff to confirm or overrule. A decision is stored
(``account_labels``) and counts from the next ranking run."""

import streamlit as st

from dashboard.common import (actor, current_url, decide_account, left_out, person,
                              person_link, ranking_run_or_stop, require_access)
from graph.wording import as_datetime, rule_flags, shown_of, time_text

PER_PAGE = 10
CHOICES = {"Confirm: staff": "staff", "Confirm: a business": "business",
           "Overrule: a customer": "customer", "Forget the decision": None}
DECIDED = {"staff": "confirmed, staff", "business": "confirmed, a business",
           "customer": "overruled, a customer (ranked again)"}


def _decide(user_id: int, username: str, label: str | None) -> None:
    decide_account(current_url(), user_id, label, actor())
    st.session_state["flags_saved"] = (
        f"Saved: @{username} is {DECIDED[label]}. " if label else
        f"Saved: the decision about @{username} is forgotten. ") + (
        "It counts from the next ranking run.")


require_access()
st.title("Flag review")
url = current_url()
run = ranking_run_or_stop(url)
st.caption(f"Ranking run {run['id']}: {run['window_start']:%Y-%m-%d} to "
           f"{run['window_end']:%Y-%m-%d}. These accounts were left out of the ranking by the "
           "voice of their own tweets (an agent's sign-offs and \"DM us\", or an organisation's "
           "\"we\" and product talk). Confirm the call or overrule it: a decision counts from "
           "the next ranking run (`python -m graph rank`). Brand accounts, configured staff and "
           "automated accounts are left out by rule and are not reviewed here.")
saved = st.session_state.pop("flags_saved", None)
if saved:  # the account may have left the view it was in (waiting -> decided): say so
    st.success(saved)
everyone = left_out(url, run["id"])
# Left out by a rule as well (configured staff, a bio, automation): a decision would change
# nothing, so they are listed apart, without buttons.
flagged = [r for r in everyone if not rule_flags(r["why"])]
by_rule = [r for r in everyone if rule_flags(r["why"])]
waiting = [r for r in flagged if not r["decision"]]
decided = [r for r in flagged if r["decision"]]
c1, c2 = st.columns(2)
c1.metric("Waiting for a decision", len(waiting))
c2.metric("Decided", len(decided))
if by_rule:
    with st.expander(f"Also left out by a rule ({len(by_rule)}): nothing to decide"):
        st.caption("Configured staff, staff by their own bio, or automated: a decision here "
                   "would not change the ranking. Change the settings file instead.")
        for r in by_rule:
            st.text(f"@{r['username']}: {'; '.join(rule_flags(r['why']))}")
if not flagged:
    st.success("Nobody else was left out as likely staff or a business in this window.")
    st.stop()
show = st.radio("Show", ["waiting for a decision", "decided", "all"], horizontal=True,
                key="flags_show")
rows = {"waiting for a decision": waiting, "decided": decided, "all": flagged}[show]
if not rows:
    st.info("None here: choose another view above.")
    st.stop()
pages = (len(rows) + PER_PAGE - 1) // PER_PAGE
page = (st.columns(4)[0].number_input(f"Page (of {pages})", 1, pages, 1, key="flags_page")
        if pages > 1 else 1)
start = (page - 1) * PER_PAGE
st.caption(f"Accounts {start + 1}-{min(start + PER_PAGE, len(rows))} of {len(rows)}, "
           "highest score first.")

import pandas as pd  # noqa: E402 - after the counts, which show before pandas loads



for r in rows[start:start + PER_PAGE]:
    with st.container(border=True, key=f"flagged_{r['user_id']}"):
        person_link(r["username"])
        st.text(f"Why left out: {r['why']}")
        if r["decision"]:
            decided, ranked = as_datetime(r["decided_at"]), as_datetime(run.get("created_at"))
            used = decided is not None and ranked is not None and decided <= ranked
            st.text(f"Decision: {DECIDED.get(r['decision'], r['decision'])}, by "
                    f"{r['decided_by'] or 'unknown'} at {time_text(r['decided_at'])}; "
                    + ("this ranking run used it." if used else
                       "it counts from the next ranking run."))
        else:
            st.text("Decision: none yet.")
        p = person(url, run["id"], r["username"]) if r["username"] else None
        voice = (p or {}).get("evidence", {}).get("flags", [])
        if voice:
            total = ((p or {}).get("evidence_totals") or {}).get("flags")
            st.caption(f"The tweets that made the call ({shown_of(len(voice), total)}):")
            st.dataframe(pd.DataFrame({"at": [time_text(e["at"]) for e in voice],
                                       "text": [e["text"] for e in voice],
                                       "url": [e["url"] or None for e in voice]}),
                         hide_index=True, width="stretch", column_config={
                             "url": st.column_config.LinkColumn("tweet", display_text="open")})
        cols = st.columns(len(CHOICES))
        for col, (label, value) in zip(cols, CHOICES.items()):
            col.button(label, key=f"flag_{value or 'forget'}_{r['user_id']}",
                       on_click=_decide, args=(r["user_id"], r["username"], value),
                       disabled=value == r["decision"] or (value is None and not r["decision"]))
