"""Report periods are whole local days in the team's time zone: today, 7d, 30d or a date range. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from inbox.charter.business_hours import require_aware
from inbox.i18n import _

ROLLING = {"today": 1, "7d": 7, "30d": 30}  # the current local day and the n-1 days before it
WINDOWS = tuple(ROLLING)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$")


class PeriodError(ValueError):
    """A period that cannot be read (the message says what is accepted)."""


@dataclass(frozen=True, slots=True)
class Period:
    """From local midnight of ``first_day`` to local midnight after ``last_day``: ``[start, end)`` in UTC."""

    label: str
    first_day: date
    last_day: date
    tz: tzinfo

    @property
    def start(self) -> datetime:
        return day_start(self.first_day, self.tz)

    @property
    def end(self) -> datetime:
        return day_start(self.last_day + timedelta(days=1), self.tz)

    def contains(self, at: datetime) -> bool:
        return self.start <= require_aware("at", at) < self.end

    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range((self.last_day - self.first_day).days + 1)]

    def describe(self) -> str:
        """``2026-11-30 to 2026-12-06 (Europe/Paris)``, in the current language."""
        span = (
            f"{self.first_day}"
            if self.first_day == self.last_day
            else _("{first} to {last}").format(first=self.first_day, last=self.last_day)
        )
        return f"{span} ({getattr(self.tz, 'key', str(self.tz))})"


def day_start(day: date, tz: tzinfo) -> datetime:
    """Local midnight of ``day`` in ``tz``, as UTC."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def local_day(at: datetime, tz: tzinfo) -> date:
    return require_aware("at", at).astimezone(tz).date()


def local_hour(at: datetime, tz: tzinfo) -> datetime:
    """The start of the local clock hour holding ``at`` in ``tz``, as a UTC instant (each of the two 02:00
    hours of an autumn change is its own hour)."""
    local = require_aware("at", at).astimezone(tz)
    return require_aware("at", at) - timedelta(
        minutes=local.minute, seconds=local.second, microseconds=local.microsecond
    )


def whole_hour_offsets(period: Period) -> bool:
    """True when every UTC offset of the period's zone during the period is a whole number of hours, so its
    local hours are UTC hours (a zone changes its offset at most once a day: day starts tell them all)."""
    instants = [day_start(day, period.tz) for day in period.days()] + [period.end]
    offsets = (at.astimezone(period.tz).utcoffset() for at in instants)
    return all(o is not None and o % timedelta(hours=1) == timedelta() for o in offsets)


def rolling(label: str, now: datetime, tz: tzinfo) -> Period:
    """``today``, ``7d`` or ``30d``: the current local day and the days before it."""
    today = local_day(now, tz)
    return Period(label, today - timedelta(days=ROLLING[label] - 1), today, tz)


def parse_period(spec: str, now: datetime, tz: tzinfo) -> Period:
    """``today``, ``7d``, ``30d``, ``YYYY-MM-DD`` or ``YYYY-MM-DD..YYYY-MM-DD`` (both days included)."""
    text = spec.strip().lower()
    if text in ROLLING:
        return rolling(text, now, tz)
    match = _RANGE.match(text)
    if match is None:
        raise PeriodError(f"period must be today, 7d, 30d or YYYY-MM-DD..YYYY-MM-DD, got {spec!r}")
    try:
        first = date.fromisoformat(match.group(1))
        last = date.fromisoformat(match.group(2) or match.group(1))
    except ValueError as exc:
        raise PeriodError(f"{spec!r}: {exc}") from None
    if last < first:
        raise PeriodError(f"{spec!r}: the last day is before the first")
    return Period(text, first, last, tz)


def before(period: Period) -> Period:
    """The period of the same number of days that ends the day before ``period`` starts (the digest's
    comparison: the 7 days before a 7-day period)."""
    days = (period.last_day - period.first_day).days + 1
    last = period.first_day - timedelta(days=1)
    return custom(last - timedelta(days=days - 1), last, period.tz)


def custom(first: date, last: date, tz: tzinfo) -> Period:
    if last < first:
        first, last = last, first
    label = f"{first}..{last}"
    return Period(label, first, last, tz)
