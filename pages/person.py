"""Person: one champion's score, the tweets that earned it, their activity and outreach.

Opened from the leaderboard, the flag review or a shared link: ``/person?user=NAME`` (the
older ``?u=NAME`` too). The URL follows the person shown, so it can be copied and sent."""

import streamlit as st

from graph.corrections import COMPONENT_ROLE, MARKS, mark_text
from graph.score import COMPONENTS, reviewable
from dashboard.common import (actor, contact_notice, correct_tweet, corrections, current_url,
                              decide_account, filters, forget_person, leaderboard, left_out,
                              marks, outreach_history, person, rank_now, ranking_run_or_stop,
                              require_access, save_outreach, who)
from graph.wording import (COMPONENT_HELP, COMPONENT_LABELS, followers_text, lang_text,
                           md_escape, minutes_text, plural, reason_line, score_text, shown_of,
                           time_text, trend_text, week_text)
from store.models import OUTREACH_STATUSES

require_access()
st.title("Person")
url = current_url()
run = ranking_run_or_stop(url)
f = filters()
names = [r["username"] for r in leaderboard(url, run["id"], f["tier"], f["lang"],
                                             f["community"], None) if r["username"]]
names += [r["username"] for r in left_out(url, run["id"]) if r["username"]]
wanted = (st.query_params.get("user") or st.query_params.get("u") or "").strip().lstrip("@")
if wanted:
    lowered = [n.lower() for n in names]
    if wanted.lower() in lowered:
        wanted = names[lowered.index(wanted.lower())]
    else:  # a link to someone the filters hide, or past the leaderboard's first 500
        found = person(url, run["id"], wanted)
        if found is not None:
            wanted = found["username"]
            names.insert(0, wanted)
    if wanted in names:
        st.session_state["person_username"] = wanted  # the address names who is shown


def _no_page(name: str) -> str:
    """Why there is no page for a name the address asked for (never someone else's page)."""
    found = who(url, run["id"], name)
    if found is None:
        return f"No one with the username @{name} in this database."
    if found["is_brand"]:
        return (f"@{found['username']} is a support handle (a brand account): brands are not "
                "ranked, so there is no person page for it.")
    return (f"@{found['username']} is in the data ({plural(found['tweets'], 'tweet')}) but "
            f"has no score in ranking run {run['id']}: they answered no one in this window.")


def _follow() -> None:
    """A pick in the box moves the address along (callbacks run before the page)."""
    st.query_params.pop("u", None)
    if st.session_state["person_username"]:
        st.query_params["user"] = st.session_state["person_username"]


missing = wanted if wanted and wanted not in names else None
if missing:
    st.session_state.pop("person_username", None)  # not the person shown before
    st.warning(md_escape(_no_page(missing)) + " Pick someone below.")
chosen = st.selectbox("Person", names, key="person_username", on_change=_follow,
                      index=None if missing else 0, placeholder="Pick someone")
p = person(url, run["id"], chosen) if chosen else None
if p is None:
    st.info("Pick someone from the leaderboard.")
    st.stop()
if st.query_params.get("user") != p["username"] or "u" in st.query_params:
    st.query_params.pop("u", None)
    st.query_params["user"] = p["username"]  # the address bar names who is shown: share it

st.text(f"@{p['username']}  ·  {p['name'] or ''}")
st.text(p["bio"])
contact_notice(p)
cols = st.columns(5)
cols[0].metric("Rank", p["rank"] if p["rank"] else "not ranked")
cols[1].metric("Score", score_text(p["score"]))
cols[2].metric("Trend", trend_text(p["score"], p["previous_score"]),
               help="Change in score since the previous window of the same length")
cols[3].metric("Tier", p["tier"])
cols[4].metric("Followers", followers_text(p["followers"]),
               help=None if p["followers"] is not None else
               "The source of their tweets gives no follower count (the TWCS file has none).")
if p["lang"]:
    st.caption(f"Mostly tweets in: {md_escape(lang_text(p['lang']))}")
st.text("Why: " + reason_line(p.get("facts"), p["components"]))
minutes = (p.get("facts") or {}).get("median_response_minutes")
if minutes is not None:
    st.text(f"Answers with a fix {minutes_text(minutes)} after the request (median).")
if p["profile_url"]:
    st.link_button("Open profile on X", p["profile_url"])
for flag in p["flags"]:
    st.warning(f"Left out of the ranking: {flag}")

import pandas as pd  # noqa: E402 - after the summary, which shows before pandas loads


def _tweets(items: list[dict], extra: dict[str, list] | None = None) -> pd.DataFrame:
    """Evidence tweets as a table: times to the minute, no empty "None" cells."""
    df = pd.DataFrame({"at": [time_text(e["at"]) for e in items],
                       "with": [f"@{e['with']}" if e.get("with") else "" for e in items],
                       **(extra or {}),
                       "text": [e["text"] for e in items],
                       "url": [e["url"] or None for e in items]})
    return df


# Where staff correct the reading: the answers, the thanks and the "didn't work" replies (the
# other help components list the same answers again).
CORRECTED_HERE = ("helpful_answers", "confirmed_help", "negative_feedback")


