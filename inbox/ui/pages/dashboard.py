"""The supervisor dashboard (managers and admins): live SLA lists, period KPIs and charts, tables as CSV.

Every figure comes from ``inbox.reports`` (the functions ``inbox report`` prints), so the two always agree.
A manager restricted to some channels (``channel_scope.effective``) sees only theirs: the channel filter
offers only those, "all" means all of them, and every figure, chart, CSV and the staffing simulator count
only them; the page says which. ``inbox report`` (operators) stays unrestricted.
"""

from __future__ import annotations

from datetime import timedelta, tzinfo

import altair as alt
import streamlit as st

from inbox import i18n
from inbox.access import can
from inbox.charter.model import Charter
from inbox.charter.versions import charter_book
from inbox.desk import channel_scope
from inbox.desk.channel_scope import Scope
from inbox.i18n import _, ngettext
from inbox.reports.channel_filter import Channels, channels_of
from inbox.reports.period import Period
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
from inbox.reports.tables import Table, all_tables, backlog, clocks, pct
from inbox.reports.trends import trend_tables, trends
from inbox.ui import database_down, relabel, streamlit_words
from inbox.ui.common import (
    charter,
    config_dir,
    current_user,
    md_escape,
    now,
    reading,
)
from inbox.ui.report_labels import table_frame, title
from inbox.ui.widgets import chart_slot, live_list, reason_charts
from inbox.ui.widgets import dashboard_charts as charts
from inbox.ui.widgets.period_picker import PERIODS, period_picker
from inbox.ui.widgets.satisfaction_panel import satisfaction_panel
from inbox.ui.widgets.staffing_chart import staffing_chart
from inbox.ui.widgets.table_download import csv_download

REFRESH_SECONDS = 30
LIST_ROWS = 25  # clickable rows per live list; the CSV has them all
ALL = "all"


def show(table: Table) -> None:
    """A table as plain cells (customer text is never rendered as Markdown), with its CSV download."""
    st.markdown(f"**{md_escape(_(title(table)))}**")
    st.dataframe(table_frame(table), hide_index=True)
    csv_download(table)


def _filters(tz: tzinfo, scope: Scope) -> tuple[Period, Channels]:
    """The period and the channels counted: the one picked, else every channel the viewer works."""
    with reading() as session:
        names = [n for n in channel_names(session) if channel_scope.works_on(scope, n)]
    every = _("All channels") if scope is None else _("All your channels")
    cols = st.columns([3.8, 2.3, 1.7], vertical_alignment="bottom")  # "Dates", both days whole: 1280
    channel = cols[2].selectbox(
        _("Channel"),
        [ALL, *names],
        key=relabel.keep("dash-channel"),
        format_func=lambda v: every if v == ALL else v,
        placeholder=streamlit_words.choose(),
    )
    period = period_picker(tz, cols[0], cols[1], key="dash-period", days_key="dash-days")
    if channel is None or channel == ALL or not channel_scope.works_on(scope, channel):
        return period, channels_of(scope)  # every channel, or every one the viewer works
    return period, channel


def _scope_caption(scope: Scope) -> None:
    """Which channels a restricted viewer's figures count (nothing said to one who works every channel)."""
    if scope is None:
        return
    if not scope:
        st.caption(
            _("You work no channel, so every figure here is empty. An admin sets the channels you work.")
        )
        return
    st.caption(
        _("Figures for your channels: {channels}").format(channels=md_escape(", ".join(sorted(scope))))
    )


def _rate(a: Attainment) -> tuple[str, str | None]:
    if a.rate is None:
        return "—", None
    gap = pct(a.rate - a.goal) or 0.0
    signed = ("+" if gap >= 0 else "-") + i18n.number(abs(gap), 1)
    return i18n.percent(a.rate), _("{gap} pts vs goal {goal}").format(
        gap=signed, goal=i18n.percent(a.goal, 0)
    )


def _minutes(value: float | None) -> str:
    return "—" if value is None else i18n.duration(timedelta(minutes=value))


