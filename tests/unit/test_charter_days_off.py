"""Days off: public holidays by country code for any year, closed days, reduced-hours days.

Expected dates are worked out by hand: Easter Sunday is 28 March 2027 and 13 April 2031, so Good Friday is
26 March 2027 / 11 April 2031, Easter Monday 29 March 2027 / 14 April 2031, Ascension (+39 days) 6 May 2027 /
22 May 2031, Whit Monday (+50 days) 17 May 2027 / 2 June 2031. The team below works Monday to Friday 08-12 and
14-20, Saturday 09-13.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inbox.charter.business_hours import add_business_time, business_time_between, is_open, next_opening
from inbox.charter.holiday_calendar import public_holidays
from inbox.charter.model import load_charter
from inbox.charter.teams import Team

ROOT = Path(__file__).resolve().parents[2]
PARIS = ZoneInfo("Europe/Paris")
WEEK = {day: ["08:00-12:00", "14:00-20:00"] for day in ("mon", "tue", "wed", "thu", "fri")} | {
    "sat": ["09:00-13:00"]
}
REAL = load_charter(ROOT / "config").team("care-fr")


def paris(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=PARIS)


def team(**keys: Any) -> Team:
    return Team.model_validate({"timezone": "Europe/Paris", "week": WEEK, **keys})


FR = team(public_holidays="FR")


@pytest.mark.parametrize(
    ("day", "closed"),
    [
        (dt.date(2027, 3, 29), True),  # Easter Monday
        (dt.date(2027, 3, 30), False),
        (dt.date(2027, 5, 6), True),  # Ascension, a Thursday
        (dt.date(2027, 5, 7), False),
        (dt.date(2027, 5, 17), True),  # Whit Monday
        (dt.date(2031, 4, 14), True),  # Easter Monday
        (dt.date(2031, 4, 11), False),  # Good Friday: not a holiday in most of France
        (dt.date(2031, 5, 22), True),  # Ascension
        (dt.date(2031, 6, 2), True),  # Whit Monday
        (dt.date(2031, 6, 3), False),
        (dt.date(2031, 7, 14), True),  # a Monday
        (dt.date(2031, 11, 1), True),  # a Saturday, when the team opens 09-13
        (dt.date(2031, 11, 11), True),
        (dt.date(2031, 12, 25), True),
        (dt.date(2031, 12, 26), False),
    ],
)
def test_french_public_holidays_in_any_year_without_dates_in_the_charter(day: dt.date, closed: bool) -> None:
    assert is_open(FR, paris(day.year, day.month, day.day, 10, 30)) is not closed


def test_due_times_step_over_computed_holidays() -> None:
    assert next_opening(FR, paris(2031, 5, 21, 20, 30)) == paris(2031, 5, 23, 8, 0)  # over Ascension
    # 30 minutes on Saturday 31 May, Sunday, Whit Monday, then 30 minutes on Tuesday.
    assert add_business_time(FR, paris(2031, 5, 31, 12, 30), 60) == paris(2031, 6, 3, 8, 30)
    assert add_business_time(FR, paris(2027, 3, 26, 19, 30), 60) == paris(2027, 3, 27, 9, 30)


@pytest.mark.parametrize("code", ["FR", "FR-57", "FR-67", "FR-68", "FR-6AE"])
def test_good_friday_and_26_december_only_in_alsace_moselle(code: str) -> None:
    local = code != "FR"
    alsace_moselle = team(public_holidays=code)
    assert is_open(alsace_moselle, paris(2031, 4, 11, 10, 0)) is not local  # Good Friday
    assert is_open(alsace_moselle, paris(2027, 3, 26, 10, 0)) is not local
    assert is_open(alsace_moselle, paris(2028, 12, 26, 10, 0)) is not local  # Saint-Étienne, a Tuesday
    assert not is_open(alsace_moselle, paris(2031, 6, 2, 10, 0))  # national holidays still apply


def test_closed_days_on_one_date_or_every_year() -> None:
    closing = team(public_holidays="FR", closed_days=[dt.date(2027, 5, 7), {"date": "08-14", "name": "Pont"}])
    assert not is_open(closing, paris(2027, 5, 7, 10, 0))  # the Friday after Ascension
    assert is_open(closing, paris(2028, 5, 26, 10, 0))  # the Friday after Ascension 2028: not listed
    assert not is_open(closing, paris(2026, 8, 14, 10, 0))
    assert not is_open(closing, paris(2031, 8, 14, 10, 0))
    # Wednesday evening → Ascension, the closed Friday, Saturday 8 May (Victoire 1945), Sunday → Monday.
    assert next_opening(closing, paris(2027, 5, 5, 21, 0)) == paris(2027, 5, 10, 8, 0)


def test_a_dated_reduced_day_is_taken_as_written_even_on_a_holiday_or_a_sunday() -> None:
    reduced = team(
        public_holidays="FR",
        reduced_days=[
            {"date": dt.date(2027, 5, 6), "name": "Ascension, permanence", "shifts": ["10:00-12:00"]},
            {"date": "2027-05-09", "shifts": ["10:00-11:00"]},  # a Sunday
        ],
    )
    assert not is_open(reduced, paris(2027, 5, 6, 9, 30))
    assert is_open(reduced, paris(2027, 5, 6, 10, 30))
    assert not is_open(reduced, paris(2027, 5, 6, 15, 0))
    assert is_open(reduced, paris(2027, 5, 9, 10, 30))
    assert add_business_time(reduced, paris(2027, 5, 6, 11, 30), 60) == paris(2027, 5, 7, 8, 30)


@pytest.mark.parametrize(
    ("at", "open_"),
    [
        (paris(2031, 12, 24, 16, 30), True),  # a Wednesday: 08-12 and 14-17
        (paris(2031, 12, 24, 17, 30), False),
        (paris(2031, 12, 31, 17, 0), False),
        (paris(2033, 12, 24, 11, 30), True),  # a Saturday: the week's 09-13 cut to 09-12
        (paris(2033, 12, 24, 8, 30), False),
        (paris(2033, 12, 24, 12, 30), False),
        (paris(2028, 12, 24, 10, 0), False),  # a Sunday stays closed
        (paris(2031, 6, 2, 10, 0), False),  # Whit Monday from public_holidays = "FR"
    ],
)
def test_the_real_charter_every_year(at: datetime, open_: bool) -> None:
    assert is_open(REAL, at) is open_


def test_the_older_holidays_list_is_still_read_with_public_holidays() -> None:
    both = team(
        public_holidays="FR",
        holidays=[dt.date(2027, 5, 7), {"date": dt.date(2027, 12, 24), "shifts": ["08:00-10:00"]}],
    )
    assert not is_open(both, paris(2027, 5, 7, 10, 0))
    assert not is_open(both, paris(2027, 5, 6, 10, 0))
    assert is_open(both, paris(2027, 12, 24, 9, 0)) and not is_open(both, paris(2027, 12, 24, 10, 0))


def test_a_day_listed_twice_is_refused() -> None:
    with pytest.raises(ValueError, match=r"12-24 is listed twice \(closed_days and reduced_days\)"):
        team(closed_days=["12-24"], reduced_days=[{"date": "12-24", "shifts": ["08:00-12:00"]}])


def test_holidays_are_computed_once_per_year_and_only_for_the_years_used() -> None:
    public_holidays.cache_clear()
    late = team(public_holidays="DE-BY")
    add_business_time(late, paris(2041, 3, 1, 10, 0), 6000)
    assert public_holidays.cache_info().misses == 1  # ten working days, all in 2041
    add_business_time(late, paris(2041, 3, 2, 10, 0), 6000)
    assert public_holidays.cache_info().misses == 1
    assert dt.date(2041, 1, 6) in public_holidays("DE-BY", 2041)  # Epiphany, in Bavaria


def test_a_team_closed_every_day_of_the_year_is_an_error_not_an_endless_search() -> None:
    every_day = [f"{d:%m-%d}" for d in (dt.date(2028, 1, 1) + timedelta(days=n) for n in range(366))]
    never = team(closed_days=every_day)
    with pytest.raises(ValueError, match="no opening hours in the 731 days"):
        next_opening(never, paris(2027, 1, 1))


# A property checked against the package and the shifts directly, not through Team.shifts_on.
CLOSED = {dt.date(2030, 5, 31)}
YEARLY_CLOSED = {(8, 14)}
DEC_24 = ((8 * 60, 12 * 60), (14 * 60, 17 * 60))
HOURS = {d: ((480, 720), (840, 1200)) for d in range(5)} | {5: ((540, 780),), 6: ()}


def closed_day(code: str, day: dt.date) -> bool:
    country, _, subdivision = code.partition("-")
    national = holidays.country_holidays(country, subdiv=subdivision or None, years=day.year)
    return day in CLOSED or (day.month, day.day) in YEARLY_CLOSED or day in national


def open_by_hand(code: str, instant: datetime) -> bool:
    local = instant.astimezone(PARIS)
    day, minute = local.date(), local.hour * 60 + local.minute + local.second / 60
    hours = HOURS[day.weekday()]
    if (day.month, day.day) == (12, 24):
        hours = tuple((max(a, c), min(b, d)) for a, b in hours for c, d in DEC_24 if max(a, c) < min(b, d))
    elif closed_day(code, day):
        return False
    return any(a <= minute < b for a, b in hours)


ANY_TIME = st.datetimes(datetime(2026, 1, 1), datetime(2040, 12, 31), timezones=st.just(UTC))
BEFORE_CHRISTMAS = st.builds(
    lambda year, hours: datetime(year, 12, 22, tzinfo=UTC) + timedelta(hours=hours),
    st.integers(2026, 2040),
    st.integers(0, 96),
)


@settings(max_examples=300, deadline=None)
@given(
    code=st.sampled_from(["FR", "FR-57"]),
    start=st.one_of(ANY_TIME, BEFORE_CHRISTMAS),
    minutes=st.integers(min_value=1, max_value=5000),
)
def test_added_business_time_never_ends_on_a_closed_day_or_out_of_hours(
    code: str, start: datetime, minutes: int
) -> None:
    charter_team = team(
        public_holidays=code,
        closed_days=[*CLOSED, "08-14"],
        reduced_days=[{"date": "12-24", "shifts": ["08:00-12:00", "14:00-17:00"]}],
    )
    due = add_business_time(charter_team, start, minutes)
    last_second = due - timedelta(seconds=1)  # due may be a closing time: the second before it is open
    assert open_by_hand(code, last_second)
    assert business_time_between(charter_team, start, due) == timedelta(minutes=minutes)
