"""Fixes: the brand's fix tweets and who spread them, and the conversations nobody
answered (the unanswered queue, with filters of its own)."""

import pandas as pd
import streamlit as st

from dashboard.common import (current_url, fix_counts, fixes, ranking_run_or_stop,
                              require_access, spreaders, with_contact)
from graph.wording import lang_text, minutes_text, time_text
from dashboard.response_view import unanswered_queue, with_current_outreach

require_access()
st.title("Fixes")
url = current_url()
run = ranking_run_or_stop(url)
rows = fixes(url, run["id"])
spread = [r for r in rows if r["spreaders"]]
quiet = [r for r in rows if not r["spreaders"]]
n_spread, n_quiet = fix_counts(url, run["id"])
st.subheader(f"Brand fixes that spread ({n_spread:,})")
if len(spread) < n_spread:
    st.caption(f"The {len(spread):,} most spread are listed.")
cols = ["at", "brand", "spreaders", "retweets", "quotes", "reach", "text", "url"]
link = {"url": st.column_config.LinkColumn("tweet", display_text="open"),
        "reach": st.column_config.NumberColumn(
            "reach", help="The spreaders' followers, summed; blank where the source gives no "
                          "follower counts (the TWCS file has none)")}


def to_the_minute(items: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{**r, "at": time_text(r["at"])} for r in items], columns=cols)


if spread:
    st.dataframe(to_the_minute(spread), hide_index=True, column_config=link)
    chosen = st.selectbox("Who spread this fix?", [r["tweet_id"] for r in spread],
                          format_func=lambda t: next(r["text"][:80] for r in spread
                                                     if r["tweet_id"] == t), key="fix_pick")
    st.dataframe(pd.DataFrame(with_contact(spreaders(url, chosen)),
                              columns=["username", "how", "followers", "contact"]),
                 hide_index=True)
st.subheader(f"Fixes nobody amplified ({n_quiet:,})")
if len(quiet) < n_quiet:
    st.caption(f"{len(quiet):,} of them are listed: the list holds {len(rows):,} fixes, the "
               "most spread first.")
st.dataframe(to_the_minute(quiet), hide_index=True, column_config=link)

# The unanswered queue: conversations to a support handle that neither staff nor the community
# answered by the window's end, threads staff had replied in left out (graph/response.py),
# filtered and paged. The sidebar's people filters do not apply here: the queue's own
# selectors, labelled as the queue's, are the one place to filter it.
PER_PAGE = 50
heading = st.container()
# (A status with each step, here under the heading, while a first visit counts.)
everyone = unanswered_queue(url, run["id"], None, None, 0, 0, False)  # the handles' counts
f1, f2, f3 = st.columns(3)
page = int(st.session_state.get("queue_page") or 1)
by_handle = everyone["by_handle"]
handle = f1.selectbox("Queue: support handle", [None, *by_handle], key="queue_handle",
                      format_func=lambda h: "all support handles" if h is None
                      else f"@{h} ({by_handle.get(h, 0):,} conversations)")
counts = unanswered_queue(url, run["id"], handle, None, 0, 0, False)["by_lang"]
chosen = st.session_state.get("queue_lang")
langs = [*counts, *([chosen] if chosen and chosen not in counts else [])]
lang = f2.selectbox("Queue: language", [None, *langs], key="queue_lang",
                    format_func=lambda v: "all languages" if v is None
                    else f"{lang_text(v)} ({counts.get(v, 0):,} conversations)",
                    help="The language of each conversation's latest request.")
oldest = f3.selectbox("Queue: order", ["newest first", "longest waiting first"],
                      key="queue_order") == "longest waiting first"
q = unanswered_queue(url, run["id"], handle, lang, (page - 1) * PER_PAGE, PER_PAGE, oldest)
total = q["total"]
pages = max(1, -(-total // PER_PAGE))
if page > pages:  # the filters changed under a later page: back to the first
    page = st.session_state["queue_page"] = 1
    q = unanswered_queue(url, run["id"], handle, lang, 0, PER_PAGE, oldest)
asks = q["rows"]
heading.subheader(f"Conversations nobody answered ({total:,})")
heading.caption(f"{total:,} conversations holding {q['requests']:,} help requests that neither "
                "staff nor another customer had answered by the end of the window: a queue "
                "where champions could be asked to help. A conversation is one customer's "
                "requests to one support handle (follow-ups in a thread and separate tweets "
                "alike); the text is the latest request, the age the wait since the first at "
                f"the window's end. {q['left_out']:,} unanswered requests (all handles) sit in "
                "threads where staff had already replied to the customer, and are left out.")
first = (page - 1) * PER_PAGE
if asks:
    st.caption(f"Showing {first + 1:,}-{first + len(asks):,} of {total:,} conversations"
               + (f"; {total - first - len(asks):,} more on later pages."
                  if total > first + len(asks) else "."))
    table = pd.DataFrame([{**a, "at": time_text(a["at"]),
                           "age": minutes_text(a["waiting_hours"] * 60),
                           "lang": lang_text(a["lang"])}
                          for a in with_contact(with_current_outreach(url, asks))])
    st.dataframe(table[["at", "age", "handle", "username", "contact", "requests", "lang",
                        "text", "url"]],
                 hide_index=True, column_config={
                     **link, "at": st.column_config.TextColumn("latest request"),
                     "requests": st.column_config.NumberColumn("requests")})
else:
    st.success("Nothing waiting: every help request here has an answer, or staff had "
               "replied to the customer in its thread.")
if pages > 1:
    st.columns(4)[0].number_input("Queue: page", min_value=1, max_value=pages, step=1,
                                  key="queue_page", help=f"{pages:,} pages of {PER_PAGE}")
