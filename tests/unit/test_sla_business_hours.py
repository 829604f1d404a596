"""Business hours: split shifts, holidays, weekends, time zones and the DST changes in Europe/Paris.

Expected values are worked out by hand. Paris is UTC+1 in winter (CET) and UTC+2 in summer (CEST); in 2026 the
clocks go forward on Sunday 29 March (02:00 CET → 03:00 CEST, 01:00 UTC) and back on Sunday 25 October
(03:00 CEST → 02:00 CET, 01:00 UTC). 2026-01-14 is a Wednesday, 2026-01-16 a Friday.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inbox.charter.business_hours import (
    add_business_time,
    business_minutes_between,
    business_time_between,
    is_open,
    next_opening,
)
from inbox.charter.teams import Team

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def paris(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=PARIS)


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def team(week: dict[str, list[str]] | None = None, holidays: list[Any] | None = None) -> Team:
    return Team.model_validate(
        {
            "timezone": "Europe/Paris",
            "week": week or {day: ["08:00-12:00", "14:00-20:00"] for day in WEEKDAYS},
            "holidays": holidays
            if holidays is not None
            else [
                date(2026, 5, 1),
                {"date": date(2026, 12, 24), "name": "Veille de Noël", "shifts": ["08:00-12:00"]},
                {"date": date(2026, 12, 25), "name": "Noël"},
            ],
        }
    )


CARE = team()
ALL_DAY = team({d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}, [])
SUNDAY_NIGHT = team({"sun": ["01:00-04:00"]}, [])


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (paris(2026, 1, 14, 7, 59), False),
        (paris(2026, 1, 14, 8, 0), True),
        (paris(2026, 1, 14, 11, 59), True),
        (paris(2026, 1, 14, 12, 0), False),  # lunch break of the split shift
        (paris(2026, 1, 14, 13, 59), False),
        (paris(2026, 1, 14, 14, 0), True),
        (paris(2026, 1, 14, 19, 59, 59), True),
        (paris(2026, 1, 14, 20, 0), False),
        (paris(2026, 1, 17, 10, 0), False),  # Saturday
        (paris(2026, 5, 1, 10, 0), False),  # Friday 1 May, holiday
        (paris(2026, 4, 30, 10, 0), True),  # the day before
        (paris(2026, 12, 24, 10, 0), True),  # reduced hours: morning only
        (paris(2026, 12, 24, 15, 0), False),
        (utc(2026, 1, 14, 7, 30), True),  # 08:30 CET
        (utc(2026, 7, 15, 6, 30), True),  # 08:30 CEST
        (utc(2026, 7, 15, 5, 30), False),  # 07:30 CEST
        (utc(2026, 7, 15, 18, 30), False),  # 20:30 CEST, though 19:30 CET would be open
        (datetime(2026, 1, 14, 2, 30, tzinfo=ZoneInfo("America/New_York")), True),  # 07:30 UTC = 08:30 CET
    ],
)
def test_is_open(at: datetime, expected: bool) -> None:
    assert is_open(CARE, at) is expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (paris(2026, 1, 14, 7, 0), paris(2026, 1, 14, 8, 0)),
        (paris(2026, 1, 14, 9, 0), paris(2026, 1, 14, 9, 0)),  # open: now
        (paris(2026, 1, 14, 12, 30), paris(2026, 1, 14, 14, 0)),
        (paris(2026, 1, 14, 21, 0), paris(2026, 1, 15, 8, 0)),
        (paris(2026, 1, 16, 20, 0), paris(2026, 1, 19, 8, 0)),  # Friday evening → Monday
        (paris(2026, 4, 30, 20, 30), paris(2026, 5, 4, 8, 0)),  # Thursday → holiday Friday, weekend → Monday
        (paris(2026, 12, 24, 13, 0), paris(2026, 12, 28, 8, 0)),  # reduced day, Christmas Friday, weekend
        (paris(2026, 3, 27, 21, 0), utc(2026, 3, 30, 6, 0)),  # over the spring change: Monday 08:00 CEST
        (paris(2026, 10, 23, 21, 0), utc(2026, 10, 26, 7, 0)),  # over the autumn change: Monday 08:00 CET
    ],
)
def test_next_opening(at: datetime, expected: datetime) -> None:
    assert next_opening(CARE, at) == expected


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        (paris(2026, 1, 14, 9, 0), 60, paris(2026, 1, 14, 10, 0)),
        (paris(2026, 1, 14, 11, 30), 60, paris(2026, 1, 14, 14, 30)),  # 30 before lunch, 30 after
        (paris(2026, 1, 14, 11, 0), 60, paris(2026, 1, 14, 12, 0)),  # runs out at closing: due at closing
        (paris(2026, 1, 14, 19, 30), 60, paris(2026, 1, 15, 8, 30)),
        (paris(2026, 1, 14, 22, 0), 60, paris(2026, 1, 15, 9, 0)),  # starts out of hours
        (paris(2026, 1, 14, 22, 0), 0, paris(2026, 1, 15, 8, 0)),
        (paris(2026, 1, 14, 8, 0), 600, paris(2026, 1, 14, 20, 0)),  # 4 h + 6 h: the whole day
        (paris(2026, 1, 14, 8, 0), 601, paris(2026, 1, 15, 8, 1)),
        (paris(2026, 1, 16, 19, 45), 60, paris(2026, 1, 19, 8, 45)),  # Friday evening → Monday
        (paris(2026, 1, 16, 21, 0), 60, paris(2026, 1, 19, 9, 0)),
        (paris(2026, 1, 17, 10, 0), 15, paris(2026, 1, 19, 8, 15)),  # Saturday
        (paris(2026, 4, 30, 19, 0), 240, paris(2026, 5, 4, 11, 0)),  # 60 on Thursday, holiday, 180 on Monday
        (paris(2026, 12, 24, 11, 0), 90, paris(2026, 12, 28, 8, 30)),  # 60 on the short day, Christmas
        (paris(2026, 1, 14, 9, 0), 1.5, paris(2026, 1, 14, 9, 1, 30)),
        (paris(2026, 3, 27, 19, 30), 60, utc(2026, 3, 30, 6, 30)),  # spring change: Monday 08:30 CEST
        (paris(2026, 10, 23, 19, 30), 60, utc(2026, 10, 26, 7, 30)),  # autumn change: Monday 08:30 CET
    ],
)
def test_add_business_time(start: datetime, minutes: float, expected: datetime) -> None:
    due = add_business_time(CARE, start, minutes)
    assert due == expected
    assert due.tzinfo is UTC


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (paris(2026, 1, 14, 7, 0), paris(2026, 1, 14, 21, 0), 600),
        (paris(2026, 1, 14, 11, 0), paris(2026, 1, 14, 15, 0), 120),  # the lunch break does not count
        (paris(2026, 1, 16, 19, 0), paris(2026, 1, 19, 9, 0), 120),  # Friday 19-20, Monday 8-9
        (paris(2026, 4, 30, 19, 0), paris(2026, 5, 4, 9, 0), 120),  # the holiday does not count
        (paris(2026, 3, 27, 19, 0), paris(2026, 3, 30, 9, 0), 120),  # nor does the DST weekend
        (paris(2026, 1, 14, 9, 0), paris(2026, 1, 14, 9, 0), 0),
        (paris(2026, 1, 14, 10, 0), paris(2026, 1, 14, 9, 0), 0),  # end before start
        (paris(2026, 1, 14, 9, 0), paris(2026, 1, 14, 9, 0, 30), 0.5),
    ],
)
def test_business_minutes_between(start: datetime, end: datetime, expected: float) -> None:
    assert business_minutes_between(CARE, start, end) == expected


@pytest.mark.parametrize(
    ("day", "hours"),
    [
        (date(2026, 3, 28), 24),
        (date(2026, 3, 29), 23),  # spring change: the local day has 23 hours
        (date(2026, 10, 25), 25),  # autumn change: 25 hours
    ],
)
def test_a_round_the_clock_day_lasts_its_real_length(day: date, hours: int) -> None:
    start = datetime(day.year, day.month, day.day, tzinfo=PARIS)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=PARIS)
    assert business_time_between(ALL_DAY, start, end) == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        # 29 March: 01:00 CET is 00:00 UTC and 04:00 CEST is 02:00 UTC — the 01:00-04:00 shift lasts 2 hours.
        (utc(2026, 3, 29, 0, 30), 60, utc(2026, 3, 29, 1, 30)),  # 01:30 CET + 1 h = 03:30 CEST
        (utc(2026, 3, 29, 0, 30), 90, utc(2026, 3, 29, 2, 0)),  # ends at closing, 04:00 CEST
        (utc(2026, 3, 29, 0, 30), 91, utc(2026, 4, 4, 23, 1)),  # next Sunday 01:01 CEST
        # 25 October: 01:00 CEST is 23:00 UTC the day before, 04:00 CET is 03:00 UTC — 4 hours.
        (utc(2026, 10, 24, 22, 0), 240, utc(2026, 10, 25, 3, 0)),
        (utc(2026, 10, 24, 22, 0), 60, utc(2026, 10, 25, 0, 0)),  # the first 02:00 (CEST)
        (utc(2026, 10, 24, 22, 0), 120, utc(2026, 10, 25, 1, 0)),  # the second 02:00 (CET)
        (utc(2026, 10, 24, 22, 0), 180, utc(2026, 10, 25, 2, 0)),  # 03:00 CET
    ],
)
def test_a_shift_across_the_dst_change(start: datetime, minutes: int, expected: datetime) -> None:
    assert add_business_time(SUNDAY_NIGHT, start, minutes) == expected


def test_a_shift_starting_in_the_spring_gap_starts_at_the_change() -> None:
    # 02:30 does not exist on 29 March: the shift opens when the clocks jump to 03:00 CEST = 01:00 UTC (read
    # at the old offset it opened at 03:30 CEST, half an hour late); 05:00 CEST = 03:00 UTC.
    gap = team({"sun": ["02:30-05:00"]}, [])
    assert not is_open(gap, utc(2026, 3, 29, 0, 59))
    assert is_open(gap, utc(2026, 3, 29, 1, 0))
    assert business_minutes_between(gap, utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 6, 0)) == 120


NAIVE = datetime(2026, 1, 14, 9, 0)
AWARE = paris(2026, 1, 14, 9, 0)


@pytest.mark.parametrize(
    "call",
    [
        lambda: is_open(CARE, NAIVE),
        lambda: next_opening(CARE, NAIVE),
        lambda: add_business_time(CARE, NAIVE, 10),
        lambda: business_minutes_between(CARE, NAIVE, AWARE),
        lambda: business_minutes_between(CARE, AWARE, NAIVE),
    ],
)
def test_naive_datetimes_are_refused(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        call()


def test_negative_minutes_are_refused() -> None:
    with pytest.raises(ValueError, match="minutes must be >= 0"):
        add_business_time(CARE, AWARE, -1)


@given(
    spans=st.lists(
        st.tuples(
            st.datetimes(
                min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
            ),
            st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)),
        ),
        min_size=1,
        max_size=8,
    )
)
@settings(max_examples=60, deadline=None)
def test_the_days_a_team_remembers_give_the_same_times_as_a_new_team(
    spans: list[tuple[datetime, timedelta]],
) -> None:
    """A tick asks one team for thousands of clocks, so a team keeps each day's opening intervals; asked in
    any order, across DST changes, holidays and a Christmas Eve with other hours, it answers as a new team
    would."""
    remembering = team()
    for start, length in spans:
        fresh = team()
        assert business_time_between(remembering, start, start + length) == business_time_between(
            fresh, start, start + length
        )
        assert add_business_time(remembering, start, 90) == add_business_time(team(), start, 90)
        assert next_opening(remembering, start) == next_opening(team(), start)
