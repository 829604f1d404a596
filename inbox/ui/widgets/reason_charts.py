"""The dashboard's charts per contact reason (a widget, not a page): the mix per day, first-response
attainment, first-response and handling times, and satisfaction, each per reason (issue #18.5).

Figures come from ``PeriodReport.reason_days`` (``inbox.reports.reasons``), ``PeriodReport.by_reason``
(``inbox.reports.by_reason``) and ``PeriodReport.satisfaction.by_reason`` (``inbox.reports.satisfaction``),
the tables ``reason_by_day``, ``reason_figures`` and ``satisfaction_by_reason`` of ``inbox report``. The data
frames keep plain field names (Vega needs them); reasons, axes, legends and tooltips are in the user's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import altair as alt
import pandas as pd

from inbox import i18n
from inbox.i18n import N_, _
from inbox.reports.by_reason import ReasonFigures
from inbox.reports.reasons import ReasonDay
from inbox.reports.satisfaction import SatisfactionGroup
from inbox.reports.table_base import one_decimal, pct
from inbox.ui.labels import REASON, label
from inbox.ui.report_labels import UNCLASSIFIED

SCORE_TITLES = {
    "csat": N_("CSAT by contact reason: share of satisfied answers (4 or 5)"),
    "nps": N_("NPS by contact reason (promoters minus detractors)"),
    "ces": N_("Customer effort (CES) by contact reason: mean score"),
}
DOMAINS = {"csat": [0, 100], "nps": [-100, 100], "ces": [1, 10]}
Y_AXIS = alt.Axis(labelLimit=220)


def reason_word(reason: str | None) -> str:
    """A contact reason in the user's words ("unclassified" too)."""
    return _(UNCLASSIFIED) if reason in (None, "unclassified") else label(REASON, reason)


def days_chart(days: Sequence[ReasonDay]) -> alt.Chart:
    """Customer messages per local day (every channel of the period), stacked by contact reason."""
    sums: dict[tuple[date, str], int] = {}
    for d in days:
        key = (d.day, reason_word(d.reason))
        sums[key] = sums.get(key, 0) + d.messages
    order = [i18n.day(day) for day in sorted({day for day, _word in sums})]
    data = pd.DataFrame(
        {
            "day": [i18n.day(day) for day, _word in sums],
            "reason": [word for _day, word in sums],
            "messages": list(sums.values()),
        }
    )
    return (
        alt.Chart(data, title=_("Customer messages by contact reason and day"), padding={"right": 16})
        .mark_bar()
        .encode(
            x=alt.X("day:O", sort=order, title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("messages:Q", title=_("Messages"), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("reason:N", title=_("Reason"), legend=alt.Legend(labelLimit=220)),
            tooltip=[
                alt.Tooltip("day:N", title=_("Day")),
                alt.Tooltip("reason:N", title=_("Reason")),
                alt.Tooltip("messages:Q", title=_("Messages")),
            ],
        )
    )


def attainment_chart(rows: Sequence[ReasonFigures]) -> alt.LayerChart | alt.FacetChart:
    """First-response attainment (met ÷ judged) per reason, each bar labelled "met/judged" (a 0 % bar has no
    length: its label says it was judged); reasons with nothing judged have no bar."""
    data = pd.DataFrame(
        {
            "reason": [reason_word(f.reason) for f in rows],
            "attainment": [pct(f.attainment.rate) for f in rows],
            "met": [f.attainment.met for f in rows],
            "missed": [f.attainment.missed for f in rows],
            "conversations": [f.conversations for f in rows],
            "label": [
                f"{f.attainment.met}/{f.attainment.met + f.attainment.missed}"
                if f.attainment.rate is not None
                else ""
                for f in rows
            ],
        }
    )
    base = alt.Chart(data).encode(
        x=alt.X("attainment:Q", title=_("Attainment (%)"), scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("reason:N", sort=None, title=None, axis=Y_AXIS),
        tooltip=[
            alt.Tooltip("reason:N", title=_("Reason")),
            alt.Tooltip("attainment:Q", title=_("Attainment (%)")),
            alt.Tooltip("met:Q", title=_("On time")),
            alt.Tooltip("missed:Q", title=_("Late")),
            alt.Tooltip("conversations:Q", title=_("Conversations")),
        ],
    )
    labels = base.mark_text(align="left", baseline="middle", dx=4).encode(text="label:N")
    title = _("First-response attainment by contact reason")
    return alt.layer(base.mark_bar(), labels, title=title, padding={"right": 16})


def times_chart(rows: Sequence[ReasonFigures]) -> alt.Chart:
    """Per reason, two bars in minutes: the first-response median and the mean handling time (DMT)."""
    first, handling = _("First response, median"), _("Handling time, mean (DMT)")
    records = []
    for f in rows:
        records.append((reason_word(f.reason), first, one_decimal(f.first_response.median_minutes)))
        records.append((reason_word(f.reason), handling, one_decimal(f.handling_mean_minutes)))
    data = pd.DataFrame(records, columns=["reason", "measure", "minutes"])
    order = [reason_word(f.reason) for f in rows]
    return (
        alt.Chart(data, title=_("Response and handling times by contact reason"), padding={"right": 16})
        .mark_bar()
        .encode(
            x=alt.X("minutes:Q", title=_("Minutes")),
            y=alt.Y("reason:N", sort=order, title=None, axis=Y_AXIS),
            yOffset=alt.YOffset("measure:N", sort=[first, handling]),
            color=alt.Color(
                "measure:N",
                title=None,
                sort=[first, handling],
                legend=alt.Legend(orient="bottom", labelLimit=320),
            ),
            tooltip=[
                alt.Tooltip("reason:N", title=_("Reason")),
                alt.Tooltip("measure:N", title=_("Measure")),
                alt.Tooltip("minutes:Q", title=_("Minutes")),
            ],
        )
    )


def satisfaction_charts(groups: Sequence[SatisfactionGroup]) -> list[alt.Chart]:
    """One bar chart per survey kind answered: its figure per reason (reasons without an answer left out)."""
    charts = []
    for kind in ("csat", "nps", "ces"):
        rows = [g for g in groups if g.kind == kind and g.answered]
        if not rows:
            continue
        data = pd.DataFrame(
            {
                "reason": [reason_word(g.group) for g in rows],
                "score": [g.figure for g in rows],
                "answers": [g.answered for g in rows],
                "sent": [g.sent for g in rows],
            }
        )
        charts.append(
            alt.Chart(data, title=_(SCORE_TITLES[kind]), padding={"right": 16})
            .mark_bar()
            .encode(
                x=alt.X("score:Q", title=_("Score"), scale=alt.Scale(domain=DOMAINS[kind])),
                y=alt.Y("reason:N", sort="-x", title=None, axis=Y_AXIS),
                tooltip=[
                    alt.Tooltip("reason:N", title=_("Reason")),
                    alt.Tooltip("score:Q", title=_("Score")),
                    alt.Tooltip("answers:Q", title=_("Answers")),
                    alt.Tooltip("sent:Q", title=_("Sent")),
                ],
            )
        )
    return charts
