"""The supervisor dashboard (managers and admins): live SLA lists, period KPIs and charts, tables as CSV.

Every figure comes from ``inbox.reports`` (the functions ``inbox report`` prints), so the two always agree.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

import altair as alt
import pandas as pd
import streamlit as st

from inbox.charter.model import Charter
from inbox.desk.auth import can
from inbox.desk.queue import humanize
from inbox.reports.period import Period, custom, local_day, rolling
from inbox.reports.queries import channel_names
from inbox.reports.report import (
    LiveReport,
    PeriodReport,
    attainment_windows,
    live_report,
    period_report,
    report_tz,
)
from inbox.reports.sla_kpis import Attainment, LiveClock
from inbox.reports.tables import Table, all_tables, backlog, clocks, pct, to_csv
from inbox.ui.common import charter, current_user, md_escape, now, open_conversation, reading

REFRESH_SECONDS = 30
LIST_ROWS = 25  # clickable rows per live list; the CSV has them all
PERIODS = {"today": "Today", "7d": "7 days", "30d": "30 days", "custom": "Custom"}
ALL = "All channels"
SENTIMENT_COLOURS = {
    "negative": "#d62728",
    "neutral": "#9e9e9e",
    "positive": "#2ca02c",
    "unclassified": "#dddddd",
}


def frame(table: Table) -> pd.DataFrame:
    return pd.DataFrame(table.rows, columns=list(table.columns))


def download(table: Table) -> None:
    st.download_button(
        f"Download {table.name}.csv",
        to_csv(table),
        file_name=f"{table.name}.csv",
        mime="text/csv",
        key=f"dl-{table.name}",
        icon=":material/download:",
        on_click="ignore",
    )


def show(table: Table) -> None:
    """A table as plain cells (customer text is never rendered as Markdown), with its CSV download."""
    st.markdown(f"**{table.title}**")
    st.dataframe(frame(table), hide_index=True)
    download(table)


def _filters(tz: tzinfo) -> tuple[Period, str | None]:
    with reading() as session:
        names = channel_names(session)
    cols = st.columns([2.4, 2.4, 2], vertical_alignment="bottom")
    choice = cols[0].segmented_control(
        "Period",
        list(PERIODS),
        format_func=PERIODS.__getitem__,
        key="dash-period",
        default="7d",
        required=True,
    )
    channel = cols[2].selectbox("Channel", [ALL, *names], key="dash-channel")
    today = local_day(now(), tz)
    if choice != "custom":
        return rolling(choice or "7d", now(), tz), None if channel == ALL else channel
    picked = cols[1].date_input(
        "Days", value=(today - timedelta(days=6), today), max_value=today, key="dash-days"
    )
    if not isinstance(picked, tuple) or len(picked) != 2:
        st.info("Pick the last day of the period.")
        st.stop()
    return custom(picked[0], picked[1], tz), None if channel == ALL else channel


def _rate(a: Attainment) -> tuple[str, str | None]:
    if a.rate is None:
        return "—", None
    gap = pct(a.rate - a.goal)
    return f"{pct(a.rate)} %", f"{gap:+.1f} pts vs goal {pct(a.goal):.0f} %"


def _minutes(value: float | None) -> str:
    return "—" if value is None else humanize(timedelta(minutes=value))


def _clock_row(c: LiveClock, at: datetime, tz: tzinfo) -> None:
    conv = c.conversation
    with st.container(border=True, key=f"dash-row-{conv.id}"):
        cols = st.columns([1.6, 1.7, 4.6, 1.5, 0.9], vertical_alignment="center")
        left = c.due - at
        label = f"Overdue {humanize(left)}" if c.state == "breached" else f"{humanize(left)} left"
        cols[0].badge(label, color="red" if c.state == "breached" else "orange")
        cols[0].caption(f"Due {c.due.astimezone(tz):%d/%m %H:%M} · #{conv.id}")
        cols[1].markdown(
            f":gray-badge[{md_escape(conv.channel)}] :gray-badge[{md_escape(conv.urgency or '—')}]"
        )
        cols[2].text(
            f"@{conv.handle}" if conv.handle else "unknown customer"
        )  # customer text: never Markdown
        cols[2].text(conv.snippet or "(no message)")
        cols[3].caption(md_escape(conv.assignee) if conv.assignee else "Unassigned")
        if cols[4].button("Open", key=f"dash-open-{conv.id}", type="primary"):
            open_conversation(conv.id)


def _clock_list(name: str, items: list[LiveClock], live: LiveReport, tz: tzinfo) -> None:
    if not items:
        st.caption("None.")
    for c in items[:LIST_ROWS]:
        _clock_row(c, live.now, tz)
    if len(items) > LIST_ROWS:
        st.caption(f"{len(items) - LIST_ROWS} more in the CSV.")
    download(clocks(name, name.replace("_", " ").capitalize(), items, live.now, tz))


@st.fragment(run_every=REFRESH_SECONDS)
def live_panel(rules: Charter, channel: str | None) -> None:
    """What needs a supervisor now; refreshed every REFRESH_SECONDS."""
    tz = report_tz(rules)
    with reading() as session:
        live = live_report(session, rules, now(), channel)
    share = f"{rules.escalation.at_risk_fraction:.0%}"
    tiles = st.columns(3)
    tiles[0].metric(
        "Waiting for an answer", live.waiting, border=True, help="Not resolved, response clock running"
    )
    tiles[1].metric("At risk", len(live.at_risk), border=True, help=f"At least {share} of the target elapsed")
    tiles[2].metric("Breached", len(live.breached), border=True, help="Past the due time, still unanswered")
    risk, late, waiting = st.tabs(
        [f"At risk ({len(live.at_risk)})", f"Breached ({len(live.breached)})", "Backlog"]
    )
    with risk:
        _clock_list("at_risk", live.at_risk, live, tz)
    with late:
        _clock_list("breached", live.breached, live, tz)
    with waiting:
        show(backlog(live))
    st.caption(f"Live · refreshed every {REFRESH_SECONDS}s · {live.now.astimezone(tz):%H:%M:%S}")


def _tiles(r: PeriodReport, windows: dict[str, Attainment]) -> None:
    cols = st.columns(3)
    for col_, (label, a) in zip(cols, windows.items(), strict=True):
        value, delta = _rate(a)
        help_ = f"{a.met} of {a.judged} first responses on time; {a.waiting} still waiting"
        col_.metric(f"SLA attainment · {PERIODS[label].lower()}", value, delta, border=True, help=help_)
    t, f = r.response_times, r.fcr
    row = st.columns(5)
    row[0].metric("Conversations", r.conversations, border=True)
    row[1].metric("Customer messages", r.messages, border=True)
    row[2].metric("First response · median", _minutes(t.median_minutes), border=True)
    row[3].metric("First response · 90th pct", _minutes(t.p90_minutes), border=True)
    row[4].metric("First-contact resolution", "—" if f.rate is None else f"{pct(f.rate)} %", border=True)


def _volume_chart(table: Table) -> alt.Chart:
    return (
        alt.Chart(frame(table), title="Customer messages per hour")
        .mark_bar()
        .encode(
            x=alt.X("hour:T", title=None),
            y=alt.Y("sum(messages):Q", title="messages"),
            color=alt.Color("channel:N"),
            tooltip=["hour:N", "channel:N", "messages:Q"],
        )
    )


def _sentiment_chart(table: Table) -> alt.Chart:
    scale = alt.Scale(domain=list(SENTIMENT_COLOURS), range=list(SENTIMENT_COLOURS.values()))
    return (
        alt.Chart(frame(table), title="Sentiment by day")
        .mark_bar()
        .encode(
            x=alt.X("day:O", title=None),
            y=alt.Y("messages:Q", stack="normalize", title="share", axis=alt.Axis(format="%")),
            color=alt.Color("sentiment:N", scale=scale),
            tooltip=["day:N", "sentiment:N", "messages:Q", "share_pct:Q"],
        )
    )


def _attainment_chart(table: Table, goal: float) -> alt.LayerChart | alt.FacetChart:
    data = frame(table)
    y = alt.Y("attainment_pct:Q", title="% on time", scale=alt.Scale(domain=[0, 100]))
    line = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(x=alt.X("day:O", title=None), y=y, tooltip=list(data.columns))
    )
    rule = (
        alt.Chart(pd.DataFrame({"goal": [goal]}))
        .mark_rule(strokeDash=[4, 4], color="gray")
        .encode(y="goal:Q")
    )
    return alt.layer(line, rule, title="SLA attainment by day of arrival (dashed: goal)")


def period_panel(rules: Charter, period: Period, channel: str | None) -> None:
    at = now()
    with reading() as session:
        r = period_report(session, rules, period, at, channel)
        live = live_report(session, rules, at, channel)
        windows = attainment_windows(session, rules, at, channel)
    tables = all_tables(r, live, windows)
    st.subheader("Over the period")
    _tiles(r, windows)
    st.subheader("SLA and response times")
    st.altair_chart(_attainment_chart(tables["attainment_by_day"], pct(r.attainment.goal) or 100.0))
    show(tables["attainment_by_channel"])
    st.subheader("Volume and sentiment")
    left, right = st.columns(2)
    left.altair_chart(_volume_chart(tables["volume_by_hour"]))
    right.altair_chart(_sentiment_chart(tables["sentiment_by_day"]))
    for name in ("volume_by_hour", "sentiment", "sentiment_by_day"):
        show(tables[name])
    st.subheader("Agents")
    show(tables["agents"])
    st.caption(
        "Handling time: median minutes from when the agent began on a reply (the latest of their opening of "
        "the conversation, their previous reply in it, the customer's last message) to the reply."
    )
    with st.expander("All tables"):
        for name in ("summary", "attainment_windows", "attainment_by_day"):
            show(tables[name])


def main() -> None:
    user = current_user()
    if user is None or not can(user.role, "distribute"):
        st.error("Managers and admins only.")
        st.stop()
    st.title("Supervisor dashboard")
    rules = charter()
    if rules is None:
        st.error("The charter cannot be loaded, so SLA figures cannot be computed: run `inbox config check`.")
        st.stop()
    period, channel = _filters(report_tz(rules))
    st.caption(f"Period: {md_escape(period.describe())}. Definitions: docs/kpis.md.")
    st.subheader("Now")
    live_panel(rules, channel)
    period_panel(rules, period, channel)


main()
