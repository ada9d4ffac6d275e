"""Fixes: the brand's fix tweets and who spread them, and the requests nobody answered."""

import pandas as pd
import streamlit as st

from dashboard.common import (current_url, fixes, ranking_run_or_stop, require_access, spreaders,
                              unanswered, with_contact)

require_access()
st.title("Fixes")
url = current_url()
run = ranking_run_or_stop(url)
rows = fixes(url, run["id"])
spread = [r for r in rows if r["spreaders"]]
quiet = [r for r in rows if not r["spreaders"]]
st.subheader(f"Brand fixes that spread ({len(spread)})")
cols = ["at", "brand", "text", "spreaders", "retweets", "quotes", "reach", "url"]
link = {"url": st.column_config.LinkColumn("tweet")}
if spread:
    st.dataframe(pd.DataFrame(spread)[cols], hide_index=True, column_config=link)
    chosen = st.selectbox("Who spread this fix?", [r["tweet_id"] for r in spread],
                          format_func=lambda t: next(r["text"][:80] for r in spread
                                                     if r["tweet_id"] == t), key="fix_pick")
    st.dataframe(pd.DataFrame(with_contact(spreaders(url, chosen)),
                              columns=["username", "how", "followers", "contact"]),
                 hide_index=True)
st.subheader(f"Fixes nobody amplified ({len(quiet)})")
st.dataframe(pd.DataFrame(quiet, columns=cols), hide_index=True, column_config=link)
asks = with_contact(unanswered(url, run["id"]))
st.subheader(f"Help requests nobody answered ({len(asks)})")
st.caption("A queue where champions could be asked to help.")
st.dataframe(pd.DataFrame(asks, columns=["at", "username", "contact", "lang", "text", "url"]),
             hide_index=True, column_config=link)
