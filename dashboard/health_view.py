"""The health page's drawing: alerts, the tweets-per-day chart over the data's own window, and
readable tables of runs and rejected records (``ingest.status`` computes everything)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import streamlit as st

from ingest.status import RUN_COLUMNS, run_rows
from untrusted import printable

__all__ = ["show_alerts", "tweets_chart", "chart_frame", "runs_frame", "rejected_frame",
           "md_text"]

WEEKLY_AFTER_DAYS = 120  # a longer window is drawn a week a bar
_MD = re.compile(r"([\\`*_{}\[\]#|<>~$])")  # one line of text: no line-start syntax


def md_text(text: str) -> str:
    """Text for an element that renders Markdown (st.error and friends), shown literally:
    run errors and file names are untrusted."""
    return _MD.sub(r"\\\1", printable(text))


def show_alerts(s: dict[str, Any]) -> None:
    show = {"error": st.error, "warning": st.warning, "info": st.info}
    for a in s.get("alerts", []):
        show[a["level"]](md_text(a["text"]))


def chart_frame(s: dict[str, Any]):
    """Tweets per day (or per week, over a long window) and source, over the status window:
    one row per bucket and source, every bucket present even when empty."""
    import pandas as pd

    by_source = s["tweets_per_day_by_source"] or {"no tweets": s["tweets_per_day"]}
    days = list(s["tweets_per_day"])
    weekly = len(days) > WEEKLY_AFTER_DAYS
    rows = []
    for src, series in by_source.items():
        buckets: dict[str, int] = {}
        for d in days:
            day = date.fromisoformat(d)
            key = (day - timedelta(days=day.weekday())).isoformat() if weekly else d
            buckets[key] = buckets.get(key, 0) + int(series.get(d, 0))
        rows += [{"day": k, "source": src, "tweets": n} for k, n in buckets.items()]
    frame = pd.DataFrame(rows, columns=["day", "source", "tweets"])
    frame["day"] = pd.to_datetime(frame["day"])
    return frame, ("week" if weekly else "day")


def tweets_chart(s: dict[str, Any]):
    """Stacked bars by source over the window: whole numbers on the y axis, the window's own
    dates on the x axis (the data's span for imported history)."""
    import altair as alt

    frame, unit = chart_frame(s)
    start = date.fromisoformat(s["window_start"])
    end = date.fromisoformat(s["window_end"]) + timedelta(days=1)
    x = alt.X("yearmonthdate(day):T", title=None,
              scale=alt.Scale(domain=[start.isoformat(), end.isoformat()]),
              axis=alt.Axis(format="%Y-%m-%d", labelAngle=-45))
    top = max(int(frame.groupby("day")["tweets"].sum().max()) if len(frame) else 0, 1)
    y = alt.Y("sum(tweets):Q", title=f"tweets per {unit}",
              scale=alt.Scale(domain=[0, top], nice=True),
              axis=alt.Axis(format=",d", tickMinStep=1))
    return alt.Chart(frame).mark_bar().encode(
        x=x, y=y, color=alt.Color("source:N", title="source"),
        tooltip=[alt.Tooltip("day:T", format="%Y-%m-%d", title=unit),
                 alt.Tooltip("source:N"), alt.Tooltip("tweets:Q", format=",d")],
    ).properties(height=280)


def runs_frame(s: dict[str, Any]):
    import pandas as pd

    return pd.DataFrame(run_rows(s["runs"]), columns=RUN_COLUMNS)


def rejected_frame(s: dict[str, Any]):
    import pandas as pd

    cols = ["run", "source", "where", "reason", "excerpt"]
    return pd.DataFrame([{"run": r["run_id"] if r["run_id"] is not None else "",
                          "source": r["source"] or "", "where": printable(r["location"], 200),
                          "reason": printable(r["reason"], 200),
                          "excerpt": printable(r["excerpt"], 120)}
                         for r in s["rejected_records"]], columns=cols)
