"""Fixes: the brand's fix tweets and who spread them, and the requests nobody answered."""

import pandas as pd
import streamlit as st

from dashboard.common import (current_url, fix_counts, fixes, ranking_run_or_stop,
                              require_access, spreaders, with_contact)
from graph.wording import minutes_text, time_text
from dashboard.response_view import response_times, unanswered_queue, with_current_outreach

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
link = {"url": st.column_config.LinkColumn("tweet", display_text="open")}


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

# The unanswered queue: every help request to a support handle that neither staff nor the
# community answered by the window's end (graph/response.py), filtered and paged.
PER_PAGE = 50
with st.spinner("Finding the help requests nobody answered..."):
    counts = response_times(url, run["id"])
by_handle = {g["handle"]: g["first_answered_by"]["unanswered"] for g in counts["by_handle"]}
by_lang = {g["lang"]: g["first_answered_by"]["unanswered"] for g in counts["by_lang"]}
heading = st.container()
f1, f2, f3 = st.columns(3)
handle = f1.selectbox("Support handle", [None, *by_handle], key="queue_handle",
                      format_func=lambda h: "all support handles" if h is None
                      else f"@{h} ({by_handle[h]:,} unanswered)")
lang = f2.selectbox("Language", [None, *by_lang], key="queue_lang",
                    format_func=lambda v: "all languages" if v is None
                    else f"{v} ({by_lang[v]:,} unanswered)")
oldest = f3.selectbox("Order", ["newest first", "oldest first"],
                      key="queue_order") == "oldest first"
page = int(st.session_state.get("queue_page") or 1)
with st.spinner("Finding the help requests nobody answered..."):
    asks, total = unanswered_queue(url, run["id"], handle, lang, (page - 1) * PER_PAGE,
                                   PER_PAGE, oldest)
pages = max(1, -(-total // PER_PAGE))
if page > pages:  # the filters changed under a later page: back to the first
    page = st.session_state["queue_page"] = 1
    asks, total = unanswered_queue(url, run["id"], handle, lang, 0, PER_PAGE, oldest)
heading.subheader(f"Help requests nobody answered ({total:,})")
heading.caption("Requests to the support handles that neither staff nor another customer had "
                "answered by the end of the window: a queue where champions could be asked to "
                "help. Age is the wait at the window's end.")
first = (page - 1) * PER_PAGE
if asks:
    st.caption(f"Showing {first + 1:,}-{first + len(asks):,} of {total:,}"
               + (f"; {total - first - len(asks):,} more on later pages."
                  if total > first + len(asks) else "."))
    table = pd.DataFrame([{**a, "at": time_text(a["at"]),
                           "age": minutes_text(a["waiting_hours"] * 60)}
                          for a in with_contact(with_current_outreach(url, asks))])
    st.dataframe(table[["at", "age", "handle", "username", "contact", "lang", "text", "url"]],
                 hide_index=True, column_config=link)
else:
    st.success("Nothing waiting: every help request here got an answer.")
if pages > 1:
    st.columns(4)[0].number_input("Page", min_value=1, max_value=pages, step=1,
                                  key="queue_page", help=f"{pages:,} pages of {PER_PAGE}")
