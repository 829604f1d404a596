"""A team's business hours in the charter: time zone, weekly split shifts, days off, out-of-hours reply.

Which hours apply on a local date, first match wins: a dated entry of ``closed_days``, ``reduced_days`` or the
older ``holidays`` list, as written (it may open a weekend); an every-year entry ("12-24"): closed, or the
week's hours cut to its shifts (24 December on a Sunday stays closed); closed on a public holiday of
``public_holidays``; else the week's shifts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    field_validator,
    model_validator,
)

from inbox.charter.fields import Name, OutOfHoursText
from inbox.charter.holiday_calendar import Day, HolidayCode, MonthDay, public_holidays
from inbox.config.loader import Strict

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ENGLISH_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FRENCH_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
DAY_NAMES = {"en": ENGLISH_DAYS, "fr": FRENCH_DAYS}  # for translations that do not give their own
TODAY: dict[tuple[str, ...], str] = {ENGLISH_DAYS: "today", FRENCH_DAYS: "aujourd'hui"}  # by language


def opening_day(opening: dt.datetime, now: dt.datetime, day_names: Sequence[str]) -> str:
    """The day the team opens again, as the customer is told it (both times in the team's zone): "today"
    when it is today, since "back Monday" read on a Monday could mean next week (in the day names'
    language: English or French; other day names always give the day), else the day's name."""
    same_day = opening.date() == now.date()
    return (
        TODAY.get(tuple(day_names), day_names[opening.weekday()])
        if same_day
        else day_names[opening.weekday()]
    )


LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
_SHIFT = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True, slots=True, order=True)
class Shift:
    """Opening hours within one local day, as minutes after midnight; ``end`` is exclusive, at most 1440."""

    start: int
    end: int

    def __str__(self) -> str:
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"


def parse_shift(value: object) -> Shift:
    """``"08:00-12:00"`` → Shift(480, 720). Shifts stay within one day: ``24:00`` is the latest end."""
    if isinstance(value, Shift):
        return value
    match = _SHIFT.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f'a shift looks like "08:00-12:00" (24-hour local time), got {value!r}')
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if h1 > 23 or m1 > 59 or m2 > 59 or end > 24 * 60:
        raise ValueError(f"times run from 00:00 to 24:00, got {value!r}")
    if start >= end:
        raise ValueError(
            f"shift {value!r} must end after it starts; split a night shift in two, "
            'e.g. "22:00-24:00" on one day and "00:00-06:00" on the next'
        )
    return Shift(start, end)


def _in_order(shifts: tuple[Shift, ...]) -> tuple[Shift, ...]:
    for before, after in zip(shifts, shifts[1:], strict=False):
        if after.start < before.end:
            raise ValueError(
                f"shifts {before} and {after} overlap or are out of order; list them from morning on"
            )
    return shifts


ShiftField = Annotated[Shift, PlainValidator(parse_shift), PlainSerializer(str, return_type=str)]
DayShifts = Annotated[tuple[ShiftField, ...], AfterValidator(_in_order)]


class Week(Strict):
    """The regular weekly schedule; a day left out is closed."""

    mon: DayShifts = ()
    tue: DayShifts = ()
    wed: DayShifts = ()
    thu: DayShifts = ()
    fri: DayShifts = ()
    sat: DayShifts = ()
    sun: DayShifts = ()

    @model_validator(mode="after")
    def _opens_sometime(self) -> Week:
        if not any(self.on(day) for day in range(7)):
            raise ValueError(
                'the week has no opening hours; give at least one day, e.g. mon = ["08:00-12:00"]'
            )
        return self

    def on(self, weekday: int) -> tuple[Shift, ...]:
        """Shifts on ``weekday`` (0 = Monday, as ``date.weekday()``)."""
        shifts: tuple[Shift, ...] = getattr(self, DAY_KEYS[weekday])
        return shifts


def _cut(week: tuple[Shift, ...], hours: tuple[Shift, ...]) -> tuple[Shift, ...]:
    """The parts of ``week`` within ``hours`` (both in order), in order."""
    out = []
    for a in week:
        for b in hours:
            start, end = max(a.start, b.start), min(a.end, b.end)
            if start < end:
                out.append(Shift(start, end))
    return tuple(out)


def _some_shifts(shifts: tuple[Shift, ...]) -> tuple[Shift, ...]:
    if not shifts:
        raise ValueError(
            'give the hours of that day, e.g. ["08:00-12:00"]; a day without hours goes in closed_days'
        )
    return shifts


