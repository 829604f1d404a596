"""One report for the dashboard and ``inbox report`` alike: the same queries, the same KPI functions.

Session-taking and read-only; ``now`` and the charter are parameters, so both front ends agree. Given a
``CharterBook`` (every version, ``charter_book``), each conversation is judged by the charter in force when
it arrived, as ingestion and the escalation alerts judge it; a single ``Charter`` stands for every arrival.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from sqlmodel import Session

from inbox.charter.model import Charter
from inbox.charter.versions import CharterBook
from inbox.ingest.threads import URGENCY_ORDER
from inbox.reports import first_responses, kpis, queries
from inbox.reports.by_reason import ReasonFigures, reason_figures
from inbox.reports.calendar import ReportClocks
from inbox.reports.channel_filter import ChannelIds, Channels
from inbox.reports.collector import collector_paused
from inbox.reports.contact_kpis import ContactRow, contact_rows
from inbox.reports.journeys import journeys
from inbox.reports.judging import JudgedCohort
from inbox.reports.outbound import conversation_kinds, outbound_counts
from inbox.reports.period import WINDOWS, Period, rolling
from inbox.reports.reasons import ReasonDay, ReasonShare, reason_days, reason_mix
from inbox.reports.rows import BacklogCount, OutcomeCount
from inbox.reports.satisfaction import Satisfaction, SurveyRow, satisfaction_of, survey_rows
from inbox.reports.sla_kpis import (
    Attainment,
    FirstResponse,
    LiveClock,
    attainment,
    attainment_by_channel,
    attainment_by_day,
    first_response,
    live_clock,
    outcome_count,
)
from inbox.reports.targets_kpis import GoalAttainment, TargetCount, goal_attainment, target_counts

Charters = Charter | CharterBook  # one charter, or every version with the time it came into force


def as_book(charter: Charters) -> CharterBook:
    return charter if isinstance(charter, CharterBook) else CharterBook(charter)


def report_tz(charter: Charters) -> tzinfo:
    """Reports count days and hours in the time zone of the main team (``sla.team``) of the charter now."""
    current = as_book(charter).current
    return ZoneInfo(current.team(current.sla.team).timezone)


@dataclass(frozen=True)
class PeriodReport:
    period: Period
    channel: Channels
    now: datetime
    outcomes: list[OutcomeCount]
    times: dict[str, kpis.ResponseTimes]  # per channel name, and ``first_responses.ALL``
    fcr: kpis.Fcr
    messages: int
    volume: list[kpis.Volume]
    sentiment: list[kpis.SentimentShare]
    sentiment_days: dict[date, list[kpis.SentimentShare]]
    agents: list[kpis.AgentRow]
    reasons: list[ReasonShare] = field(default_factory=list)  # contact-reason mix per channel
    reason_days: list[ReasonDay] = field(default_factory=list)  # the mix per local day and channel
    targets: list[TargetCount] = field(default_factory=list)  # every charter target, per channel/kind/urgency
    goals: list[GoalAttainment] = field(default_factory=list)  # the service-level goals, met or not
    contacts: list[ContactRow] = field(default_factory=list)  # answer rate, DMT, DMC, moves, outbound
    satisfaction: Satisfaction = field(default_factory=Satisfaction)
    by_reason: list[ReasonFigures] = field(default_factory=list)  # first response, DMT, attainment per reason
    # what the figures were computed from, for the dashboard's charts of the same period (``trends``): the
    # conversations judged once, and the surveys sent
    judged: JudgedCohort | None = field(default=None, repr=False, compare=False)
    surveys: list[SurveyRow] = field(default_factory=list, repr=False, compare=False)

    @property
    def conversations(self) -> int:
        """Conversations whose first customer message arrived in the period."""
        return sum(c.conversations for c in self.outcomes)

    @property
    def attainment(self) -> Attainment:
        return attainment(self.outcomes)

    @property
    def attainment_by_channel(self) -> dict[str, Attainment]:
        return attainment_by_channel(self.outcomes)

    @property
    def attainment_by_day(self) -> dict[date, Attainment]:
        return attainment_by_day(self.outcomes, self.period.tz)

    @property
    def response_times(self) -> kpis.ResponseTimes:
        return self.times.get(first_responses.ALL, NO_TIMES)

    def response_times_of(self, channel: str) -> kpis.ResponseTimes:
        return self.times.get(channel, NO_TIMES)


NO_TIMES = kpis.ResponseTimes(0, None, None)


@dataclass(frozen=True)
class LiveReport:
    channel: Channels
    now: datetime
    backlog: list[BacklogCount]
    clocks: list[LiveClock]  # the breached (the soonest due, queries.LIVE_LIMIT), then every one not yet due
    breached_total: int | None = None  # every breached clock, counted by the database

    @property
    def waiting(self) -> int:
        return sum(b.conversations for b in self.backlog)

    @property
    def at_risk_count(self) -> int:
        return len(self.at_risk)

    @property
    def breached_count(self) -> int:
        """Every breached clock, also past those the list holds."""
        return len(self.breached) if self.breached_total is None else self.breached_total

    @property
    def at_risk(self) -> list[LiveClock]:
        return [c for c in self.clocks if c.state == "at_risk"]

    @property
    def breached(self) -> list[LiveClock]:
        return [c for c in self.clocks if c.state == "breached"]


def period_report(
    session: Session, charter: Charters, period: Period, now: datetime, channel: Channels = None
) -> PeriodReport:
    """Every figure of the period, read and judged with the cyclic collector paused (``collector``)."""
    with collector_paused():
        return _period_report(session, charter, period, now, channel)


def _period_report(
    session: Session, charter: Charters, period: Period, now: datetime, channel: Channels
) -> PeriodReport:
    cid, book = queries.channel_id(session, channel), as_book(charter)
    counts = queries.hour_counts(session, period, cid)
    events = queries.agent_events(session, period, cid, kpis.HANDLING_LOOKBACK)
    agents = kpis.agent_rows(queries.agent_counts(session, period, cid), kpis.handling_times(events, period))
    clocks = ReportClocks(period.start, now)
    cohort = JudgedCohort(journeys(session, period, cid), book, now, clocks)  # read and judged once
    spans = [(conv, time) for _, conv, time in kpis.handling_spans(events, period)]
    kinds = conversation_kinds(session, sorted({conv for conv, _ in spans}))
    surveys = survey_rows(session, period, cid)
    return PeriodReport(
        period=period,
        channel=channel,
        now=now,
        outcomes=outcomes(session, charter, period, now, cid),
        times=first_responses.response_times(session, period, cid),
        fcr=first_responses.first_contact_resolution(session, period, cid),
        messages=sum(c.messages for c in counts),
        volume=kpis.volume_by_hour(counts, period.tz),
        sentiment=kpis.sentiment_share(counts),
        sentiment_days=kpis.sentiment_by_day(counts, period),
        agents=agents,
        reasons=reason_mix(session, period, cid),
        reason_days=reason_days(session, period, cid),
        targets=target_counts(cohort, book, now, clocks),
        goals=goal_attainment(cohort, book.current, now, clocks),
        contacts=contact_rows(cohort, book, spans, kinds, outbound_counts(session, period, cid), clocks),
        satisfaction=satisfaction_of(surveys),
        by_reason=reason_figures(session, cohort, spans, book, now),
        judged=cohort,
        surveys=surveys,
    )


def service_goals(
    session: Session, charter: Charters, period: Period, now: datetime, channel: Channels = None
) -> list[GoalAttainment]:
    """Attainment against each service-level goal of the charter now (overall, then per channel), for the
    dashboard: the conversations that arrived in the period, as ``PeriodReport.goals``."""
    cid = queries.channel_id(session, channel)
    clocks = ReportClocks(period.start, now)
    return goal_attainment(journeys(session, period, cid), as_book(charter).current, now, clocks)


def live_report(session: Session, charter: Charters, now: datetime, channel: Channels = None) -> LiveReport:
    """The backlog and the running clocks, each judged by the charter in force at its arrival."""
    cid, book = queries.channel_id(session, channel), as_book(charter)
    late = queries.open_clocks(session, cid, due_before=now)  # the list reads the soonest due
    coming = queries.open_clocks(session, cid, queries.COMING_LIMIT, due_from=now)  # all: at risk or not
    clocks = [live_clock(c, book.in_force(c.first_inbound_at or now), now) for c in late + coming]
    backlog = sorted(queries.backlog(session, cid), key=_backlog_key)
    return LiveReport(channel, now, backlog, clocks, queries.late_count(session, cid, now))


def _backlog_key(b: BacklogCount) -> tuple[str, int, str]:
    return (b.channel, -URGENCY_ORDER.get(b.urgency, -1), b.urgency)


def attainment_windows(
    session: Session, charter: Charters, now: datetime, channel: Channels = None
) -> dict[str, Attainment]:
    """Attainment for today, 7d and 30d, from one read of the 30-day cohort."""
    tz = report_tz(charter)
    widest = rolling(WINDOWS[-1], now, tz)
    counts = outcomes(session, charter, widest, now, queries.channel_id(session, channel))
    out = {}
    for label in WINDOWS:
        window = rolling(label, now, tz)
        out[label] = attainment(c for c in counts if window.contains(c.quarter))
    return out


def outcomes(
    session: Session, charter: Charters, period: Period, now: datetime, cid: ChannelIds
) -> list[OutcomeCount]:
    """The period's first-response outcomes: counted in SQL, plus the few conversations stored without a
    due time (before migration 0009), judged one by one with the charter in force at their arrival."""
    counts = first_responses.outcome_counts(session, period, cid, now)
    judged = [c for c in counts if c.outcome != first_responses.LEGACY]
    if len(judged) == len(counts):
        return judged
    older, book = queries.cohort(session, period, cid, first_responses.legacy()), as_book(charter)
    return judged + [outcome_count(first_response(f, book.in_force(f.first_inbound_at), now)) for f in older]


def judged_conversations(
    session: Session, charter: Charters, period: Period, now: datetime, channel: Channels = None
) -> list[FirstResponse]:
    """Each conversation of the period with its first-response outcome: a drill-down, one row per
    conversation (the report's counts come from ``outcomes``)."""
    cid, book = queries.channel_id(session, channel), as_book(charter)
    return [
        first_response(f, book.in_force(f.first_inbound_at), now)
        for f in queries.cohort(session, period, cid)
    ]