def _clock_list(name: str, items: list[LiveClock], total: int, live: LiveReport, tz: tzinfo) -> None:
    """The first LIST_ROWS of ``items`` and the CSV of all of them; ``total`` counts those the database
    holds (the breached list reads only the soonest due)."""
    if not total:
        st.caption(_("No conversation in this list right now."))
    shown = items[:LIST_ROWS]
    names = live_list.display_names([c.conversation.id for c in shown])
    for c in shown:
        live_list.clock_row(c, live.now, tz, names)
    if total > len(items):
        st.caption(
            _("{n} more; the CSV holds the {m} due soonest.").format(
                n=i18n.number(total - len(shown)), m=i18n.number(len(items))
            )
        )
    elif len(items) > LIST_ROWS:
        st.caption(_("{n} more in the CSV.").format(n=i18n.number(len(items) - LIST_ROWS)))
    csv_download(clocks(name, name.replace("_", " ").capitalize(), items, live.now, tz))


@st.fragment(run_every=REFRESH_SECONDS)
@database_down.said_in_place
def live_panel(rules: Charter, channel: Channels) -> None:
    """What needs a supervisor now; refreshed every REFRESH_SECONDS."""
    tz = report_tz(rules)
    with reading() as session:
        live = live_report(session, charter_book(session, config_dir()), now(), channel)
    share = i18n.percent(rules.escalation.at_risk_fraction, 0)
    tiles = st.columns(3)
    tiles[0].metric(
        _("Waiting for an answer"),
        i18n.number(live.waiting),
        border=True,
        help=_("Not resolved, response clock running"),
    )
    tiles[1].metric(
        _("At risk"),
        i18n.number(live.at_risk_count),
        border=True,
        help=_("At least {share} of the target elapsed").format(share=share),
    )
    tiles[2].metric(
        _("Breached"),
        i18n.number(live.breached_count),
        border=True,
        help=_("Past the due time, still unanswered"),
    )
    risk, late, waiting = st.tabs(
        [
            _("At risk ({n})").format(n=i18n.number(live.at_risk_count)),
            _("Breached ({n})").format(n=i18n.number(live.breached_count)),
            _("Backlog"),
        ]
    )
    with risk:
        _clock_list("at_risk", live.at_risk, live.at_risk_count, live, tz)
    with late:
        _clock_list("breached", live.breached, live.breached_count, live, tz)
    with waiting:
        show(backlog(live))
    st.caption(
        _("Live · refreshed every {seconds} s · {time}").format(
            seconds=REFRESH_SECONDS, time=i18n.clock(live.now, tz)
        )
    )


def _tiles(r: PeriodReport, windows: dict[str, Attainment]) -> None:
    cols = st.columns(3)
    for col_, (window, a) in zip(cols, windows.items(), strict=True):
        value, delta = _rate(a)
        help_ = ngettext(
            "{met} of {n} first response on time; {waiting} still waiting",
            "{met} of {n} first responses on time; {waiting} still waiting",
            a.judged,
        ).format(met=a.met, n=a.judged, waiting=a.waiting)
        period = _(PERIODS[window]).lower()
        col_.metric(
            _("SLA attainment · {period}").format(period=period), value, delta, border=True, help=help_
        )
    t, f = r.response_times, r.fcr
    row = st.columns(3)
    row[0].metric(_("Conversations"), i18n.number(r.conversations), border=True)
    row[1].metric(_("Customer messages"), i18n.number(r.messages), border=True)
    row[2].metric(_("First-contact resolution"), "—" if f.rate is None else i18n.percent(f.rate), border=True)
    row = st.columns(3)
    row[0].metric(_("First response · median"), _minutes(t.median_minutes), border=True)
    row[1].metric(_("First response · 90th pct"), _minutes(t.p90_minutes), border=True)


def _charts(*charts: alt.Chart | alt.LayerChart | alt.FacetChart) -> None:
    """Charts side by side, two to a row; a chart with no data says so instead (no "0.000000" axis)."""
    for n in range(0, len(charts), 2):
        for col_, chart in zip(st.columns(2), charts[n : n + 2], strict=False):
            chart_slot.show(col_, chart)


