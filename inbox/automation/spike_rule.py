"""When inbound traffic is a spike: the usual level for the hour of the week, and the level that alerts. Pure.

For a scope (a channel, or one listening query), ``usual`` takes the messages counted in the same hour of the
week over the past weeks (only the weeks after the first stored message), scales each to the window's length,
and gives their mean and standard deviation. Before a first week is stored, ``recent`` stands in: the rate of
the last ``recent_hours`` before the window (as far back as messages go), with a Poisson spread (√mean).
``alert_level`` is the count the window must reach: max(min_messages, ceil(times_usual × mean),
ceil(mean + sd_factor × sd)). A spike ends when the window's count falls under half the alert level (the
higher of the level that opened it and today's): a count hovering at the level does not flap, and a level
that rose with the traffic (the recent rate) ends it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from inbox.charter.flow import Spikes

WEEK = timedelta(days=7)
HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Usual:
    """The usual count of messages in one window at this hour of the week."""

    mean: float
    sd: float
    weeks: int  # how many past weeks it rests on (0: the recent rate, or nothing to go by)
    recent: bool = False  # the rate of the last hours, not the hour of the week


def past_hours(now: datetime, weeks: int) -> list[tuple[datetime, datetime]]:
    """The same clock hour as ``now``, one to ``weeks`` weeks (of 7 × 24 h) earlier, newest first."""
    start = now.replace(minute=0, second=0, microsecond=0)
    return [(start - k * WEEK, start - k * WEEK + HOUR) for k in range(1, weeks + 1)]


def usual(hour_counts: Sequence[int], window: timedelta) -> Usual:
    """Mean and (population) standard deviation of past hours' counts, scaled to ``window``."""
    if not hour_counts:
        return Usual(0.0, 0.0, 0)
    scale = window / HOUR
    scaled = [c * scale for c in hour_counts]
    mean = sum(scaled) / len(scaled)
    sd = math.sqrt(sum((x - mean) ** 2 for x in scaled) / len(scaled))
    return Usual(mean, sd, len(scaled))


def recent(count: int, span: timedelta, window: timedelta) -> Usual:
    """The rate of ``count`` messages over ``span`` (the hours before the window), scaled to the window; a
    span shorter than one window says nothing (a mean of 0: ``min_messages`` decides)."""
    if span < window:
        return Usual(0.0, 0.0, 0)
    mean = count * (window / span)
    return Usual(mean, math.sqrt(mean), 0, recent=True)


def alert_level(base: Usual, policy: Spikes) -> int:
    """The count in the window that makes a spike."""
    return max(
        policy.min_messages,
        math.ceil(policy.times_usual * base.mean - 1e-9),
        math.ceil(base.mean + policy.sd_factor * base.sd - 1e-9),
    )


def is_over(count: int, opened_at: int, level_now: int) -> bool:
    """A spike that opened at level ``opened_at`` has ended when the window's count fell under half of the
    higher of that and the level now."""
    return count * 2 < max(opened_at, level_now)
