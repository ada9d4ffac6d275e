"""Network: the top helpers and the support handles, coloured by community."""

import altair as alt
import pandas as pd
import streamlit as st

from pages.common import current_url, latest_run, network

st.title("Network")
url = current_url()
run = latest_run(url)
if run is None:
    st.info("No ranking yet. Run `python -m graph rank` first.")
    st.stop()
top = st.slider("Top helpers shown", 10, 200, 50, step=10, key="net_top")
g = network(url, run["id"], top)
nodes = pd.DataFrame(g["nodes"])
edges = pd.DataFrame(g["edges"], columns=["x", "y", "x2", "y2", "weight"])
lines = alt.Chart(edges).mark_rule(opacity=0.25).encode(
    x=alt.X("x:Q", axis=None), y=alt.Y("y:Q", axis=None), x2="x2:Q", y2="y2:Q")
dots = alt.Chart(nodes).mark_circle(opacity=0.9).encode(
    x="x:Q", y="y:Q", color=alt.Color("community:N", title="community"),
    size=alt.Size("score:Q", scale=alt.Scale(range=[40, 600]), legend=None),
    shape=alt.Shape("brand:N", legend=None),
    tooltip=["username:N", "community:N", alt.Tooltip("score:Q", format=".1f")])
st.altair_chart((lines + dots).interactive(), width="stretch")
st.caption(f"{len(nodes)} people, {len(edges)} links; brand accounts are the squares.")
