"""Business-hours arithmetic for a whole report at once: each team's opening intervals over the report's
window read once, with the opening time before each, so a due time or a business-time wait is a binary
search instead of a walk over the days. Pure.

Same results as ``inbox.charter.business_hours`` (``add_business_time``, ``business_time_between``) and the
SLA engine's ``due_at``; an instant or a due time outside the window falls back to them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np

from inbox.charter.business_hours import add_business_time, business_time_between, open_intervals
from inbox.charter.model import Charter
from inbox.charter.targets import Target, TargetSet, charter_kind, targets_for
from inbox.charter.teams import Team
from inbox.reports.rows import ConversationFacts

MARGIN = timedelta(days=62)  # after the window's end: due times of long targets stay inside


class TeamCalendar:
    """One team's opening intervals in ``[start, end)`` as timestamps, with cumulative opening seconds."""

    def __init__(self, team: Team, start: datetime, end: datetime) -> None:
        self.team = team
        self.first, self.last = start.timestamp(), end.timestamp()
        self.starts: list[float] = []
        self.ends: list[float] = []
        self.before: list[float] = []  # opening seconds before each interval (from the window's start)
        self.through: list[float] = []  # ... up to each interval's end
        total = 0.0
        for a, b in open_intervals(team, start):
            if a >= end:
                break
            lo, hi = max(a.timestamp(), self.first), b.timestamp()
            self.starts.append(lo)
            self.ends.append(hi)
            self.before.append(total)
            total += hi - lo
            self.through.append(total)

    def _inside(self, *stamps: float) -> bool:
        return bool(self.ends) and all(self.first <= s <= self.ends[-1] for s in stamps)

    def _position(self, stamp: float) -> tuple[int, float]:
        """(the first interval ending after ``stamp``, opening seconds before ``stamp``)."""
        i = bisect_right(self.ends, stamp)
        return i, self.before[i] + max(0.0, stamp - self.starts[i])

    def add(self, start: datetime, minutes: float) -> datetime:
        """``add_business_time``: when ``minutes`` (> 0) of opening time have passed since ``start``."""
        stamp = start.timestamp()
        if minutes > 0 and self._inside(stamp) and stamp < self.ends[-1]:
            i, position = self._position(stamp)
            target = position + minutes * 60
            k = bisect_left(self.through, target, lo=i)
            if k < len(self.starts):
                return datetime.fromtimestamp(self.starts[k] + (target - self.before[k]), UTC)
        return add_business_time(self.team, start, minutes)

    def add_many(self, starts: Sequence[datetime], minutes: float) -> list[datetime]:
        """``add`` for many instants at once: the same float arithmetic, vectorised (binary searches in
        numpy); instants outside the window fall back to ``add`` one by one."""
        if not starts or minutes <= 0 or not self.ends:
            return [self.add(s, minutes) for s in starts]
        stamps = np.fromiter((s.timestamp() for s in starts), float, len(starts))
        inside = (stamps >= self.first) & (stamps < self.ends[-1])
        i = np.searchsorted(self.ends, np.where(inside, stamps, self.first), side="right")
        i = np.minimum(i, len(self.ends) - 1)
        starts_, before = np.asarray(self.starts), np.asarray(self.before)
        target = (before[i] + np.maximum(0.0, stamps - starts_[i])) + minutes * 60
        k = np.searchsorted(self.through, target, side="left")
        found = inside & (k < len(self.starts))
        k = np.minimum(k, len(self.starts) - 1)
        due = starts_[k] + (target - before[k])
        return [
            datetime.fromtimestamp(float(d), UTC) if ok else self.add(s, minutes)
            for s, d, ok in zip(starts, due.tolist(), found.tolist(), strict=True)
        ]

    def between_many(self, spans: Sequence[tuple[datetime, datetime]]) -> list[timedelta]:
        """``between`` for many spans at once, vectorised like ``add_many``."""
        if not spans or not self.ends:
            return [self.between(a, b) for a, b in spans]
        a = np.fromiter((s.timestamp() for s, _ in spans), float, len(spans))
        b = np.fromiter((e.timestamp() for _, e in spans), float, len(spans))
        last = self.ends[-1]
        inside = (b > a) & (a >= self.first) & (a <= last) & (b >= self.first) & (b < last)
        seconds = self._positions(np.where(inside, b, self.first)) - self._positions(
            np.where(inside, a, self.first)
        )
        return [
            timedelta(seconds=float(x)) if ok else self.between(s, e)
            for (s, e), x, ok in zip(spans, seconds.tolist(), inside.tolist(), strict=True)
        ]

    def _positions(self, stamps: np.ndarray) -> np.ndarray:
        """``_position``'s opening seconds, for instants inside the window (before its last end)."""
        i = np.minimum(np.searchsorted(self.ends, stamps, side="right"), len(self.ends) - 1)
        return np.asarray(self.before)[i] + np.maximum(0.0, stamps - np.asarray(self.starts)[i])

    def between(self, start: datetime, end: datetime) -> timedelta:
        """``business_time_between``: opening time in ``[start, end)``."""
        a, b = start.timestamp(), end.timestamp()
        if b <= a:
            return timedelta()
        if not (self._inside(a, b) and b < self.ends[-1]):
            return business_time_between(self.team, start, end)
        return timedelta(seconds=self._position(b)[1] - self._position(a)[1])