def _tables(tables: list[Table], key: str) -> None:
    """The tables behind a section's charts, one click away, each with its CSV."""
    with st.expander(_("Tables and CSV"), icon=":material/table:", key=f"dash-tables-{key}"):
        for table in tables:
            show(table)


def period_panel(rules: Charter, period: Period, channel: Channels) -> None:
    at = now()
    with reading() as session:
        book = charter_book(session, config_dir())  # each conversation judged by the charter at its arrival
        r = period_report(session, book, period, at, channel)
        live = live_report(session, book, at, channel)
        windows = attainment_windows(session, book, at, channel)
        trend = trends(session, book.current, period, at, r.volume, channel, report=r)  # read once
    tables = {**all_tables(r, live, windows), **trend_tables(trend)}
    st.subheader(_("Over the period"))
    _tiles(r, windows)
    st.subheader(_("SLA and response times"))
    _charts(charts.goal_chart(trend.goal_days), charts.wait_chart(trend.waits))
    sla = ("goal_by_day", "first_response_distribution", "attainment_by_channel", "attainment_by_day")
    _tables([tables[name] for name in sla], "sla")
    st.subheader(_("Volume and sentiment"))
    _charts(charts.heatmap(trend.heat), charts.sentiment_chart(r.sentiment_days))
    volume = ("volume_heatmap", "volume_by_hour", "sentiment", "sentiment_by_day")
    _tables([tables[name] for name in volume], "volume")
    st.subheader(_("Satisfaction"))
    scores = charts.satisfaction_charts(trend.satisfaction_days)
    if scores:
        _charts(*scores)
    else:
        st.caption(_("No survey answer in the period."))
    _tables([tables["satisfaction_by_day"]], "satisfaction")
    satisfaction_panel(r)  # CSAT, NPS, CES per channel, agent, template; response rate; verbatims
    st.subheader(_("Contact reasons"))
    by_reason = r.by_reason  # first response, handling time, attainment; satisfaction per reason below
    _charts(
        charts.reasons_chart(r.reasons),
        reason_charts.days_chart(r.reason_days),
        reason_charts.attainment_chart(by_reason),
        reason_charts.times_chart(by_reason),
        *reason_charts.satisfaction_charts(r.satisfaction.by_reason),
    )
    reasons = ("reason_mix", "reason_by_day", "reason_figures", "satisfaction_by_reason")
    _tables([tables[name] for name in reasons], "reasons")
    st.subheader(_("Agents"))
    _charts(charts.agents_chart(r.agents))
    _tables([tables["agents"]], "agents")
    st.caption(
        _(
            "Handling time: median minutes from when the agent began on a reply (the latest of their opening "
            "of the conversation, their previous reply in it, the customer's last message) to the reply."
        )
    )
    shown = {*sla, *volume, *reasons, "satisfaction_by_day", "agents", "backlog", "at_risk", "breached"}
    with st.expander(_("All tables"), icon=":material/dataset:", key="dash-tables-all"):
        for name, table in tables.items():
            if name not in shown:
                show(table)


def main() -> None:
    user = current_user()
    if user is None or not can(user.role, "distribute"):
        st.error(_("Managers and admins only."))
        st.stop()
    st.title(_("Supervisor dashboard"))
    rules = charter()
    if rules is None:
        st.error(
            _("The charter cannot be loaded, so SLA figures cannot be computed: run `inbox config check`.")
        )
        st.stop()
    with reading() as session:
        scope = channel_scope.effective(session, user)  # a restricted manager sees only their channels
    period, channel = _filters(report_tz(rules), scope)
    _scope_caption(scope)
    first, last = i18n.day(period.first_day), i18n.day(period.last_day)
    span = first if first == last else _("{first} to {last}").format(first=first, last=last)
    zone = i18n.zone_name(report_tz(rules))
    st.caption(
        _("Period: {span}. Times are in {zone}. Definitions: docs/kpis.md.").format(span=span, zone=zone)
    )
    st.subheader(_("Now"))
    live_panel(rules, channel)
    period_panel(rules, period, channel)
    staffing_chart(rules, channels_of(scope))


main()
