"""Response times: how fast customers' help requests get a first answer and from whom, the
champions' and the community's share of that work, and the staff time it saved
(graph/response.py defines every figure)."""

import pandas as pd
import streamlit as st

from dashboard.common import cooldown_days, current_url, ranking_run_or_stop, require_access
from graph.wording import lang_text, minutes_text
from dashboard.response_view import (PERSON_URL_TEXT, person_url, response_times,
                                     with_current_outreach)
from outreach.contact import contact_mark

require_access()
st.title("Response times")
url = current_url()
run = ranking_run_or_stop(url)
overall = response_times(url, run["id"])  # a status with each step while it counts
handles = [g["handle"] for g in overall["by_handle"]]
handle = st.selectbox("Support handle", [None, *handles], key="rt_handle",
                      format_func=lambda h: "all support handles" if h is None else f"@{h}")
r = overall if handle is None else response_times(url, run["id"], handle)
st.caption(f"Help requests from {run['window_start']:%Y-%m-%d} to {run['window_end']:%Y-%m-%d} "
           f"(ranking run {run['id']}).")
if not r["requests"]:
    st.info("No help requests to the support handles in this window.")
    st.stop()

n = r["requests"]
cs, ms = r["champions_share"], r["community_share"]
saved, sooner, queue = r["staff_time_saved"], r["customers_time_saved"], r["unanswered_queue"]
t = r["time_to_first_answer"]


def pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"


head = st.columns([3, 2, 2, 2])
head[0].metric("Champions' share of help requests", pct(cs["share"]), border=True,
               help="Requests first answered by a champion (this ranking's champion and rising "
                    "tiers), before any staff reply, of all help requests.")
head[0].caption(f"{cs['requests']:,} of {n:,} requests first answered by a champion")
head[1].metric("Community's share", pct(ms["share"]), border=True,
               help="Requests first answered by any community member, champions included, "
                    "before any staff reply, of all help requests.")
head[1].caption(f"{ms['requests']:,} of {n:,} first answered by any community member, "
                "champions included")
head[2].metric("Staff time saved", f"{saved['hours']:,.1f} h", border=True,
               help="Requests staff never had to answer (the community answered first and no "
                    "staff reply came by the window's end) times the minutes one request takes "
                    "staff: an assumption, [response] staff_minutes_per_request in the "
                    "settings.")
head[2].caption(f"{saved['requests']:,} requests staff never had to answer × "
                f"{saved['minutes_per_request']:g} min each (the settings' assumption) = "
                f"{saved['hours']:,.1f} h")
head[3].metric("Help requests", f"{n:,}", border=True)
st.caption(f"Of the {ms['requests']:,} requests the community answered first, staff never had "
           f"to answer {ms['staff_never_answered']:,} and answered {ms['staff_answered_later']:,} "
           f"later; on those {sooner['requests']:,}, customers had an answer "
           f"{sooner['hours']:,.1f} h sooner in all (time the community saved customers, not "
           "staff).")

m = st.columns(5)
m[0].metric("Staff, median to first answer", minutes_text(t["staff"]["median_minutes"]) or "-")
m[1].metric("Staff, 90th percentile", minutes_text(t["staff"]["p90_minutes"]) or "-")
m[2].metric("Community, median", minutes_text(t["community"]["median_minutes"]) or "-")
m[3].metric("Community, 90th percentile", minutes_text(t["community"]["p90_minutes"]) or "-")
m[4].metric("Unanswered conversations", f"{queue['conversations']:,}",
            help=f"{queue['requests']:,} requests nobody answered by the window's end, from "
                 f"{queue['conversations']:,} conversations (one customer's requests to one "
                 f"support handle). {queue['requests_in_threads_staff_answered']:,} more "
                 "unanswered requests sit in threads where staff had replied to the customer, "
                 "and are left out. The queue on the Fixes page.")

FIRST = {"staff": "Staff first", "champion": "Champion first", "community": "Community first",
         "unanswered": "Unanswered"}
SHORT = {"staff": "Staff", "champion": "Champion", "community": "Community",
         "unanswered": "Unanswered"}


def group_table(groups: list[dict], key: str, label: str) -> pd.DataFrame:
    rows = []
    for g in groups:
        tt = g["time_to_first_answer"]
        rows.append({label: g[key], "Requests": g["requests"],
                     **{SHORT[k]: v for k, v in g["first_answered_by"].items()},
                     "Answered": g["answered_share"] * 100,
                     "Staff median": minutes_text(tt["staff"]["median_minutes"]),
                     "Staff p90": minutes_text(tt["staff"]["p90_minutes"]),
                     "Comm. median": minutes_text(tt["community"]["median_minutes"]),
                     "Comm. p90": minutes_text(tt["community"]["p90_minutes"])})
    return pd.DataFrame(rows)


