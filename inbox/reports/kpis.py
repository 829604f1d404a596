"""The other KPIs over read-model rows: response times, first-contact resolution, volume, sentiment, agents.

Pure: rows and the time zone in, figures out. Definitions in docs/kpis.md; each function states its rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from inbox.reports.period import Period, local_day, local_hour
from inbox.reports.rows import UNCLASSIFIED, AgentCounts, AgentEvent, ConversationFacts, HourCount
from inbox.reports.sla_kpis import FirstResponse
from inbox.reports.stats import median, minutes, nearest_rank, ratio

SENTIMENTS = ("negative", "neutral", "positive", UNCLASSIFIED)
HANDLING_LOOKBACK = timedelta(hours=8)  # an opening older than this before a reply is not the same work


@dataclass(frozen=True, slots=True)
class ResponseTimes:
    answered: int
    median_minutes: float | None
    p90_minutes: float | None


def response_times(items: Iterable[FirstResponse]) -> ResponseTimes:
    """First-response time (wall clock) of the answered conversations: median and 90th percentile.
    (The report ranks them in SQL: ``inbox.reports.first_responses.response_times``.)"""
    waits = [minutes(item.wait) for item in items if item.wait is not None]
    return ResponseTimes(len(waits), median(waits), nearest_rank(waits, 90))


def is_first_contact_resolution(f: ConversationFacts) -> bool:
    """Resolved with exactly one reply by a person and no customer message after it (automatic messages are
    no reply; ``last_outbound_at`` is a person's last reply)."""
    follow_up = (
        f.last_inbound_at is not None
        and f.last_outbound_at is not None
        and f.last_inbound_at > f.last_outbound_at
    )
    return f.status == "resolved" and f.brand_replies == 1 and not follow_up


@dataclass(frozen=True, slots=True)
class Fcr:
    resolved_answered: int  # resolved conversations with at least one brand reply
    first_contact: int

    @property
    def rate(self) -> float | None:
        return ratio(self.first_contact, self.resolved_answered)


def first_contact_resolution(facts: Iterable[ConversationFacts]) -> Fcr:
    pool = [f for f in facts if f.status == "resolved" and f.brand_replies >= 1]
    return Fcr(len(pool), sum(is_first_contact_resolution(f) for f in pool))


@dataclass(frozen=True, slots=True)
class Volume:
    hour: datetime  # local hour start, in the period's time zone
    channel: str
    messages: int


def volume_by_hour(counts: Iterable[HourCount], tz: tzinfo) -> list[Volume]:
    """Customer messages per channel per local clock hour (hours with none are left out): the buckets are
    summed into the local hour that holds them, so a team at UTC+05:30 sees 10:00, not 09:30. The hour
    lived twice when summer time ends (02:00-02:59 in Paris) is one clock hour: one row, both summed."""
    sums: dict[tuple[datetime, str], int] = defaultdict(int)
    for c in counts:
        wall = local_hour(c.hour, tz).astimezone(tz).replace(tzinfo=None)  # the clock's reading, fold dropped
        sums[(wall, c.channel)] += c.messages
    return [Volume(hour.replace(tzinfo=tz), channel, n) for (hour, channel), n in sorted(sums.items())]


@dataclass(frozen=True, slots=True)
class SentimentShare:
    sentiment: str
    messages: int
    share: float | None  # of all customer messages in the group


def _shares(sums: dict[str, int]) -> list[SentimentShare]:
    total = sum(sums.values())
    return [SentimentShare(s, sums.get(s, 0), ratio(sums.get(s, 0), total)) for s in SENTIMENTS]


def sentiment_share(counts: Iterable[HourCount]) -> list[SentimentShare]:
    """Each sentiment's share of the customer messages (unclassified ones included in the total)."""
    sums: dict[str, int] = defaultdict(int)
    for c in counts:
        sums[c.sentiment] += c.messages
    return _shares(sums)


def sentiment_by_day(counts: Iterable[HourCount], period: Period) -> dict[date, list[SentimentShare]]:
    """The shares per local day, for every day of the period (days without messages have no shares)."""
    by_day: dict[date, dict[str, int]] = {day: defaultdict(int) for day in period.days()}
    for c in counts:
        day = local_day(c.hour, period.tz)
        if day in by_day:
            by_day[day][c.sentiment] += c.messages
    return {day: _shares(sums) for day, sums in by_day.items()}


def handling_spans(
    events: Sequence[AgentEvent], period: Period, lookback: timedelta = HANDLING_LOOKBACK
) -> list[tuple[str, int, timedelta]]:
    """For each reply queued in the period: (agent, conversation, the time since the agent began on it).

    The agent began at the latest of: their last opening of the conversation, their own previous reply in
    it, the customer's last message in it (all before the reply). A reply with no opening by that agent in
    the ``lookback`` before it is not measured: it would count waiting, not handling.
    """
    last: dict[tuple[str, str, int], datetime] = {}  # (kind, actor, conversation) -> latest time
    out: list[tuple[str, int, timedelta]] = []
    order = {"customer": 0, "view": 1, "reply": 2}  # at the same instant: message, then opening, then reply
    for e in sorted(events, key=lambda e: (e.at, order[e.kind])):
        if e.kind == "reply" and period.contains(e.at):
            opened = last.get(("view", e.actor, e.conversation_id))
            if opened is not None and e.at - opened <= lookback:
                starts = [
                    opened,
                    last.get(("reply", e.actor, e.conversation_id), opened),
                    last.get(("customer", "", e.conversation_id), opened),
                ]
                out.append((e.actor, e.conversation_id, e.at - max(starts)))
        last[(e.kind, e.actor, e.conversation_id)] = e.at
    return out


def handling_times(
    events: Sequence[AgentEvent], period: Period, lookback: timedelta = HANDLING_LOOKBACK
) -> dict[str, list[timedelta]]:
    """Per agent, the handling time of each reply queued in the period (``handling_spans``)."""
    out: dict[str, list[timedelta]] = defaultdict(list)
    for actor, _conversation, spent in handling_spans(events, period, lookback):
        out[actor].append(spent)
    return dict(out)


@dataclass(frozen=True, slots=True)
class AgentRow:
    agent: str
    display_name: str
    replies_sent: int
    resolved: int
    replies_measured: int
    handling_median_minutes: float | None


def agent_rows(counts: AgentCounts, handling: dict[str, list[timedelta]]) -> list[AgentRow]:
    """One row per user who sent, resolved or wrote something in the period (by sign-in name)."""
    names = sorted(
        (set(counts.replies_sent) | set(counts.resolved) | set(handling)) & set(counts.display_names)
    )
    rows = []
    for name in names:
        times = [minutes(t) for t in handling.get(name, [])]
        rows.append(
            AgentRow(
                name,
                counts.display_names[name],
                counts.replies_sent.get(name, 0),
                counts.resolved.get(name, 0),
                len(times),
                median(times),
            )
        )
    return rows
