"""Business-hours arithmetic for one team. Pure: ``now`` is a parameter; naive datetimes raise ValueError.

Shifts are local wall-clock times in the team's zone, turned into UTC instants day by day, so a shift that
spans a DST change lasts its real length (00:00-24:00 is 23 h on the spring change in Paris, 25 h in autumn).
A shift boundary skipped by the spring change (02:30 in Paris) is the change itself, the first instant whose
local time is not before it, so shifts around the gap never overlap nor run backwards; a boundary in the
autumn's repeated hour is its first occurrence (PEP 495, ``fold=0``).
Results are returned in UTC; intervals are half-open: open at 08:00:00, closed again at 12:00:00.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from inbox.charter.teams import Team

ONE_MINUTE = timedelta(minutes=1)
MAX_CLOSED_DAYS = 731  # two years: a team closed longer is a mistake in the charter


def require_aware(name: str, value: datetime) -> datetime:
    """``value`` in UTC; ValueError naming ``name`` when it is naive."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")
    return value.astimezone(UTC)


def _instant(team: Team, day: date, minute: int) -> datetime:
    """Local ``day`` at ``minute`` after midnight (1440 = the next midnight), as a UTC instant; a time the
    spring change skips is the change itself."""
    day = day + timedelta(days=minute // 1440)
    minute %= 1440
    wall = datetime.combine(day, time(minute // 60, minute % 60))
    after = wall.replace(tzinfo=team.zone).astimezone(UTC)  # fold=0: read with the offset before the change
    if after.astimezone(team.zone).replace(tzinfo=None) == wall:
        return after
    before = wall.replace(tzinfo=team.zone, fold=1).astimezone(UTC)  # with the offset after it: earlier
    return _change_between(team, before, after)


def _change_between(team: Team, before: datetime, after: datetime) -> datetime:
    """The instant the zone's offset changed, in ``(before, after]`` (to the second: changes are on one)."""
    new = after.astimezone(team.zone).utcoffset()
    low, high = int(before.timestamp()), int(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(team.zone).utcoffset() == new:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def open_intervals(team: Team, start: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Opening intervals ``[a, b)`` in UTC that end after ``start``, in order, without end.

    A valid week opens at least once, but every-year closed days and public holidays could close all its
    days: after ``MAX_CLOSED_DAYS`` days in a row without a shift, ValueError instead of an endless search.
    """
    start = require_aware("start", start)
    day = start.astimezone(team.zone).date()
    closed_run = 0
    while True:
        intervals = _day_intervals(team, day)
        for a, b in intervals:
            if b > start:
                yield a, b
        closed_run = 0 if intervals else closed_run + 1
        if closed_run > MAX_CLOSED_DAYS:
            raise ValueError(
                f"no opening hours in the {MAX_CLOSED_DAYS} days up to {day}: "
                "check the team's week, closed_days and public_holidays"
            )
        day += timedelta(days=1)


def _day_intervals(team: Team, day: date) -> tuple[tuple[datetime, datetime], ...]:
    """A local date's opening intervals in UTC, computed once per team and date (every running clock of a
    tick walks the same days). A shift wholly inside the spring gap never opens."""
    found = team.opening_cache.get(day)
    if found is None:
        shifts = ((_instant(team, day, s.start), _instant(team, day, s.end)) for s in team.shifts_on(day))
        found = team.opening_cache[day] = tuple((a, b) for a, b in shifts if b > a)
    return found


def is_open(team: Team, at: datetime) -> bool:
    at = require_aware("at", at)
    a, _ = next(open_intervals(team, at))
    return a <= at


def next_opening(team: Team, at: datetime) -> datetime:
    """The first instant at or after ``at`` when the team is open (``at`` itself when open)."""
    at = require_aware("at", at)
    a, _ = next(open_intervals(team, at))
    return max(a, at)


def add_business_time(team: Team, start: datetime, minutes: float) -> datetime:
    """The instant when ``minutes`` of opening time have passed since ``start``.

    A clock that starts out of hours starts at the next opening. A target that runs out exactly at closing
    time is due at closing time, not at the next opening.
    """
    start = require_aware("start", start)
    if minutes < 0:
        raise ValueError(f"minutes must be >= 0, got {minutes}")
    left = timedelta(minutes=minutes)
    cursor = start
    for a, b in open_intervals(team, start):
        cursor = max(cursor, a)
        if cursor + left <= b:
            return cursor + left
        left -= b - cursor
    raise AssertionError("unreachable: open_intervals never ends")  # pragma: no cover


def business_time_between(team: Team, start: datetime, end: datetime) -> timedelta:
    """Opening time in ``[start, end)``; zero when ``end`` is not after ``start``."""
    start, end = require_aware("start", start), require_aware("end", end)
    total = timedelta()
    if end <= start:
        return total
    for a, b in open_intervals(team, start):
        if a >= end:
            break
        total += min(b, end) - max(a, start)
    return total


def business_minutes_between(team: Team, start: datetime, end: datetime) -> float:
    return business_time_between(team, start, end) / ONE_MINUTE