class _DayEntry(Strict):
    """A table with a ``date``; a bare date (or "MM-DD") is short for ``{ date = ... }``."""

    @model_validator(mode="before")
    @classmethod
    def _bare_date(cls, value: Any) -> Any:
        return {"date": value} if isinstance(value, dt.date | str) else value


class Holiday(_DayEntry):
    """The older ``holidays`` key, still read: one date, closed, or open only for its ``shifts``."""

    date: dt.date
    name: str = ""
    shifts: DayShifts = ()


class ClosedDay(_DayEntry):
    """An extra closed day (a company day off): a date, or "MM-DD" for every year."""

    date: Day
    name: str = ""


class ReducedDay(_DayEntry):
    """A day with other hours: a date (hours as written), or "MM-DD" for every year (the week's hours cut
    to these)."""

    date: Day
    name: str = ""
    shifts: Annotated[DayShifts, AfterValidator(_some_shifts)]


class Translation(Strict):
    """The out-of-hours reply for customers writing in another language."""

    template: Name
    day_names: tuple[str, str, str, str, str, str, str] | None = None  # default: built in for en and fr


class AutoReply(Strict):
    """The reply sent once to a customer who writes while the team is closed; ``translations`` by the
    language the classifier gave the customer's message (ISO 639-1), else ``template``."""

    template: Name
    text: OutOfHoursText
    day_names: tuple[str, str, str, str, str, str, str] = ENGLISH_DAYS
    translations: dict[LanguageCode, Translation] = {}

    def for_language(self, language: str | None) -> tuple[str, tuple[str, ...]]:
        """(template name, day names) for a customer writing in ``language``."""
        t = self.translations.get(language or "")
        if t is None:
            return self.template, self.day_names
        return t.template, t.day_names or DAY_NAMES.get(language or "", self.day_names)


SpecialDays = tuple[dict[dt.date, tuple[Shift, ...]], dict[tuple[int, int], tuple[Shift, ...]]]


class Team(Strict):
    """Where and when one team works."""

    timezone: str
    week: Week
    public_holidays: HolidayCode | None = None
    closed_days: tuple[ClosedDay, ...] = ()
    reduced_days: tuple[ReducedDay, ...] = ()
    holidays: tuple[Holiday, ...] = ()
    out_of_hours: AutoReply | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {name!r}; use a name such as 'Europe/Paris'") from None
        return name

    @field_validator("holidays")
    @classmethod
    def _unique_dates(cls, holidays: tuple[Holiday, ...]) -> tuple[Holiday, ...]:
        dates = [h.date for h in holidays]
        repeated = sorted({d.isoformat() for d in dates if dates.count(d) > 1})
        if repeated:
            raise ValueError(f"each holiday date may appear once; repeated: {repeated}")
        return holidays

    @model_validator(mode="after")
    def _each_day_once(self) -> Team:
        _ = self._special_days
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def _special_days(self) -> SpecialDays:
        """(shifts by date, shifts by (month, day) every year); ValueError when a day is listed twice."""
        dated: dict[dt.date, tuple[Shift, ...]] = {}
        yearly: dict[tuple[int, int], tuple[Shift, ...]] = {}
        seen: dict[dt.date | MonthDay, str] = {}
        entries = [
            *(("holidays", h.date, h.shifts) for h in self.holidays),
            *(("closed_days", c.date, ()) for c in self.closed_days),
            *(("reduced_days", r.date, r.shifts) for r in self.reduced_days),
        ]
        for key, day, shifts in entries:
            if day in seen:
                raise ValueError(f"{day} is listed twice ({seen[day]} and {key}); give each day once")
            seen[day] = key
            if isinstance(day, MonthDay):
                yearly[(day.month, day.day)] = shifts
            else:
                dated[day] = shifts
        return dated, yearly

    @cached_property
    def opening_cache(self) -> dict[dt.date, tuple[tuple[dt.datetime, dt.datetime], ...]]:
        """A local date's opening intervals in UTC, filled by ``inbox.charter.business_hours`` (a team never
        changes: a charter edit makes new teams)."""
        return {}

    def shifts_on(self, day: dt.date) -> tuple[Shift, ...]:
        """The shifts of a local date (none when closed), by the order in the module docstring."""
        dated, yearly = self._special_days
        shifts = dated.get(day)
        if shifts is not None:
            return shifts
        week = self.week.on(day.weekday())
        if yearly and (every_year := yearly.get((day.month, day.day))) is not None:
            return _cut(week, every_year)
        if self.public_holidays is not None and day in public_holidays(self.public_holidays, day.year):
            return ()
        return week
