"""What the dashboard's charts draw, day by day or bucket by bucket, with the tables behind them (CSV).

- goal by day: each service-level goal's attainment per local day of arrival (``targets_kpis.goal_outcome``:
  within, late, still pending), against the goal's percent;
- first-response distribution: the period's answered conversations by wall-clock wait, in buckets that end
  at ``WAIT_LIMITS`` minutes (the last is open-ended);
- volume heat map: customer messages per local weekday (0 = Monday) and hour, summed over the period;
- satisfaction by day: the survey answers (scores) per local day they came, per survey kind.

Session-taking and read-only (one cohort read, one survey read; none when given the dashboard's report of the
same period, whose rows and goal outcomes it reuses); the rest is pure over the report's rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from inbox.charter.model import Charter
from inbox.charter.versions import CharterBook
from inbox.i18n import N_
from inbox.reports import queries
from inbox.reports.calendar import ReportClocks
from inbox.reports.channel_filter import Channels
from inbox.reports.journeys import Journey
from inbox.reports.judging import JudgedCohort
from inbox.reports.kpis import Volume
from inbox.reports.period import Period, local_day
from inbox.reports.report import PeriodReport
from inbox.reports.rows import ConversationFacts
from inbox.reports.satisfaction import SatisfactionGroup, SurveyRow, groups, survey_rows
from inbox.reports.stats import minutes, ratio
from inbox.reports.table_base import Cell, Table, pct
from inbox.reports.targets_kpis import ALL, GoalAttainment

WAIT_LIMITS = (5, 15, 30, 60, 120, 240, 480, 1440)  # minutes: bucket upper bounds; the last bucket has none
TITLES = {
    "goal_by_day": N_("Service-level goals by day of arrival"),
    "first_response_distribution": N_("First-response time distribution"),
    "volume_heatmap": N_("Customer messages by weekday and hour"),
    "satisfaction_by_day": N_("Satisfaction by day of answer"),
}
COLUMNS = {  # the columns the report's labels do not name
    "wait_from_min": N_("From (min)"),
    "wait_to_min": N_("Up to (min)"),
    "weekday": N_("Weekday"),
    "answers": N_("Answers"),
}


@dataclass(frozen=True, slots=True)
class GoalDay:
    """One goal's counts (channel ``ALL``) among the conversations that arrived on one local day."""

    day: date
    counts: GoalAttainment


@dataclass(frozen=True, slots=True)
class WaitBucket:
    low: int  # minutes, included
    high: int | None  # minutes, excluded; None: no upper bound
    answered: int


@dataclass(frozen=True, slots=True)
class HeatCell:
    weekday: int  # 0 = Monday
    hour: int
    messages: int


@dataclass(frozen=True)
class Trends:
    goal_days: list[GoalDay]
    waits: list[WaitBucket]
    heat: list[HeatCell]
    satisfaction_days: list[SatisfactionGroup]  # group = the day (ISO)


def goal_days(
    facts: Iterable[ConversationFacts] | JudgedCohort, charter: Charter, now: datetime, period: Period
) -> list[GoalDay]:
    """Each goal of ``charter`` per local day of the period (days with none in scope are left out).
    ``facts``: the period's conversations, or the report's judged cohort (its goal outcomes are reused)."""
    if isinstance(facts, JudgedCohort):
        cohort = facts
    else:  # the team's hours read once for every conversation
        items = [Journey(f, (), None, False) for f in facts]
        cohort = JudgedCohort(items, CharterBook(charter), now, ReportClocks(period.start, now))
    days: dict[datetime, date] = {}
    out = []
    for name, goal in charter.sla.service_goals().items():
        sums: dict[date, dict[str, int]] = defaultdict(lambda: {"within": 0, "late": 0, "pending": 0})
        for j, outcome in zip(cohort.journeys, cohort.goal_results(name, goal, charter), strict=True):
            if outcome is not None:
                at = j.facts.first_inbound_at
                day = days.get(at)
                if day is None:
                    day = days[at] = local_day(at, period.tz)
                sums[day][outcome] += 1
        out += [GoalDay(day, GoalAttainment(name, goal, ALL, **sums[day])) for day in sorted(sums)]
    return out


