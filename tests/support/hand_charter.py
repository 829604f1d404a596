"""The charter of the time-edge figure tests, and that charter read by hand from its TOML alone (no inbox
code): opening shifts, holidays, business minutes and due times as docs/kpis.md states them.

A shift is a stretch of real time from the first instant the local wall clock reaches its start to the first
it reaches its end (docs/kpis.md), so a shift across the autumn night lasts an hour more and one across the
spring gap an hour less; business time is counted second by second, then minute by minute.

Charter: Paris team open Mon-Fri 08-12 and 14-20, Saturday 22:00-24:00 and Sunday 00:00-02:30 and
02:45-06:00 (a night shift across midnight, whose boundaries fall in the autumn's repeated hour and the spring
gap), French public holidays and a charter holiday (2 Nov 2026).
Public first response 60 business minutes; private 60 minutes 24/7; critical 15 (keeps the clock); a
service-level goal of 90 % within 60 business minutes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays

CHARTER_TOML = """
[sla]
team = "care"

[sla.default.public]
first_response = { minutes = 60, clock = "business_hours" }
resolution = { minutes = 240, clock = "business_hours" }

[sla.default.private]
first_response = { minutes = 60, clock = "24/7" }

[sla.default.listening]
first_response = { minutes = 240, clock = "business_hours" }

[sla.urgency]
critical = 15

[sla.goals.social]
percent = 90
within_minutes = 60
clock = "business_hours"
kinds = ["public", "private"]

[teams.care]
timezone = "Europe/Paris"
public_holidays = "FR"
holidays = [2026-11-02]

[teams.care.week]
WEEKDAYS
sat = ["22:00-24:00"]
sun = ["00:00-02:30", "02:45-06:00"]

[escalation]
at_risk_fraction = 0.75
"""

SECOND, MINUTE = timedelta(seconds=1), timedelta(minutes=1)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CHARTER_TOML = CHARTER_TOML.replace(
    "WEEKDAYS", "\n".join(f'{day} = ["08:00-12:00", "14:00-20:00"]' for day in DAYS[:5])
)


@dataclass
class HandCharter:
    """The charter as its TOML reads, for first responses."""

    doc: dict[str, Any]
    shifts: dict[date, list[tuple[datetime, datetime]]] = field(default_factory=dict)  # by local day

    @property
    def team(self) -> dict[str, Any]:
        return dict(self.doc["teams"][self.doc["sla"]["team"]])

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.team["timezone"])

    def closed(self, day: date) -> bool:
        listed = {d if isinstance(d, date) else d["date"] for d in self.team.get("holidays", [])}
        code = self.team.get("public_holidays")
        return day in listed or bool(code and day in holidays.country_holidays(code, years=day.year))

    def is_open(self, at: datetime) -> bool:
        """Open at ``at``: inside a shift of its local day (docs/kpis.md, "Periods and time zone")."""
        return any(a <= at < b for a, b in self.day_shifts(at.astimezone(self.zone).date()))

    def day_shifts(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's shifts as stretches of real time: each boundary is the first instant whose local wall
        time is at or after it (the autumn's repeated hour: its first pass; the spring gap: the change)."""
        if day not in self.shifts:
            if self.closed(day):
                self.shifts[day] = []
            else:
                walls = self._walls(day)
                self.shifts[day] = [
                    (walls[start], walls[end])
                    for start, end in (
                        (int(p[:2]) * 60 + int(p[3:]) for p in shift.split("-"))
                        for shift in self.team.get("week", {}).get(DAYS[day.weekday()], [])
                    )
                ]
        return self.shifts[day]

    def _walls(self, day: date) -> dict[int, datetime]:
        """Minute of the local day (0-1440) -> the first UTC minute whose local wall time reaches it."""
        at = datetime(day.year, day.month, day.day, tzinfo=UTC) - 3 * 3600 * SECOND
        walls: dict[int, datetime] = {}
        while len(walls) <= 1440:
            wall = at.astimezone(self.zone)
            reached = (
                1440 if wall.date() > day else wall.hour * 60 + wall.minute if wall.date() == day else -1
            )
            for minute in range(len(walls), reached + 1):
                walls[minute] = at
            at += MINUTE
        return walls

    def target(self, kind: str, urgency: str | None) -> tuple[int, str]:
        """Minutes and clock: the kind's default, then every shorter override (it keeps the clock)."""
        base = self.doc["sla"]["default"][kind]["first_response"]
        minutes, clock = base["minutes"], base.get("clock", "24/7")
        override = self.doc["sla"].get("urgency", {}).get(urgency or "")
        if isinstance(override, int) and override < minutes:
            minutes = override
        return minutes, clock

    def due(self, start: datetime, minutes: float, clock: str) -> datetime:
        if clock == "24/7":
            return start + minutes * MINUTE
        left, at = round(minutes * 60), start.replace(microsecond=0)
        while at.second:  # the first part-minute, second by second
            if self.is_open(at):
                left -= 1
                if left == 0:
                    return at + SECOND
            at += SECOND
        while True:
            if self.is_open(at):
                if left <= 60:
                    return at + left * SECOND
                left -= 60
            at += MINUTE

    def business_minutes(self, start: datetime, end: datetime) -> float:
        """The open seconds from ``start`` to ``end``, in minutes."""
        seconds, at, end = 0, start.replace(microsecond=0), end.replace(microsecond=0)
        while at < end and (at.second or at + MINUTE > end):
            seconds += self.is_open(at)
            at += SECOND
        while at + MINUTE <= end:
            seconds += 60 * self.is_open(at)
            at += MINUTE
        while at < end:
            seconds += self.is_open(at)
            at += SECOND
        return seconds / 60


def paris(year: int, month: int, day: int, hour: int, minute: int, fold: int = 0) -> datetime:
    """A Paris wall time (``fold=1``: the second pass of the autumn's repeated hour), in UTC."""
    wall = datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Paris"), fold=fold)
    return wall.astimezone(UTC)
