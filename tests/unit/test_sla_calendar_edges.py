"""Calendar edges of the SLA engine, hand-computed on Paris's 2026 changes (29 March: 02:00 -> 03:00;
25 October: 03:00 -> 02:00, the hour from 02:00 to 03:00 happens twice)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from inbox.charter.business_hours import add_business_time, business_time_between, is_open, next_opening
from inbox.charter.sla import SlaEvent, SlaSubject, evaluate
from tests.support.charter import make_charter

PARIS = ZoneInfo("Europe/Paris")
DM = SlaSubject(channel="x-acme", kind="private", platform="x")  # 60 minutes, 24/7 in the test charter


def paris(month: int, day: int, hour: int, minute: int = 0, *, fold: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS, fold=fold)


def test_events_in_the_autumn_repeated_hour_are_ordered_by_instant_not_wall_time() -> None:
    asked = paris(10, 25, 2, 50)  # the first 02:50, +02:00 = 00:50 UTC
    answered = paris(10, 25, 2, 10, fold=1)  # the second 02:10, +01:00 = 01:10 UTC: 20 minutes later
    assert answered - asked == timedelta(minutes=-40)  # Python compares these by wall time
    events = [SlaEvent(asked, "in"), SlaEvent(answered, "out")]
    result = evaluate(events, DM, make_charter(), paris(10, 25, 4, fold=1))  # 03:00 UTC, 130 min after
    assert result is not None
    assert (result.state, result.elapsed) == ("met", timedelta(minutes=20))
    assert result.current.answered_at == answered.astimezone(UTC)  # (in the fold, == across zones is False)
    assert result.due_at == datetime(2026, 10, 25, 1, 50, tzinfo=UTC)


def test_an_event_keeps_its_instant_in_utc() -> None:
    event = SlaEvent(paris(10, 25, 2, 10, fold=1), "in")
    assert event.at.tzinfo is UTC and event.at == datetime(2026, 10, 25, 1, 10, tzinfo=UTC)


def team(*shifts: str) -> Any:
    """The test team, open only on Sundays with these shifts."""
    return make_charter(**{"teams.care.week": {"sun": list(shifts)}}).team("care")


NIGHT = (paris(3, 29, 0), paris(3, 29, 8))  # 23:00 to 06:00 UTC: seven hours, the 02:00 hour skipped


@pytest.mark.parametrize(
    ("shifts", "minutes"),
    [
        (("00:00-02:30", "03:00-08:00"), 420),  # 00:00-02:00 then 03:00-08:00; read naively 150 + 300 = 450
        (("00:00-02:30", "02:30-08:00"), 420),  # a boundary in the gap on both sides: one run, 7 hours
        (("02:30-03:10",), 10),  # starts in the gap: 03:00-03:10; read naively -20
        (("02:10-02:50", "04:00-05:00"), 60),  # wholly in the gap: never open
    ],
)
def test_a_shift_boundary_in_the_spring_gap_is_the_change_itself(
    shifts: tuple[str, ...], minutes: int
) -> None:
    assert business_time_between(team(*shifts), *NIGHT) == timedelta(minutes=minutes)


def test_opening_and_due_times_around_the_spring_gap() -> None:
    split = team("00:00-02:30", "03:00-08:00")
    assert not is_open(split, paris(3, 28, 23, 59))
    assert is_open(split, paris(3, 29, 1, 59)) and is_open(split, paris(3, 29, 3))
    change = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 02:00 +01:00 became 03:00 +02:00
    assert add_business_time(split, paris(3, 29, 1), 60) == change  # 01:00 + one open hour is 03:00
    inside = team("02:10-02:50", "04:00-05:00")
    assert next_opening(inside, paris(3, 29, 0)) == paris(3, 29, 4)  # the shift in the gap never opens