def wait_buckets(facts: Iterable[ConversationFacts]) -> list[WaitBucket]:
    """Answered conversations by first-response time (wall clock); every bucket, empty ones too."""
    lows = (0, *WAIT_LIMITS)
    counts = [0] * len(lows)
    for f in facts:
        if f.first_response_at is None:
            continue
        wait = minutes(f.first_response_at - f.first_wait_from)
        counts[sum(1 for limit in WAIT_LIMITS if wait >= limit)] += 1
    highs: tuple[int | None, ...] = (*WAIT_LIMITS, None)
    return [WaitBucket(low, high, n) for low, high, n in zip(lows, highs, counts, strict=True)]


def heat_cells(volume: Iterable[Volume]) -> list[HeatCell]:
    """Messages per local weekday and hour (``Volume.hour`` is already local), all 7 × 24 cells."""
    sums: dict[tuple[int, int], int] = defaultdict(int)
    for v in volume:
        sums[(v.hour.weekday(), v.hour.hour)] += v.messages
    return [HeatCell(d, h, sums.get((d, h), 0)) for d in range(7) for h in range(24)]


def satisfaction_days(rows: Iterable[SurveyRow], period: Period) -> list[SatisfactionGroup]:
    """Per local day of the answer and survey kind: the figures of the scores given that day."""
    answered = [
        r for r in rows if r.status == "answered" and r.score is not None and r.replied_at is not None
    ]
    return groups(
        answered, lambda r: [local_day(r.replied_at, period.tz).isoformat()] if r.replied_at else []
    )


def trends(
    session: Session,
    charter: Charter,
    period: Period,
    now: datetime,
    volume: list[Volume],
    channel: Channels,
    report: PeriodReport | None = None,
) -> Trends:
    """The charts' data for ``period`` (``volume``: the report's, already read). Given the ``report`` of the
    same period, channel and ``now`` (the dashboard's), its conversations and surveys are used as they were
    read and judged for it: nothing is read again."""
    shared = report is not None and (report.period, report.channel, report.now) == (period, channel, now)
    if report is not None and shared and report.judged is not None:
        cohort: JudgedCohort | list[ConversationFacts] = report.judged
        surveys = report.surveys
        facts = [j.facts for j in report.judged.journeys]
    else:
        cid = queries.channel_id(session, channel)
        cohort = facts = queries.cohort(session, period, cid)
        surveys = survey_rows(session, period, cid)
    return Trends(
        goal_days=goal_days(cohort, charter, now, period),
        waits=wait_buckets(facts),
        heat=heat_cells(volume),
        satisfaction_days=satisfaction_days(surveys, period),
    )


def trend_tables(t: Trends) -> dict[str, Table]:
    """The charts' data as tables (stable names and columns, for the CSV downloads)."""
    goals: list[tuple[Cell, ...]] = [
        (c.name, g.day.isoformat(), c.within, c.late, c.pending, pct(c.attainment), c.goal.percent)
        for g in t.goal_days
        for c in (g.counts,)
    ]
    answered = sum(b.answered for b in t.waits)
    waits: list[tuple[Cell, ...]] = [
        (b.low, b.high, b.answered, pct(ratio(b.answered, answered))) for b in t.waits
    ]
    heat: list[tuple[Cell, ...]] = [(c.weekday, c.hour, c.messages) for c in t.heat if c.messages]
    scores: list[tuple[Cell, ...]] = [
        (g.group, g.kind, g.answered, g.scores.csat, g.scores.nps, g.scores.ces) for g in t.satisfaction_days
    ]
    found = [
        Table(
            "goal_by_day",
            TITLES["goal_by_day"],
            ("goal", "day", "within", "late", "pending", "attainment_pct", "goal_pct"),
            goals,
        ),
        Table(
            "first_response_distribution",
            TITLES["first_response_distribution"],
            ("wait_from_min", "wait_to_min", "answered", "share_pct"),
            waits,
        ),
        Table("volume_heatmap", TITLES["volume_heatmap"], ("weekday", "hour", "messages"), heat),
        Table(
            "satisfaction_by_day",
            TITLES["satisfaction_by_day"],
            ("day", "survey", "answers", "csat_pct", "nps", "ces_mean"),
            scores,
        ),
    ]
    return {table.name: table for table in found}
