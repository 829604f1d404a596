"""Order statistics the KPIs use, stated once: the usual median, the nearest-rank percentile. Pure."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta


def median(values: Sequence[float]) -> float | None:
    """The middle value; the mean of the two middle values for an even count; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def nearest_rank(values: Sequence[float], percent: float) -> float | None:
    """The ``percent``-th percentile by nearest rank: the smallest value with at least ``percent`` % of
    the values at or below it, i.e. the ``ceil(percent/100 × n)``-th smallest. Always an observed value."""
    if not values:
        return None
    if not 0 < percent <= 100:
        raise ValueError(f"percent must be in (0, 100], got {percent}")
    ordered = sorted(values)
    return ordered[max(1, math.ceil(percent / 100 * len(ordered))) - 1]


def ratio(part: int, whole: int) -> float | None:
    """``part / whole``; None when there is nothing to divide (never a misleading 0 % or 100 %)."""
    return part / whole if whole else None


def minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60
