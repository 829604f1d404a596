"""The fixed rate-limit windows the X and Mastodon sandboxes count calls with (``_windows``)."""

from __future__ import annotations

from connectors.sandbox._windows import FixedWindows, Spent


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_window_spends_its_calls_then_refuses_until_it_ends() -> None:
    clock = Clock(1000.0)
    windows = FixedWindows({"mentions": (2, 60.0)}, clock=clock)
    assert windows.take("mentions", "a") == Spent(True, 2, 1, 1060.0)
    clock.now = 1030.0
    assert windows.take("mentions", "a") == Spent(True, 2, 0, 1060.0)
    assert windows.take("mentions", "a") == Spent(False, 2, 0, 1060.0)  # a refusal spends nothing
    clock.now = 1059.9
    assert not windows.take("mentions", "a").allowed
    clock.now = 1060.0
    assert windows.take("mentions", "a") == Spent(True, 2, 1, 1120.0)


def test_each_caller_and_name_has_its_own_window() -> None:
    windows = FixedWindows({"api": (1, 300.0), "statuses": (1, 10_800.0)}, clock=Clock(0.0))
    assert windows.take("api", "a").allowed and not windows.take("api", "a").allowed
    assert windows.take("api", "b").allowed and windows.take("statuses", "a") == Spent(True, 1, 0, 10_800.0)
