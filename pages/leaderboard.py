"""Leaderboard: the ranked champions, why each ranks, and where they are trending. A podium
name or a row of the table opens that person's page."""

import streamlit as st

from graph.results import TIER_RULES
from graph.score import COMPONENTS
from dashboard.common import (abstain_reason, current_url, export_download, filters, leaderboard,
                              left_out, person_link, ranking_run_or_stop, require_access,
                              top_score, with_contact)
from graph.wording import (COMPONENT_HELP, COMPONENT_LABELS, lang_text, reason_line,
                           rule_flags, score_text, trend_text)
from settings import load_settings

require_access()
st.title("Leaderboard")
url = current_url()
run = ranking_run_or_stop(url)
st.caption(f"Ranking run {run['id']}: {run['window_start']:%Y-%m-%d} to "
           f"{run['window_end']:%Y-%m-%d}. Open a person's page with their name or a row.")
reason = abstain_reason(url, run["id"])
if reason:
    st.info(f"No champion named for this window: {reason}.")
search = st.text_input("Search by username or name", key="lb_search")
f = filters()
rows = with_contact(leaderboard(url, run["id"], f["tier"], f["lang"], f["community"],
                               search or None))
if not rows:
    chosen = [what for what, on in (("the search", search), ("the tier", f["tier"]),
                                    ("the language", f["lang"]),
                                    ("the community", f["community"] is not None)) if on]
    if chosen:
        st.warning(f"Nobody matches {' and '.join(chosen)}: change or clear "
                   f"{'it' if len(chosen) == 1 else 'them'} (the filters are in the sidebar).")
    elif not reason:
        st.info("Nobody has a score in this ranking run: no one answered another customer in "
                "this window.")
    st.stop()
if not reason and not leaderboard(url, run["id"], "champion", None, None, None):
    best = sorted({r["tier"] for r in rows if r["rank"]})
    st.info("Nobody reached the champion tier in this window. The people below are the best "
            f"helpers so far ({' and '.join(best) or 'no tier yet'}); "
            "\"What the tiers mean\" below says what each needs.")
if all(r["previous_score"] is None for r in rows):
    st.caption("Every trend reads \"new\": no one here had a score in the previous window of "
               "the same length (the data may not reach back that far).")
podium = [r for r in rows if r["rank"]][:3]
if podium and not search:
    # Plain text and links, not a canvas: the first names a lead reads are in the page itself.
    for col, r in zip(st.columns(3), podium):
        with col.container(border=True):
            person_link(r["username"], f"#{r['rank']}  @{r['username']}")
            trend = trend_text(r["score"], r["previous_score"])
            st.text(f"{score_text(r['score'])} points · {trend} · {r['tier']}")
            st.text(reason_line(r.get("facts"), r["components"]))
            if r["contact"]:  # named, so the warning stands on its own
                st.text(f"@{r['username']}: {r['contact']}")

import pandas as pd  # noqa: E402 - after the podium: the names show before pandas loads

with st.expander("What the tiers mean"):
    for tier, rule in TIER_RULES(load_settings().ranking):
        st.text(f"{tier}: {rule}")
    st.text("trend: the change in score since the previous window of the same length "
            "(new: no score then)")
table = pd.DataFrame([{
    "rank": r["rank"], "username": r["username"] or "", "score": round(r["score"], 1),
    "trend": trend_text(r["score"], r["previous_score"]), "tier": r["tier"],
    "why": reason_line(r.get("facts"), r["components"]), "contact": r["contact"] or "",
    **{c: round(r["components"].get(c, 0.0), 1) for c in COMPONENTS},  # as shown
    "status": r["status"], "name": r["name"] or "", "language": lang_text(r["lang"]),
    "community": "" if r["community"] is None else f"#{r['community']}",
    "followers": r["followers"],
} for r in rows])
table["rank"] = table["rank"].astype("Int64")  # lapsed champions have none: blank, not "None"
picked = st.dataframe(
    table, hide_index=True, width="stretch", key="lb_table", on_select="rerun",
    # One click on any cell (or the row's box) opens that person; the X profile link is on
    # their page, so a click here never means two things.
    selection_mode=["single-row", "single-cell"], column_config={
        "rank": st.column_config.NumberColumn("rank", width="small"),
        # Against the run's best score: filters and searches never rescale the bars.
        "score": st.column_config.ProgressColumn(
            "score", min_value=0.0, max_value=top_score(url, run["id"]), format="%.1f",
            width="small"),
        "trend": st.column_config.TextColumn(
            "trend", width="small", help="Change in score since the previous window"),
        "tier": st.column_config.TextColumn("tier", width="small",
                                            help='See "What the tiers mean" above'),
        "why": st.column_config.TextColumn("why they rank", width="large"),
        "contact": st.column_config.TextColumn("contact", width="medium"),
        **{c: st.column_config.NumberColumn(COMPONENT_LABELS[c], format="%.1f",
                                            help=COMPONENT_HELP[c], width="small")
           for c in COMPONENTS},
        "status": st.column_config.TextColumn("outreach"),
        "followers": st.column_config.NumberColumn(
            "followers", format="localized",
            help="Blank where the source gives no follower count (the TWCS file has none)"),
    })
clicked = [*picked.selection.rows, *(row for row, _ in picked.selection.cells)]
if clicked and table.iloc[clicked[0]]["username"]:
    st.switch_page("pages/person.py", query_params={"user": table.iloc[clicked[0]]["username"]})
export_download(url, run["id"], "lb_export", "champions-leaderboard.csv",
                tiers=(f["tier"],) if f["tier"] else None, lang=f["lang"],
                community=f["community"], search=search or None)
review = [r for r in left_out(url, run["id"]) if not rule_flags(r["why"])]
if review:
    pending = sum(1 for r in review if not r["decision"])
    st.page_link("pages/flags.py",
                 label=f"{len(review)} accounts left out as likely staff or businesses "
                       f"({pending} waiting for a decision): review them")