class ReportClocks:
    """Due times, business waits and targets for the conversations of one report (window: its period to
    ``now``)."""

    def __init__(self, start: datetime, now: datetime) -> None:
        self.start, self.end, self.now = start - timedelta(days=1), now + MARGIN, now
        self._calendars: dict[tuple[int, str], TeamCalendar] = {}
        self._targets: dict[tuple[object, ...], TargetSet] = {}

    def targets(
        self,
        charter: Charter,
        f: ConversationFacts,
        urgency: str | None = None,
        tags: tuple[str, ...] | None = None,
        reason: str | None = None,
    ) -> TargetSet:
        """The engine's ``targets_for`` the conversation at arrival (or with ``urgency``, ``tags`` and
        ``reason``: a next response's clock started when the conversation was that urgent, its customer so
        tagged and its contact reason that one), with the reason's override and urgency bump as the queue and
        the alerts apply them (a handful of distinct answers: kept)."""
        kind = charter_kind(f.kind, f.visibility)
        level, segments = urgency or f.arrival_urgency, f.tags if tags is None else tags
        why = f.reason if reason is None else reason
        key = (id(charter), f.channel, f.platform, kind, level, segments, why)
        if key not in self._targets:
            self._targets[key] = targets_for(
                charter, f.channel, kind, level, segments, platform=f.platform, reason=why
            )
        return self._targets[key]

    def calendar(self, charter: Charter, team: str) -> TeamCalendar:
        key = (id(charter), team)
        if key not in self._calendars:
            self._calendars[key] = TeamCalendar(charter.team(team), self.start, self.end)
        return self._calendars[key]

    def due(self, charter: Charter, target: Target, start: datetime) -> datetime:
        """The SLA engine's ``due_at``."""
        if target.clock == "24/7":
            return start + timedelta(minutes=target.minutes)
        return self.calendar(charter, target.team).add(start, target.minutes)

    def due_many(self, charter: Charter, target: Target, starts: Sequence[datetime]) -> list[datetime]:
        """``due`` for many clock starts of one target."""
        if target.clock == "24/7":
            length = timedelta(minutes=target.minutes)
            return [s + length for s in starts]
        return self.calendar(charter, target.team).add_many(starts, target.minutes)

    def business(self, charter: Charter, team: str, start: datetime, end: datetime) -> timedelta:
        return self.calendar(charter, team).between(start, end)

    def business_many(
        self, charter: Charter, team: str, spans: Sequence[tuple[datetime, datetime]]
    ) -> list[timedelta]:
        return self.calendar(charter, team).between_many(spans)
