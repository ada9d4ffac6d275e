"""The network drawing: the top helpers and the support handles, coloured by community.

Colours follow the run, not the view: a community's colour comes from its size among the run's
ranked people (``community_colours``), so the network page and a person's ego view of the same
run give one community one colour. The legend lists communities in numeric order; when there
are more communities than colours, the smallest share one grey, "other".
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.common import engine, with_contact
from graph import network as graph_network

__all__ = ["network", "draw_network", "network_chart", "network_caption", "community_colours",
           "legend", "PALETTE", "plural"]

# Vega's Tableau 10 without its grey: nine hues that stay apart (grey is kept for "other").
PALETTE = ("#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2",
           "#ff9da6", "#9d755d")
OTHER, OTHER_COLOUR = "other", "#8c8c8c"
UNRANKED, UNRANKED_COLOUR = "not ranked", "#d0d0d0"
BRAND, BRAND_COLOUR = "support handle", "#1f1f1f"
NAMED = 12  # the highest scores drawn with their names (besides brands, the centre, marks)
PAD = 0.1   # room around the unit square the layout fills, for the marks and their names

# A filled ✕ as an SVG path in Vega's unit square (its "cross" is a plus sign).
_X_SHAPE = ("M-1,-0.6L-0.6,-1L0,-0.4L0.6,-1L1,-0.6L0.4,0L1,0.6L0.6,1L0,0.4L-0.6,1L-1,0.6"
            "L-0.4,0Z")


@st.cache_data(ttl=300, show_spinner=False)
def network(url: str, run_id: int, top: int, center: str | None = None) -> dict[str, Any]:
    return graph_network.network(engine(url), run_id, top, center=center)


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 link``, ``2 links``, ``1 person``, ``3 people``."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def community_colours(sizes: dict[int, int]) -> dict[int, str]:
    """Community -> colour for a run: the largest communities (most ranked people, then the
    lower number) take the palette's colours in order; the rest are not in the mapping and are
    drawn as "other". Depends only on the run, so every view of it agrees."""
    order = sorted(sizes, key=lambda c: (-sizes[c], c))
    return {c: PALETTE[i] for i, c in enumerate(order[:len(PALETTE)])}


def group(node: dict[str, Any], colours: dict[int, str]) -> str:
    """What a node's colour stands for: its community (``#3``), "other", "not ranked" or
    "support handle"."""
    if node["brand"]:
        return BRAND
    c = node["community"]
    if c is None:
        return UNRANKED
    return f"#{c}" if c in colours else OTHER


def legend(nodes: list[dict[str, Any]], colours: dict[int, str]) -> tuple[list[str], list[str]]:
    """The colour scale of a drawing: the groups present, communities in numeric order, then
    "other", "not ranked" and "support handle"; and their colours (never one colour twice)."""
    present = {group(n, colours) for n in nodes}
    numbered = sorted((c for c in colours if f"#{c}" in present))
    domain = [f"#{c}" for c in numbered] + [g for g in (OTHER, UNRANKED, BRAND) if g in present]
    fixed = {OTHER: OTHER_COLOUR, UNRANKED: UNRANKED_COLOUR, BRAND: BRAND_COLOUR}
    return domain, [colours[int(d[1:])] if d.startswith("#") else fixed[d] for d in domain]


def _reach(node: dict[str, Any]) -> str:
    if node["brand"]:
        return BRAND
    return ("do not contact" if node["contact"] == "do not contact"
            else "cooldown" if node["contact"] else "may contact")


def _frames(g: dict[str, Any]):
    import pandas as pd

    colours = community_colours(g["community_sizes"])
    rows = with_contact(g["nodes"])
    people = sorted((n for n in rows if not n["brand"] and n["score"] > 0),
                    key=lambda n: (-n["score"], n["username"].lower()))
    named = {n["id"] for n in people[:NAMED]}
    top_score = max((n["score"] for n in people), default=0.0) or 1.0
    out = []
    for n in rows:
        reach = _reach(n)
        mark = {"do not contact": "✕ ", "cooldown": "▲ "}.get(reach, "")
        show = n["brand"] or n["center"] or mark or n["id"] in named
        out.append({"username": n["username"], "x": n["x"], "y": n["y"],
                    "group": group(n, colours), "reach": reach,
                    "score": round(n["score"], 1), "contact": n["contact"] or "",
                    "size": top_score / 2 if n["brand"] else n["score"],
                    "label": f"{mark}{n['username']}" if show else ""})
    nodes = pd.DataFrame(out, columns=["username", "x", "y", "group", "reach", "score",
                                       "contact", "size", "label"])
    edges = pd.DataFrame(g["edges"], columns=["x", "y", "x2", "y2", "weight"])
    return nodes, edges, legend(g["nodes"], colours)


def network_chart(g: dict[str, Any]):
    """The Altair chart of ``graph.network.network``'s data: links, then nodes (colour:
    community, shape: contact, size: score), then names as plain text marks."""
    import altair as alt

    nodes, edges, (domain, colours) = _frames(g)
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-PAD, 1 + PAD], zero=False,
                                                nice=False))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-PAD, 1 + PAD], zero=False,
                                                nice=False))
    lines = alt.Chart(edges).mark_rule(opacity=0.3, color="#666666").encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q")
    shapes = [s for s in ("may contact", "cooldown", "do not contact", BRAND)
              if s in set(nodes["reach"])]
    shape_of = {"may contact": "circle", "cooldown": "triangle-up", "do not contact": _X_SHAPE,
                BRAND: "square"}
    dots = alt.Chart(nodes).mark_point(filled=True, opacity=0.9).encode(
        x=x, y=y,
        color=alt.Color("group:N", title="community",
                        scale=alt.Scale(domain=domain, range=colours),
                        legend=alt.Legend(symbolType="circle")),
        size=alt.Size("size:Q", scale=alt.Scale(range=[40, 500]), legend=None),
        shape=alt.Shape("reach:N", title="contact", scale=alt.Scale(
            domain=shapes, range=[shape_of[s] for s in shapes])),
        tooltip=[alt.Tooltip("username:N"), alt.Tooltip("group:N", title="community"),
                 alt.Tooltip("score:Q", format=".1f"), alt.Tooltip("contact:N")])
    named = nodes[nodes["label"] != ""]
    halo = alt.Chart(named).mark_text(dy=-13, fontSize=11, stroke="white", strokeWidth=3,
                                      strokeOpacity=0.85).encode(x=x, y=y, text="label:N")
    names = alt.Chart(named).mark_text(dy=-13, fontSize=11, fontWeight="bold",
                                       color="#222222").encode(x=x, y=y, text="label:N")
    return (lines + dots + halo + names).properties(height=560).configure_view(
        strokeWidth=0).interactive()


def network_caption(g: dict[str, Any]) -> str:
    """The true counts: who qualifies, how many of them were chosen and shown, and why the
    others are not; support handles and links; the marks."""
    people, brands, links = g["people"], g["brands"], g["links"]
    qualifying, selected, left = g["qualifying"], g["selected"], g["left_out"]
    are = "is" if people == 1 else "are"
    if g.get("center"):
        pool = f"{plural(qualifying, 'person', 'people')} they interacted with"
        if people == 0:
            text = "Only the chosen person is shown"
        elif people == qualifying:
            text = ("The chosen person and the one person they interacted with are shown"
                    if people == 1 else f"The chosen person and all {pool} are shown")
        else:
            text = (f"The chosen person and {people:,} of the {pool} are shown"
                    + (f" (the {selected:,} with the highest scores were chosen)"
                       if selected < qualifying else ""))
    else:
        pool = f"{plural(qualifying, 'person', 'people')} ranked in this run"
        if selected < qualifying:
            text = f"{people:,} of the top {selected:,} of the {pool} {are} shown"
        elif people == qualifying:
            text = ("The one person ranked in this run is shown" if people == 1
                    else f"All {pool} are shown")
        else:
            text = f"{people:,} of the {pool} {are} shown"
    text += (f"; {left:,} {'has' if left == 1 else 'have'} no link to anyone shown and "
             f"{'is' if left == 1 else 'are'} left out" if left else "")
    text += f". {plural(brands, 'support handle')}, {plural(links, 'link')}."
    nodes = with_contact(g["nodes"])
    dnc = sum(1 for n in nodes if not n["brand"] and n["contact"] == "do not contact")
    resting = sum(1 for n in nodes if not n["brand"] and n["contact"]
                  and n["contact"] != "do not contact")
    scored = min(NAMED, sum(1 for n in nodes if not n["brand"] and n["score"] > 0))
    named = ["the centre"] if g.get("center") else []
    named += (["the highest score"] if scored == 1 else
              [f"the {scored:,} highest scores"] if scored else [])
    if named or brands:
        named += ["the support handles"] if brands else []
        named += ["everyone marked"] if dnc or resting else []
        text += " Named: " + (", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1
                              else named[0]) + "."
    if dnc or resting:
        text += (f" Marked: {dnc:,} do not contact (✕), {resting:,} contacted recently (▲).")
    return text


def draw_network(g: dict[str, Any]) -> None:
    """Helpers and brand accounts, coloured by community; people not to contact now are drawn
    as ✕ (do not contact) or ▲ (cooldown) and named; names and tooltips are plain text."""
    if g.get("center") and not g.get("center_found"):
        st.warning("No one with that username in this data (support handles have no ego view).")
        return
    if not g["nodes"]:
        st.info("Nothing to draw: none of these people has a link to another one shown.")
        st.caption(network_caption(g))
        return
    st.altair_chart(network_chart(g), width="stretch")
    st.caption(network_caption(g))
