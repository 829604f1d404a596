"""First-response outcomes, SLA attainment and live clock states, judged with the charter's SLA engine. Pure.

A conversation's first response is *met* when the brand's first answer came at or before its due time,
*missed* when it came later or is still missing after the due time, *waiting* while unanswered and not yet
due, and *closed unanswered* when it was resolved without any answer (spam, a thank-you): those are left
out of attainment. Attainment = met / (met + missed). The due time is the one stored when the conversation's
first clock started (the charter then in force: a charter changed later does not re-judge past work); a
clock still running is judged by its current due time. Conversations stored before due times were kept
(migration 0009) have theirs recomputed with the charter given, from the first message's urgency and the
customer's tags. ``inbox.reports.first_responses`` counts the same outcomes in SQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

from inbox.charter.fields import Metric
from inbox.charter.model import Charter
from inbox.charter.sla import charter_kind, due_at, target_for
from inbox.charter.targets import Target, clock_time
from inbox.reports.period import local_day
from inbox.reports.rows import ConversationFacts, OpenConversation, OutcomeCount
from inbox.reports.sqltime import quarter_of
from inbox.reports.stats import ratio

ATTAINMENT_GOAL = 1.0  # the social-media norm the charter states: every customer answered within the target
Outcome = Literal["met", "missed", "waiting", "closed_unanswered"]
LiveState = Literal["on_track", "at_risk", "breached"]


@dataclass(frozen=True, slots=True)
class FirstResponse:
    facts: ConversationFacts
    due: datetime
    outcome: Outcome

    @property
    def wait(self) -> timedelta | None:
        """Customer's wait for the first answer, wall-clock (nights and week-ends included)."""
        f = self.facts
        return None if f.first_response_at is None else f.first_response_at - f.first_wait_from


@dataclass(frozen=True, slots=True)
class Attainment:
    met: int = 0
    missed: int = 0
    waiting: int = 0
    closed_unanswered: int = 0
    goal: float = ATTAINMENT_GOAL

    @property
    def judged(self) -> int:
        return self.met + self.missed

    @property
    def rate(self) -> float | None:
        return ratio(self.met, self.judged)

    @property
    def conversations(self) -> int:
        return self.met + self.missed + self.waiting + self.closed_unanswered


def first_response_target(f: ConversationFacts, charter: Charter) -> Target:
    kind = charter_kind(f.kind, f.visibility)
    target = target_for(
        charter, f.channel, kind, f.arrival_urgency, f.tags, platform=f.platform, reason=f.reason
    )
    assert target is not None  # every kind has a first-response target (sla.default)
    return target


def first_response(f: ConversationFacts, charter: Charter, now: datetime) -> FirstResponse:
    """The outcome of one conversation's first-response clock as of ``now``."""
    running = f.sla_due_at if f.first_response_at is None else None
    due = (
        running
        or f.first_response_due_at
        or due_at(charter, first_response_target(f, charter), f.first_inbound_at)
    )
    outcome: Outcome
    if f.first_response_at is not None:
        outcome = "met" if f.first_response_at <= due else "missed"
    elif f.status == "resolved":
        outcome = "closed_unanswered"
    else:
        outcome = "missed" if now > due else "waiting"
    return FirstResponse(f, due, outcome)


def outcome_count(item: FirstResponse) -> OutcomeCount:
    """One judged conversation as a count of one (to sum with the counts made in SQL)."""
    f = item.facts
    return OutcomeCount(f.channel, quarter_of(f.first_inbound_at), item.outcome, 1)


def attainment(counts: Iterable[OutcomeCount]) -> Attainment:
    sums = {"met": 0, "missed": 0, "waiting": 0, "closed_unanswered": 0}
    for c in counts:
        sums[c.outcome] += c.conversations
    return Attainment(**sums)


def attainment_by_channel(counts: Iterable[OutcomeCount]) -> dict[str, Attainment]:
    groups: dict[str, list[OutcomeCount]] = defaultdict(list)
    for c in counts:
        groups[c.channel].append(c)
    return {name: attainment(groups[name]) for name in sorted(groups)}


def attainment_by_day(counts: Iterable[OutcomeCount], tz: tzinfo) -> dict[date, Attainment]:
    """Per local day of the conversations' first message."""
    groups: dict[date, list[OutcomeCount]] = defaultdict(list)
    for c in counts:
        groups[local_day(c.quarter, tz)].append(c)
    return {day: attainment(groups[day]) for day in sorted(groups)}


@dataclass(frozen=True, slots=True)
class LiveClock:
    conversation: OpenConversation
    state: LiveState
    fraction: float | None  # share of the target elapsed on its clock; None when late for over a day
    due: datetime


LONG_LATE = timedelta(days=1)


def live_clock(conv: OpenConversation, charter: Charter, now: datetime) -> LiveClock:
    """On track, at risk (at least the charter's ``at_risk_fraction`` of the target elapsed) or breached
    (past the due time), as the SLA engine rules. The target (and so its clock: 24/7 or business hours) is
    the one the queue and the alerts use, the contact reason's override included; its length is the clock
    time from the clock's start to the stored due time, so a charter changed since arrival does not move
    it."""
    due = conv.sla_due_at
    if now - due > LONG_LATE:  # late for days: the share elapsed says nothing the lateness does not
        return LiveClock(conv, "breached", None, due)  # and would cost a walk over every day since
    metric: Metric = "next_response" if conv.answered_before else "first_response"
    kind = charter_kind(conv.kind, conv.visibility)
    target = target_for(
        charter,
        conv.channel,
        kind,
        conv.urgency,
        conv.tags,
        platform=conv.platform,
        metric=metric,
        reason=conv.reason,
    )
    if target is None or conv.clock_start is None or conv.clock_start >= due:
        fraction = 1.0 if now > due else 0.0
    else:
        span = clock_time(charter, target, conv.clock_start, due)
        elapsed = max(clock_time(charter, target, conv.clock_start, now), timedelta())
        fraction = elapsed / span if span > timedelta() else 1.0
    if now > due:
        state: LiveState = "breached"
    elif fraction >= charter.escalation.at_risk_fraction:
        state = "at_risk"
    else:
        state = "on_track"
    return LiveClock(conv, state, fraction, due)
