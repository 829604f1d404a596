"""The SLA engine: a conversation's response clocks from its events. Pure: no clock, database or network.

A clock starts at the first customer message nobody has answered yet and stops at the brand's next message.
The first such cycle is measured against the first-response target, every later one (the customer writes
again after an answer) against the next-response target. Give ``evaluate`` the charter **in force when the
conversation arrived** (or ``evaluate_targets`` the targets resolved then): a later charter change must not
move a running clock. An answer at the due time meets the target; a clock is breached once ``now`` is past it.
Events are ordered by instant, every time read in UTC first (two local times of an autumn change's repeated
hour are not ordered by their wall clock).
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from inbox.charter.business_hours import next_opening, require_aware
from inbox.charter.fields import Kind
from inbox.charter.model import Charter
from inbox.charter.reason_rules import bumped
from inbox.charter.targets import (
    Target,
    TargetSet,
    charter_kind,
    clock_time,
    due_at,
    target_for,
    targets_for,
    time_left,
)

__all__ = [
    "Cycle",
    "SlaEvent",
    "SlaResult",
    "SlaSubject",
    "Target",
    "TargetSet",
    "alert_key",
    "alerts_due",
    "charter_in_force",
    "charter_kind",
    "due_at",
    "evaluate",
    "evaluate_targets",
    "queue_state_colour",
    "response_spans",
    "target_for",
    "targets_for",
    "time_left",
]

Direction = Literal["in", "out"]
State = Literal["on_track", "at_risk", "breached", "met", "missed"]
Colour = Literal["green", "amber", "red"]
AMBER_BELOW = 0.25  # amber when less than a quarter of the target remains


@dataclass(frozen=True, slots=True)
class SlaEvent:
    """A message in the conversation: ``in`` from the customer, ``out`` from the brand (``at`` is UTC);
    ``stored_at``, when known, is when the inbox stored it (a resolution before that did not see it);
    ``urgency`` and ``reason`` the customer message's (None: unclassified, or the brand's)."""

    at: datetime
    direction: Direction
    stored_at: datetime | None = None
    urgency: str | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", require_aware("at", self.at))
        if self.direction not in ("in", "out"):
            raise ValueError(f"direction must be 'in' or 'out', got {self.direction!r}")


@dataclass(frozen=True, slots=True)
class SlaSubject:
    """What the targets depend on. ``tags`` are the contact's tags; ``platform`` the channel's platform;
    ``reason`` the conversation's contact reason (its ``[sla.reasons]`` override and urgency bump)."""

    channel: str
    kind: Kind
    urgency: str | None = None
    tags: tuple[str, ...] = ()
    platform: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Cycle:
    """One clock: from a customer message to the answer (or, for resolution, to the resolution)."""

    number: int  # 1 = first response, 2+ = next responses
    target: Target
    started_at: datetime  # the customer message that started it
    clock_start: datetime  # when the clock started running: the next opening for a business-hours clock
    due_at: datetime
    answered_at: datetime | None
    state: State
    elapsed: timedelta  # on the target's clock (business time for business hours), up to the answer or now
    fraction: float  # elapsed / target; above 1 once breached or missed

    @property
    def remaining(self) -> timedelta:
        """Clock time left; negative once past the target."""
        return timedelta(minutes=self.target.minutes) - self.elapsed


@dataclass(frozen=True, slots=True)
class SlaResult:
    """The conversation's SLA as of ``now``; ``current`` is its latest response cycle."""

    current: Cycle
    cycles: tuple[Cycle, ...]
    targets: TargetSet
    resolution: Cycle | None
    urgency: str | None
    now: datetime

    @property
    def target(self) -> Target:
        return self.current.target

    @property
    def due_at(self) -> datetime:
        return self.current.due_at

    @property
    def state(self) -> State:
        return self.current.state

    @property
    def elapsed(self) -> timedelta:
        return self.current.elapsed

    @property
    def fraction(self) -> float:
        return self.current.fraction

    @property
    def remaining(self) -> timedelta:
        return self.current.remaining

    @property
    def next_response_target(self) -> Target:
        """The target a new customer message after an answer will get."""
        return self.targets.next_response


def response_spans(events: Iterable[SlaEvent], now: datetime) -> list[tuple[datetime, datetime | None]]:
    """(first unanswered customer message, its answer or None) pairs; events after ``now`` are unseen."""
    spans: list[tuple[datetime, datetime | None]] = []
    waiting: datetime | None = None
    for event in sorted((e for e in events if e.at <= now), key=lambda e: (e.at, e.direction == "out")):
        if event.direction == "in" and waiting is None:
            waiting = event.at
        elif event.direction == "out" and waiting is not None:
            spans.append((waiting, event.at))
            waiting = None
    if waiting is not None:
        spans.append((waiting, None))
    return spans


