"""The reports' business calendar gives the engine's answers (``add_business_time``,
``business_time_between``) for any instants: split shifts, week-ends, public holidays and both DST changes of
2026 in Paris (29 March, 25 October), inside its window and outside it (where it falls back to the engine)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from inbox.charter.business_hours import add_business_time, business_time_between
from inbox.charter.teams import Team
from inbox.reports.calendar import TeamCalendar

TEAM = Team.model_validate(
    {
        "timezone": "Europe/Paris",
        "public_holidays": "FR",
        "week": {
            "mon": ["08:00-12:00", "14:00-20:00"],
            "tue": ["08:00-12:00", "14:00-20:00"],
            "wed": ["08:00-12:00", "14:00-20:00"],
            "thu": ["08:00-12:00", "14:00-20:00"],
            "fri": ["08:00-12:00", "14:00-20:00"],
            "sat": ["09:00-13:00"],
            "sun": ["00:00-02:30", "03:00-08:00"],  # a boundary in the spring gap
        },
    }
)
WINDOWS = [
    datetime(2026, 3, 20, tzinfo=UTC),  # over the spring change
    datetime(2026, 10, 18, tzinfo=UTC),  # over the autumn change
    datetime(2026, 4, 30, tzinfo=UTC),  # 1 and 8 May, Ascension
]
CALENDARS = {start: TeamCalendar(TEAM, start, start + timedelta(days=20)) for start in WINDOWS}
instants = st.integers(min_value=-2 * 86400, max_value=24 * 86400)  # seconds from the window's start


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(WINDOWS), instants, st.integers(min_value=1, max_value=3000))
def test_due_times_are_the_engine_s(window: datetime, offset: int, minutes: int) -> None:
    start = window + timedelta(seconds=offset)
    assert CALENDARS[window].add(start, minutes) == add_business_time(TEAM, start, minutes)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(WINDOWS), instants, st.integers(min_value=-3600, max_value=10 * 86400))
def test_business_time_between_is_the_engine_s(window: datetime, offset: int, length: int) -> None:
    start = window + timedelta(seconds=offset)
    end = start + timedelta(seconds=length)
    assert CALENDARS[window].between(start, end) == business_time_between(TEAM, start, end)


def test_a_target_that_runs_out_at_closing_is_due_at_closing() -> None:
    monday_11 = datetime(2026, 3, 23, 10, 0, tzinfo=UTC)  # 11:00 Paris, closing at 12:00
    assert CALENDARS[WINDOWS[0]].add(monday_11, 60) == datetime(2026, 3, 23, 11, 0, tzinfo=UTC)
