"""The spike rule (inbox.automation.spike_rule): the usual level for an hour of the week, the alert level."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from inbox.automation.spike_rule import Usual, alert_level, is_over, past_hours, recent, usual
from inbox.charter.flow import Spikes

QUARTER = timedelta(minutes=15)


def test_past_hours_are_the_same_clock_hour_whole_weeks_back() -> None:
    now = datetime(2026, 12, 7, 9, 40, tzinfo=UTC)  # a Monday, 09:40
    assert past_hours(now, 2) == [
        (datetime(2026, 11, 30, 9, tzinfo=UTC), datetime(2026, 11, 30, 10, tzinfo=UTC)),
        (datetime(2026, 11, 23, 9, tzinfo=UTC), datetime(2026, 11, 23, 10, tzinfo=UTC)),
    ]


@pytest.mark.parametrize(
    ("hours", "mean", "sd"),
    [([], 0.0, 0.0), ([40, 40, 40, 40], 10.0, 0.0), ([0, 80], 10.0, 10.0), ([4, 8, 12], 2.0, 0.8165)],
)
def test_usual_scales_the_hour_counts_to_the_window(hours: list[int], mean: float, sd: float) -> None:
    found = usual(hours, QUARTER)
    assert (round(found.mean, 4), round(found.sd, 4), found.weeks) == (mean, sd, len(hours))


@pytest.mark.parametrize(
    ("base", "level"),
    [
        (Usual(0.0, 0.0, 0), 10),  # no history: the minimum count (a quiet channel's 0 -> 2 is no spike)
        (Usual(2.0, 0.5, 4), 10),  # a quiet hour: still the minimum
        (Usual(10.0, 0.0, 4), 30),  # a steady busy hour: three times the usual
        (Usual(10.0, 8.0, 4), 34),  # a volatile busy hour: usual + 3 standard deviations
        (Usual(3.4, 0.0, 4), 11),  # rounded up
    ],
)
def test_alert_level_is_the_highest_of_the_three_rules(base: Usual, level: int) -> None:
    assert alert_level(base, Spikes()) == level


@pytest.mark.parametrize(
    ("count", "level_now", "over"),
    [(30, 10, False), (15, 10, False), (14, 10, True), (0, 10, True), (40, 90, True), (45, 90, False)],
)
def test_a_spike_ends_under_half_the_higher_level(count: int, level_now: int, over: bool) -> None:
    assert (
        is_over(count, 30, level_now) is over
    )  # opened at 30; the level now may have risen with the traffic


@pytest.mark.parametrize(
    ("count", "span", "mean", "used"),
    [
        (480, timedelta(hours=3), 40.0, True),  # 3 hours at 40 per quarter hour
        (2, timedelta(minutes=45), 0.6667, True),
        (5, timedelta(minutes=10), 0.0, False),  # less than one window of history: nothing to go by
    ],
)
def test_the_recent_rate_stands_in_before_a_week_is_stored(
    count: int, span: timedelta, mean: float, used: bool
) -> None:
    found = recent(count, span, QUARTER)
    assert (round(found.mean, 4), found.recent, found.weeks) == (mean, used, 0)
    assert found.sd == pytest.approx(found.mean**0.5)
