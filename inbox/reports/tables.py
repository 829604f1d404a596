"""The report as named tables (the dashboard's downloads, ``inbox report``'s output) and their CSV/JSON.

Pure. Percentages and minutes are rounded to one decimal; times are local to the report's time zone.
CSV cells that start like a spreadsheet formula get a leading apostrophe (customer text is untrusted).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from inbox.i18n import N_, Nn_
from inbox.reports import by_reason, figure_tables
from inbox.reports.report import LiveReport, PeriodReport
from inbox.reports.sla_kpis import Attainment, LiveClock
from inbox.reports.stats import minutes
from inbox.reports.table_base import Cell, Detail, Table, local, one_decimal, pct
from inbox.spreadsheet import safe_cell

__all__ = ["Cell", "Table", "local", "one_decimal", "pct"]


def _attainment_cells(a: Attainment) -> tuple[Cell, ...]:
    return (a.met, a.missed, a.waiting, a.closed_unanswered, pct(a.rate), pct(a.goal))


_ATTAINMENT = ("met", "missed", "waiting", "closed_unanswered", "attainment_pct", "goal_pct")


def summary(r: PeriodReport, live: LiveReport) -> Table:
    a, t, f = r.attainment, r.response_times, r.fcr
    rows: list[tuple[Cell, ...]] = [
        ("conversations", r.conversations, Detail(N_("first customer message in the period"))),
        ("customer_messages", r.messages, Detail(N_("received in the period"))),
        ("answered", t.answered, Detail(N_("conversations with a first response"))),
        ("first_response_median_min", one_decimal(t.median_minutes), Detail(N_("wall-clock minutes"))),
        ("first_response_p90_min", one_decimal(t.p90_minutes), Detail(N_("nearest rank"))),
        (
            "sla_attainment_pct",
            pct(a.rate),
            Detail(N_("{met} met of {n}; goal {goal} %"), met=a.met, n=a.judged, goal=pct(a.goal)),
        ),
        (
            "fcr_pct",
            pct(f.rate),
            Detail(
                Nn_("{first} of {n} resolved and answered", "{first} of {n} resolved and answered"),
                first=f.first_contact,
                n=f.resolved_answered,
            ),
        ),
        ("waiting_now", live.waiting, Detail(N_("not resolved, response clock running"))),
        ("at_risk_now", live.at_risk_count, Detail(N_("at risk, not yet due"))),
        ("breached_now", live.breached_count, Detail(N_("past the due time"))),
        *figure_tables.summary_rows(r),
    ]
    return Table("summary", "Summary", ("kpi", "value", "detail"), rows)


def windows_table(windows: dict[str, Attainment]) -> Table:
    rows = [(label, *_attainment_cells(a)) for label, a in windows.items()]
    return Table("attainment_windows", "SLA attainment: today, 7 and 30 days", ("window", *_ATTAINMENT), rows)


def by_channel(r: PeriodReport) -> Table:
    rows = []
    groups = [*r.attainment_by_channel.items(), ("all", r.attainment)]
    for channel, a in groups:
        t = r.response_times if channel == "all" else r.response_times_of(channel)
        rows.append(
            (
                channel,
                a.conversations,
                *_attainment_cells(a),
                t.answered,
                one_decimal(t.median_minutes),
                one_decimal(t.p90_minutes),
            )
        )
    columns = ("channel", "conversations", *_ATTAINMENT, "answered", "frt_median_min", "frt_p90_min")
    return Table("attainment_by_channel", "SLA attainment and first-response time by channel", columns, rows)


def by_day(r: PeriodReport) -> Table:
    rows = [(day.isoformat(), *_attainment_cells(a)) for day, a in r.attainment_by_day.items()]
    return Table("attainment_by_day", "SLA attainment by day of arrival", ("day", *_ATTAINMENT), rows)


def volume(r: PeriodReport) -> Table:
    rows: list[tuple[Cell, ...]] = [(local(v.hour, r.period.tz), v.channel, v.messages) for v in r.volume]
    return Table(
        "volume_by_hour", "Customer messages per channel per hour", ("hour", "channel", "messages"), rows
    )


def sentiment(r: PeriodReport) -> Table:
    rows: list[tuple[Cell, ...]] = [(s.sentiment, s.messages, pct(s.share)) for s in r.sentiment]
    return Table("sentiment", "Sentiment of customer messages", ("sentiment", "messages", "share_pct"), rows)


def sentiment_days(r: PeriodReport) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (day.isoformat(), s.sentiment, s.messages, pct(s.share))
        for day, shares in r.sentiment_days.items()
        for s in shares
    ]
    columns = ("day", "sentiment", "messages", "share_pct")
    return Table("sentiment_by_day", "Sentiment by day", columns, rows)


def reason_mix(r: PeriodReport) -> Table:
    rows: list[tuple[Cell, ...]] = [(s.channel, s.reason, s.messages, pct(s.share)) for s in r.reasons]
    columns = ("channel", "reason", "messages", "share_pct")
    return Table("reason_mix", "Contact reasons of customer messages, by channel", columns, rows)


def reason_by_day(r: PeriodReport) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (d.day.isoformat(), d.channel, d.reason, d.messages, pct(d.share)) for d in r.reason_days
    ]
    columns = ("day", "channel", "reason", "messages", "share_pct")
    return Table("reason_by_day", "Contact reasons of customer messages, by day and channel", columns, rows)


def agents(r: PeriodReport) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (
            a.agent,
            a.display_name,
            a.replies_sent,
            a.resolved,
            a.replies_measured,
            one_decimal(a.handling_median_minutes),
        )
        for a in r.agents
    ]
    columns = ("agent", "name", "replies_sent", "resolved", "replies_measured", "handling_median_min")
    return Table("agents", "Agents: replies, resolutions, handling time", columns, rows)


def backlog(live: LiveReport) -> Table:
    rows: list[tuple[Cell, ...]] = [(b.channel, b.urgency, b.conversations) for b in live.backlog]
    columns = ("channel", "urgency", "conversations")
    return Table("backlog", "Waiting for an answer, by channel and urgency", columns, rows)


CLOCK_COLUMNS = (
    "conversation",
    "channel",
    "customer",
    "urgency",
    "assignee",
    "due",
    "minutes_left",
    "elapsed_pct",
    "last_message",
)


def clocks(name: str, title: str, items: Sequence[LiveClock], now: datetime, tz: tzinfo) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for c in items:
        conv = c.conversation
        left = one_decimal(minutes(c.due - now))
        rows.append(
            (
                conv.id,
                conv.channel,
                conv.handle,
                conv.urgency,
                conv.assignee,
                local(c.due, tz),
                left,
                pct(c.fraction),
                conv.snippet,
            )
        )
    return Table(name, title, CLOCK_COLUMNS, rows)


def all_tables(r: PeriodReport, live: LiveReport, windows: dict[str, Attainment]) -> dict[str, Table]:
    tz = r.period.tz
    found = [
        summary(r, live),
        windows_table(windows),
        by_channel(r),
        by_day(r),
        volume(r),
        sentiment(r),
        sentiment_days(r),
        reason_mix(r),
        reason_by_day(r),
        by_reason.table(r.by_reason),
        agents(r),
        *figure_tables.figure_tables(r),
        backlog(live),
        clocks("at_risk", "At risk", live.at_risk, live.now, tz),
        clocks("breached", "Breached", live.breached, live.now, tz),
    ]
    return {t.name: t for t in found}


def to_csv(table: Table, *, delimiter: str = ",", decimal: str = ".") -> str:
    """The table as CSV: stable (``,`` and ``.``) by default; a French spreadsheet's ``;`` and ``,`` on
    request (Excel in French splits a line on ``;`` and reads ``2,4`` as a number)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(tuple(safe_cell(_decimal(c, decimal)) for c in row) for row in table.rows)
    return out.getvalue()


def _decimal(cell: Any, decimal: str) -> Any:
    return str(cell).replace(".", decimal) if decimal != "." and isinstance(cell, float) else cell


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    raise TypeError(f"not JSON serialisable: {value!r}")


def to_json(r: PeriodReport, tables: dict[str, Table]) -> str:
    doc = {
        "period": {
            "label": r.period.label,
            "first_day": r.period.first_day,
            "last_day": r.period.last_day,
            "timezone": getattr(r.period.tz, "key", str(r.period.tz)),
            "start": r.period.start,
            "end": r.period.end,
        },
        "channel": r.channel,
        "generated_at": r.now,
        "tables": {name: t.records() for name, t in tables.items()},
    }
    return json.dumps(doc, default=_json_default, ensure_ascii=False, indent=2)