def _state(ended: datetime | None, due: datetime, now: datetime, fraction: float, at_risk: float) -> State:
    if ended is not None:
        return "met" if ended <= due else "missed"
    if now > due:
        return "breached"
    return "at_risk" if fraction >= at_risk else "on_track"


def _cycle(
    charter: Charter, number: int, target: Target, started: datetime, ended: datetime | None, now: datetime
) -> Cycle:
    due = due_at(charter, target, started)
    clock_start = started if target.clock == "24/7" else next_opening(charter.team(target.team), started)
    elapsed = max(clock_time(charter, target, started, ended if ended is not None else now), timedelta())
    fraction = elapsed / timedelta(minutes=target.minutes)
    state = _state(ended, due, now, fraction, charter.escalation.at_risk_fraction)
    return Cycle(number, target, started, clock_start, due, ended, state, elapsed, fraction)


def evaluate_targets(
    events: Iterable[SlaEvent],
    targets: TargetSet,
    charter: Charter,
    now: datetime,
    *,
    urgency: str | None = None,
    resolved_at: datetime | None = None,
) -> SlaResult | None:
    """The SLA of a conversation whose targets were resolved at arrival; None before any customer message.

    ``charter`` supplies the teams' business hours and the at-risk fraction.
    """
    now = require_aware("now", now)
    spans = response_spans(events, now)
    if not spans:
        return None
    cycles = tuple(
        _cycle(charter, n, targets.first_response if n == 1 else targets.next_response, start, end, now)
        for n, (start, end) in enumerate(spans, start=1)
    )
    resolution = None
    if targets.resolution is not None:
        seen = resolved_at is not None and require_aware("resolved_at", resolved_at) <= now
        resolution = _cycle(charter, 1, targets.resolution, spans[0][0], resolved_at if seen else None, now)
    return SlaResult(cycles[-1], cycles, targets, resolution, urgency, now)


def evaluate(
    events: Iterable[SlaEvent],
    subject: SlaSubject,
    charter_at_arrival: Charter,
    now: datetime,
    *,
    resolved_at: datetime | None = None,
) -> SlaResult | None:
    """The SLA of a conversation as of ``now``, under the charter in force when it arrived."""
    s = subject
    targets = targets_for(
        charter_at_arrival, s.channel, s.kind, s.urgency, s.tags, platform=s.platform, reason=s.reason
    )
    urgency = bumped(charter_at_arrival.reasons, s.urgency, s.reason)  # a reason's bump counts, as in targets
    return evaluate_targets(
        events, targets, charter_at_arrival, now, urgency=urgency, resolved_at=resolved_at
    )


def charter_in_force(versions: Iterable[tuple[datetime, Charter]], at: datetime) -> Charter:
    """The version in force at ``at`` (e.g. a conversation's arrival): the latest saved at or before it.

    A conversation older than every saved version gets the earliest one.
    """
    at = require_aware("at", at)
    ordered = sorted(versions, key=lambda version: require_aware("saved_at", version[0]))
    if not ordered:
        raise ValueError("no charter versions given")
    chosen = ordered[0][1]
    for saved_at, charter in ordered:
        if saved_at <= at:
            chosen = charter
    return chosen


def queue_state_colour(remaining: timedelta, target: Target, *, amber_below: float = AMBER_BELOW) -> Colour:
    """Green; amber when less than ``amber_below`` of the target remains; red once breached (negative)."""
    if remaining < timedelta():
        return "red"
    if remaining < timedelta(minutes=target.minutes) * amber_below:
        return "amber"
    return "green"


def alert_key(kind: Literal["at_risk", "breached", "critical"], cycle: int = 1) -> str:
    """``at_risk``/``breached`` for the first response, ``at_risk#2`` for cycle 2; ``critical`` once."""
    return kind if kind == "critical" or cycle == 1 else f"{kind}#{cycle}"


def alerts_due(result: SlaResult, already_sent: AbstractSet[str], charter: Charter) -> list[str]:
    """Alerts to send now, each once: critical (while unanswered), then breached, else at_risk.

    A clock already breached gets the breach alert only (no late at-risk alert) when breach alerts are on.
    """
    rules, current = charter.escalation, result.current
    if current.answered_at is not None:
        return []
    keys = []
    if rules.alert_on_critical and result.urgency == "critical":
        keys.append(alert_key("critical"))
    if current.state == "breached" and rules.alert_on_breach:
        keys.append(alert_key("breached", current.number))
    elif current.state in ("at_risk", "breached") and rules.alert_on_at_risk:
        keys.append(alert_key("at_risk", current.number))
    return [k for k in keys if k not in already_sent]
