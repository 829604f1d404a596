"""The dashboard's charts (a widget, not a page): Altair charts of the report's rows, every word translated.

The data frames keep plain field names (Vega needs them); axes, legends and tooltips carry the people's
words, so nothing raw is shown. Days and numbers are formatted by ``inbox.i18n``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import altair as alt
import pandas as pd

from inbox import i18n
from inbox.charter.goals import Goal
from inbox.i18n import N_, _
from inbox.reports.kpis import AgentRow, SentimentShare
from inbox.reports.labels import goal_name
from inbox.reports.reasons import ReasonShare
from inbox.reports.satisfaction import SatisfactionGroup
from inbox.reports.table_base import pct
from inbox.reports.trends import GoalDay, HeatCell, WaitBucket
from inbox.ui.labels import REASON, SENTIMENT, label
from inbox.ui.report_labels import UNCLASSIFIED
from inbox.ui.widgets.charter_form import DAY_LABELS

SENTIMENT_COLOURS = {
    "negative": "#d62728",
    "neutral": "#9e9e9e",
    "positive": "#2ca02c",
    "unclassified": "#dddddd",
}
SURVEY_TITLES = {
    "csat": N_("CSAT by day: share of satisfied answers (4 or 5)"),
    "nps": N_("NPS by day (promoters minus detractors)"),
    "ces": N_("Customer effort (CES) by day: mean score"),
}


def goal_label(name: str, goal: Goal) -> str:
    """``social: 90 % within 1 h 00 min``, in the user's language."""
    return _("{name}: {percent} within {time}").format(
        name=goal_name(name),
        percent=i18n.percent(goal.percent / 100, 0),
        time=i18n.duration(timedelta(minutes=goal.within_minutes)),
    )


def _days(days: Sequence[date]) -> list[str]:
    return [i18n.day(d) for d in sorted(set(days))]


def goal_chart(days: Sequence[GoalDay]) -> alt.LayerChart | alt.FacetChart:
    """Each goal's attainment per day of arrival (a line) against its percent (a dashed rule)."""
    order = _days([g.day for g in days])
    data = pd.DataFrame(
        {
            "day": [i18n.day(g.day) for g in days],
            "goal": [goal_label(g.counts.name, g.counts.goal) for g in days],
            "attainment": [pct(g.counts.attainment) for g in days],
            "within": [g.counts.within for g in days],
            "late": [g.counts.late for g in days],
        }
    )
    goals = {goal_label(g.counts.name, g.counts.goal): g.counts.goal.percent for g in days}
    rules = pd.DataFrame({"goal": list(goals), "percent": list(goals.values())})
    colour = alt.Color("goal:N", title=_("Goal"), legend=alt.Legend(orient="bottom", labelLimit=320))
    line = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("day:O", sort=order, title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("attainment:Q", title=_("Attainment (%)"), scale=alt.Scale(domain=[0, 100])),
            color=colour,
            tooltip=[
                alt.Tooltip("day:N", title=_("Day")),
                alt.Tooltip("goal:N", title=_("Goal")),
                alt.Tooltip("attainment:Q", title=_("Attainment (%)")),
                alt.Tooltip("within:Q", title=_("Within the time")),
                alt.Tooltip("late:Q", title=_("Late")),
            ],
        )
    )
    rule = alt.Chart(rules).mark_rule(strokeDash=[6, 4]).encode(y="percent:Q", color=colour)
    # the goal in a subtitle: one line this long was cut ("…against the goal (dash…") on a laptop
    title = alt.TitleParams(_("Attainment by day of arrival"), subtitle=_("Dashed line: the goal"))
    return alt.layer(line, rule, title=title)