PERCENT = {"Answered": st.column_config.NumberColumn(format="%.0f%%")}
st.caption("Who answered each request first (staff, a champion, another community member, or "
           "nobody), the share answered, and the time to staff's and to the community's first "
           "answer: the median and the 90th percentile.")
st.subheader("Per support handle")
st.dataframe(group_table(r["by_handle"], "handle", "Handle"), hide_index=True,
             column_config=PERCENT)
st.subheader("Per language")
st.dataframe(group_table([{**g, "lang": lang_text(g["lang"])} for g in r["by_lang"]], "lang",
                         "Language"), hide_index=True, column_config=PERCENT)

st.subheader("Week by week")
weeks = pd.DataFrame([{"week": w["week"], **{FIRST[k]: v for k, v in
                                             w["first_answered_by"].items()},
                       "median minutes to first answer": w["median_minutes"]}
                      for w in r["weekly"]]).set_index("week")
c1, c2 = st.columns(2)
c1.caption("Help requests per ISO week, by who answered first (the window's first and last "
           "weeks are partial)")
c1.bar_chart(weeks[list(FIRST.values())],
             color=["#1f77b4", "#2ca02c", "#98df8a", "#d62728"])
c2.caption("Median minutes to the first answer, per ISO week")
c2.line_chart(weeks[["median minutes to first answer"]])

st.subheader("Who answered before staff")
st.caption("Each request counts for the customer who answered it first. Those who spared staff "
           "the most answers come first (requests staff never had to answer, then requests "
           "answered first); staff time saved is those requests × "
           f"{saved['minutes_per_request']:g} min (the settings' assumption). Open a name for "
           "the person's evidence.")
# Do-not-contact and the cooldown, as every list of people shows them (as they are now).
days = cooldown_days()
COLS = ["person", "tier", "contact", "staff never had to answer", "answered first",
        "staff answered later", "staff time saved", "customers' time saved"]
people = pd.DataFrame([{"person": person_url(p["username"]), "tier": p["tier"] or "",
                        "contact": contact_mark(p["status"], p["last_contacted"], days),
                        "staff never had to answer": p["staff_never_answered"],
                        "answered first": p["answered_first"],
                        "staff answered later": p["staff_answered_later"],
                        "staff time saved": p["staff_hours_saved"],
                        "customers' time saved": p["customers_hours_saved"]}
                       for p in with_current_outreach(url, r["people"])], columns=COLS)
st.dataframe(people, hide_index=True, column_config={
    "person": st.column_config.LinkColumn("person", display_text=PERSON_URL_TEXT),
    "staff time saved": st.column_config.NumberColumn(format="%.1f h"),
    "customers' time saved": st.column_config.NumberColumn(format="%.1f h")})

with st.expander("How these figures are counted"):
    st.markdown(
        "- **Help request**: a customer's tweet to a support handle (a reply to it or a "
        "mention of it) that the ranking classifies as a problem or a question.\n"
        "- **Staff**: brand accounts, configured staff, and accounts flagged or confirmed as "
        "staff. Any staff reply to the request is a staff answer.\n"
        "- **Community answer**: another customer's reply with answer content (steps, an "
        "explanation, a fix, a pointer to the right handle), as the ranking counts help. "
        "**Champions** are the champion and rising tiers of this ranking run.\n"
        "- **First answered by**: whoever answered first by the window's end; a tie goes to "
        "staff.\n"
        "- **Champions' share**: requests first answered by a champion, of all help requests; "
        "the **community's share** counts those first answered by any community member, "
        "champions included.\n"
        "- **Staff time saved**: the requests staff never had to answer (the community answered "
        "first and no staff reply came by the window's end) × the minutes one request takes "
        "staff, an assumption set in the settings (`[response] staff_minutes_per_request`).\n"
        "- **Time the community saved customers**: on the requests staff answered after the "
        "community, staff's first answer time minus the community's, summed: how much sooner "
        "customers had an answer. It saved staff nothing.\n"
        "- **Unanswered conversations**: one customer's unanswered requests to one support "
        "handle (follow-ups in a thread and separate tweets alike). Requests in a thread where "
        "staff had replied to the customer (before or after) are left out: staff are on it.\n"
        "- Times are from the request to the first answer; the 90th percentile is the time "
        "nine in ten first answers came within.")
