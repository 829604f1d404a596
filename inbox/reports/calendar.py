"""Business-hours arithmetic for a whole report at once: each team's opening intervals over the report's
window read once, with the opening time before each, so a due time or a business-time wait is a binary
search instead of a walk over the days. Pure.

Same results as ``inbox.charter.business_hours`` (``add_business_time``, ``business_time_between``) and the
SLA engine's ``due_at``; an instant or a due time outside the window falls back to them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import UTC, datetime, timedelta

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
        self.start, self.end = start - timedelta(days=1), now + MARGIN
        self._calendars: dict[tuple[int, str], TeamCalendar] = {}
        self._targets: dict[tuple[object, ...], TargetSet] = {}

    def targets(self, charter: Charter, f: ConversationFacts) -> TargetSet:
        """The engine's ``targets_for`` the conversation at arrival (a handful of distinct answers: kept)."""
        kind = charter_kind(f.kind, f.visibility)
        key = (id(charter), f.channel, f.platform, kind, f.arrival_urgency, f.tags)
        if key not in self._targets:
            self._targets[key] = targets_for(
                charter, f.channel, kind, f.arrival_urgency, f.tags, platform=f.platform
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

    def business(self, charter: Charter, team: str, start: datetime, end: datetime) -> timedelta:
        return self.calendar(charter, team).between(start, end)