def _time(m: int) -> str:
    return _("{minutes} min").format(minutes=m) if m < 60 else _("{hours} h").format(hours=m // 60)


def wait_label(b: WaitBucket) -> str:
    """Short bucket names that fit under a bar: ``< 5 min``, ``5–15 min``, ``30 min–1 h``, ``≥ 24 h``."""
    if b.high is None:
        return f"≥ {_time(b.low)}"
    if b.low == 0:
        return f"< {_time(b.high)}"
    low, high = _time(b.low), _time(b.high)
    same_unit = (b.low < 60) == (b.high < 60)
    return f"{low.split()[0]}–{high}" if same_unit else f"{low}–{high}"


def wait_chart(waits: Sequence[WaitBucket]) -> alt.Chart:
    """Answered conversations per first-response time bucket."""
    labels = [wait_label(b) for b in waits]
    data = pd.DataFrame({"wait": labels, "answered": [b.answered for b in waits]})
    return (
        alt.Chart(data, title=_("First responses by time to answer"))
        .mark_bar()
        .encode(
            x=alt.X("wait:O", sort=labels, title=None, axis=alt.Axis(labelAngle=-45, labelOverlap=False)),
            y=alt.Y("answered:Q", title=_("Conversations"), axis=alt.Axis(tickMinStep=1)),
            tooltip=[
                alt.Tooltip("wait:N", title=_("First response")),
                alt.Tooltip("answered:Q", title=_("Conversations")),
            ],
        )
    )


def heatmap(cells: Sequence[HeatCell]) -> alt.Chart:
    """Customer messages per weekday (rows, Monday first) and local hour (columns)."""
    names = [_(name) for name in DAY_LABELS.values()]
    data = pd.DataFrame(
        {
            "weekday": [names[c.weekday] for c in cells],
            "hour": [c.hour for c in cells],
            "messages": [c.messages for c in cells],
        }
    )
    return (
        alt.Chart(data, title=_("Customer messages by weekday and hour"), height=alt.Step(30))
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title=_("Hour"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("weekday:O", sort=names, title=None, axis=alt.Axis(labelOverlap=False)),
            color=alt.Color(
                "messages:Q",
                title=_("Messages"),
                scale=alt.Scale(scheme="blues"),
                legend=alt.Legend(format="d", tickMinStep=1),
            ),
            tooltip=[
                alt.Tooltip("weekday:N", title=_("Weekday")),
                alt.Tooltip("hour:O", title=_("Hour")),
                alt.Tooltip("messages:Q", title=_("Messages")),
            ],
        )
    )


def sentiment_chart(by_day: dict[date, list[SentimentShare]]) -> alt.Chart:
    """Each sentiment's share of the customer messages, per day (stacked to 100 %)."""
    words = {k: _(UNCLASSIFIED) if k == "unclassified" else label(SENTIMENT, k) for k in SENTIMENT_COLOURS}
    scale = alt.Scale(domain=list(words.values()), range=list(SENTIMENT_COLOURS.values()))
    rows = [(d, s) for d, shares in sorted(by_day.items()) for s in shares]
    data = pd.DataFrame(
        {
            "day": [i18n.day(d) for d, _s in rows],
            "sentiment": [words.get(s.sentiment, s.sentiment) for _d, s in rows],
            "messages": [s.messages for _d, s in rows],
        }
    )
    return (
        alt.Chart(data, title=_("Sentiment by day"))
        .mark_bar()
        .encode(
            x=alt.X("day:O", sort=_days(list(by_day)), title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y(
                "messages:Q", stack="normalize", title=_("Share of the messages"), axis=alt.Axis(format="%")
            ),
            color=alt.Color("sentiment:N", scale=scale, title=_("Sentiment")),
            tooltip=[
                alt.Tooltip("day:N", title=_("Day")),
                alt.Tooltip("sentiment:N", title=_("Sentiment")),
                alt.Tooltip("messages:Q", title=_("Messages")),
            ],
        )
    )


def satisfaction_charts(days: Sequence[SatisfactionGroup]) -> list[alt.Chart]:
    """One line chart per survey kind answered: its figure per day of answer."""
    charts = []
    for kind in ("csat", "nps", "ces"):
        rows = [g for g in days if g.kind == kind and g.group is not None]
        if not rows:
            continue
        order = _days([date.fromisoformat(str(g.group)) for g in rows])
        data = pd.DataFrame(
            {
                "day": [i18n.day(date.fromisoformat(str(g.group))) for g in rows],
                "score": [g.figure for g in rows],
                "answers": [g.answered for g in rows],
            }
        )
        domain = {"csat": [0, 100], "nps": [-100, 100], "ces": [1, 10]}[kind]
        charts.append(
            alt.Chart(data, title=_(SURVEY_TITLES[kind]))
            .mark_line(point=True)
            .encode(
                x=alt.X("day:O", sort=order, title=None, axis=alt.Axis(labelAngle=-45)),
                y=alt.Y("score:Q", title=_("Score"), scale=alt.Scale(domain=domain)),
                tooltip=[
                    alt.Tooltip("day:N", title=_("Day")),
                    alt.Tooltip("score:Q", title=_("Score")),
                    alt.Tooltip("answers:Q", title=_("Answers")),
                ],
            )
        )
    return charts


def reasons_chart(shares: Sequence[ReasonShare]) -> alt.Chart:
    """Customer messages per contact reason (all channels of the period), most frequent on top."""
    sums: dict[str, int] = {}
    for r in shares:
        word = _(UNCLASSIFIED) if r.reason == "unclassified" else label(REASON, r.reason)
        sums[word] = sums.get(word, 0) + r.messages
    data = pd.DataFrame({"reason": list(sums), "messages": list(sums.values())})
    return (
        alt.Chart(data, title=_("Customer messages by contact reason"), padding={"right": 16})
        .mark_bar()
        .encode(
            x=alt.X("messages:Q", title=_("Messages"), axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("reason:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
            tooltip=[
                alt.Tooltip("reason:N", title=_("Reason")),
                alt.Tooltip("messages:Q", title=_("Messages")),
            ],
        )
    )


def agents_chart(agents: Sequence[AgentRow]) -> alt.Chart:
    """Replies sent per agent, the median handling time in the tooltip."""
    data = pd.DataFrame(
        {
            "agent": [a.display_name for a in agents],
            "replies": [a.replies_sent for a in agents],
            "handling": [
                "—"
                if a.handling_median_minutes is None
                else i18n.duration(timedelta(minutes=a.handling_median_minutes))
                for a in agents
            ],
        }
    )
    return (
        alt.Chart(data, title=_("Replies sent per agent"), padding={"right": 16})
        .mark_bar()
        .encode(
            x=alt.X("replies:Q", title=_("Replies sent"), axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("agent:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
            tooltip=[
                alt.Tooltip("agent:N", title=_("Agent")),
                alt.Tooltip("replies:Q", title=_("Replies sent")),
                alt.Tooltip("handling:N", title=_("Handling time · median")),
            ],
        )
    )
