"""The network drawing: the top helpers and the support handles, coloured by community."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.common import engine, with_contact
from graph import results


@st.cache_data(ttl=300, show_spinner=False)
def network(url: str, run_id: int, top: int, center: str | None = None) -> dict[str, Any]:
    return results.network(engine(url), run_id, top, center=center)


# A filled ✕ as an SVG path in Vega's unit square (its "cross" is a plus sign).
_X_SHAPE = ("M-1,-0.6L-0.6,-1L0,-0.4L0.6,-1L1,-0.6L0.4,0L1,0.6L0.6,1L0,0.4L-0.6,1L-1,0.6"
            "L-0.4,0Z")


def draw_network(g: dict[str, Any]) -> None:
    """Helpers and brand accounts, coloured by community; people not to contact now are drawn
    as ✕ (do not contact) or ▲ (cooldown) and named; tooltips are text."""
    import altair as alt
    import pandas as pd

    nodes = pd.DataFrame(with_contact(g["nodes"]) or None,
                         columns=["username", "community", "score", "x", "y", "contact",
                                  "brand"])
    nodes["reach"] = ["brand" if b else "do not contact" if c == "do not contact"
                      else "cooldown" if c else "may contact"
                      for b, c in zip(nodes["brand"], nodes["contact"])]
    nodes["label"] = [("✕ " if r == "do not contact" else "▲ ") + str(u)
                      if r in ("do not contact", "cooldown") else ""
                      for r, u in zip(nodes["reach"], nodes["username"])]
    edges = pd.DataFrame(g["edges"], columns=["x", "y", "x2", "y2", "weight"])
    lines = alt.Chart(edges).mark_rule(opacity=0.25).encode(
        x=alt.X("x:Q", axis=None), y=alt.Y("y:Q", axis=None), x2="x2:Q", y2="y2:Q")
    dots = alt.Chart(nodes).mark_point(filled=True, opacity=0.9).encode(
        x="x:Q", y="y:Q", color=alt.Color("community:N", title="community"),
        size=alt.Size("score:Q", scale=alt.Scale(range=[40, 600]), legend=None),
        shape=alt.Shape("reach:N", title="contact", scale=alt.Scale(
            domain=["may contact", "cooldown", "do not contact", "brand"],
            range=["circle", "triangle-up", _X_SHAPE, "square"])),
        tooltip=["username:N", "community:N", alt.Tooltip("score:Q", format=".1f"),
                 "contact:N"])
    marks = alt.Chart(nodes[nodes["label"] != ""]).mark_text(
        dy=-12, fontSize=11, fontWeight="bold").encode(x="x:Q", y="y:Q", text="label:N")
    st.altair_chart((lines + dots + marks).interactive(), width="stretch")
    dnc, resting = (int((nodes["reach"] == k).sum()) for k in ("do not contact", "cooldown"))
    st.caption(f"{len(nodes)} people, {len(edges)} links."
               + (f" {g['left_out']} with no link among them are left out." if g["left_out"]
                  else "")
               + (f" Marked: {dnc} do not contact (✕), {resting} contacted recently (▲)."
                  if dnc or resting else ""))