def _correction_picker(comp: str, items: list[dict]) -> None:
    """Pick one evidence tweet and mark it, e.g. "not help": the mark wins at the next
    ranking run and is recorded (who, when, before and after)."""
    role = COMPONENT_ROLE[comp]
    pick = st.selectbox(
        "Correct how the ranking read one of these tweets", range(len(items)), index=None,
        key=f"correct_{comp}", placeholder="Pick a tweet to correct",
        format_func=lambda i: " · ".join(x for x in (
            time_text(items[i]["at"]), f"@{items[i]['with']}" if items[i].get("with") else "",
            " ".join(items[i]["text"].split())[:100]) if x))
    if pick is None:
        return
    tweet_id = items[pick]["tweet_id"]
    yes, no = MARKS[role][True][0], MARKS[role][False][0]
    b1, b2, b3 = st.columns(3)
    choice: bool | str | None = None
    if b1.button(f"Mark: {no}", key=f"mark_{comp}_no"):
        choice = False
    if b2.button(f"Mark: {yes}", key=f"mark_{comp}_yes"):
        choice = True
    if b3.button("Forget the mark", key=f"mark_{comp}_forget"):
        choice = "forget"
    if choice is not None:
        value = None if choice == "forget" else choice
        changed = correct_tweet(url, tweet_id, role, value, actor(), p["user_id"])
        said = "forgotten" if value is None else f'marked "{mark_text(role, value)}"'
        st.success(f"Saved: the tweet is {said}. It counts from the next ranking run."
                   if changed else f"Already {said}.")


LINK = {"url": st.column_config.LinkColumn("tweet", display_text="open")}

if reviewable(p["flags"]):
    voice = p["evidence"].get("flags", [])
    if voice:
        total = (p.get("evidence_totals") or {}).get("flags")
        st.caption(f"The tweets that made the call ({shown_of(len(voice), total)}):")
        st.dataframe(_tweets(voice).drop(columns=["with"]), hide_index=True, width="stretch",
                     column_config=LINK)
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
st.bar_chart(pd.DataFrame({"component": [COMPONENT_LABELS[c] for c in COMPONENTS],
                           "points": [round(p["components"].get(c, 0.0), 1)
                                      for c in COMPONENTS]}),
             x="component", y="points", sort=False, horizontal=True)
if ranked := st.session_state.pop("person_ranked", None):
    st.success(ranked)
totals = p.get("evidence_totals") or {}
marked = marks(url, [e["tweet_id"] for items in p["evidence"].values() for e in items])
st.caption("Staff can correct how the ranking read a tweet (an answer that is not help, a "
           "reply that is not a thanks) in each list below; a correction counts from the next "
           "ranking run.")
for comp in COMPONENTS:
    items = p["evidence"].get(comp)
    if not items:
        continue
    with st.expander(f"{COMPONENT_LABELS[comp]}: {score_text(p['components'].get(comp, 0.0))} "
                     f"points, {shown_of(len(items), totals.get(comp))}"):
        st.caption(COMPONENT_HELP[comp] + ".")
        extra = {}
        if comp in COMPONENT_ROLE:
            role = COMPONENT_ROLE[comp]
            extra["staff mark"] = [mark_text(role, marked.get((e["tweet_id"], role)))
                                   for e in items]
        if comp == "fix_amplification":
            extra = {"retweets": [e["retweets"] or 0 for e in items],
                     "quotes": [e["quotes"] or 0 for e in items]}
        elif comp == "responsiveness":
            extra = {"answered after": [minutes_text(e.get("value")) for e in items]}
        elif comp == "consistency":
            extra = {"week": [week_text(e["at"]) for e in items]}
        st.dataframe(_tweets(items, extra), hide_index=True, width="stretch",
                     column_config=LINK)
        if comp in CORRECTED_HERE:
            _correction_picker(comp, items)

fixed = corrections(url, p["user_id"])
if fixed:
    st.caption(f"Corrections made on this page ({len(fixed)}), oldest first: each counts from "
               "the ranking run after it.")
    st.dataframe(pd.DataFrame([{
        "at": time_text(c["at"]), "actor": c["actor"], "role": c["role"],
        "before": mark_text(c["role"], c["old"]) or "(read from the text)",
        "after": mark_text(c["role"], c["new"]) or "(read from the text)",
        "url": f"https://x.com/i/web/status/{c['tweet_id']}" if c["tweet_id"] > 0 else None}
        for c in fixed]), hide_index=True, width="stretch", column_config=LINK)
    if st.button("Rank again now", key="rank_now",
                 help="Runs `python -m graph rank` here, so the corrections count at once."):
        done = rank_now(url)
        st.session_state["person_ranked"] = (
            f"Nothing new since run {done['run_id']} (no tweet, correction or setting "
            "changed): it stands." if done["made"] == "reused" else
            f"Ranked again: run {done['run_id']}, {done['ranked']:,} people ranked. The "
            "page shows the new run.")
        st.rerun()

helped = (p.get("facts") or {}).get("helped")
c1, c2 = st.columns(2)
c1.subheader("People they helped")
c1.caption(shown_of(len(p["helped"]), helped))
c1.dataframe(pd.DataFrame({"username": p["helped"]}), hide_index=True)
c2.subheader("Thanked by")
c2.caption(shown_of(len(p["thanked_by"]), (p.get("facts") or {}).get("confirmed")))
c2.dataframe(pd.DataFrame({"username": p["thanked_by"]}), hide_index=True)

st.subheader("Their network")
from dashboard.network_view import draw_network, network  # noqa: E402 - only this section

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
st.caption("History of changes" if events else "No outreach changes recorded yet.")
if events:
    def _value(field: str, v: str | None) -> str:
        return time_text(v) if field.endswith("_at") else (v or "")

    st.dataframe(pd.DataFrame([{
        "at": time_text(e["at"]), "actor": e["actor"] or "",
        "field": e["field"].removesuffix("_at").replace("_", " "),
        "old": _value(e["field"], e["old"]), "new": _value(e["field"], e["new"])}
        for e in events]), hide_index=True, width="stretch")

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
