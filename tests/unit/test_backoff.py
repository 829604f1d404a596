"""The one back-off: doubling from base, capped, jitter only ever shortens the wait, seeded draws repeat."""

from __future__ import annotations

import random

import pytest

from inbox.backoff import backoff


class Fixed(random.Random):
    """A generator whose every draw is ``value``: the jitter's two ends, exactly."""

    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


@pytest.mark.parametrize(
    ("attempt", "expected"),
    [(0, 30.0), (1, 30.0), (2, 60.0), (3, 120.0), (5, 480.0), (6, 900.0), (7, 900.0), (10_000, 900.0)],
)
def test_doubles_from_base_up_to_the_cap(attempt: int, expected: float) -> None:
    assert backoff(attempt, base=30, cap=900, rng=Fixed(0.0)) == expected
    assert backoff(attempt, base=30, cap=900, jitter=0, rng=Fixed(0.99)) == expected


@pytest.mark.parametrize(("draw", "expected"), [(0.0, 60.0), (0.5, 52.5), (0.999, 45.015)])
def test_jitter_takes_up_to_its_share_off_the_wait(draw: float, expected: float) -> None:
    assert backoff(2, base=30, cap=900, jitter=0.25, rng=Fixed(draw)) == pytest.approx(expected)


def test_a_seeded_generator_gives_the_same_waits_and_they_spread() -> None:
    first = [backoff(3, base=10, cap=600, rng=random.Random(7)) for _ in range(5)]
    again = [backoff(3, base=10, cap=600, rng=random.Random(7)) for _ in range(5)]
    assert first == again
    rng = random.Random(7)
    spread = [backoff(3, base=10, cap=600, rng=rng) for _ in range(50)]
    assert all(30 < w <= 40 for w in spread) and len(set(spread)) == 50


def test_without_a_generator_the_wait_stays_in_range() -> None:
    assert all(450 < backoff(9, base=10, cap=600) <= 600 for _ in range(100))


@pytest.mark.parametrize(
    "kwargs", [{"base": 0, "cap": 10}, {"base": 10, "cap": 5}, {"base": 1, "cap": 5, "jitter": 1.0}]
)
def test_nonsense_parameters_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="base"):
        backoff(1, **kwargs)
