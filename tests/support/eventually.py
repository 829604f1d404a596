"""Waiting for what another thread or process does: poll a predicate until it holds, never sleep a guess.

The timeout bounds the wait so a broken run fails instead of hanging; it is not a measurement, and a test
never asserts how long the wait took (speed is measured in bench/).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(
    predicate: Callable[[], T], *, timeout: float = 10.0, interval: float = 0.05, message: str
) -> T:
    """Calls ``predicate`` every ``interval`` seconds until it returns a truthy value, and returns that value.

    Args:
        message: what is awaited, for the failure ("the retried delivery to be confirmed").

    Raises:
        AssertionError: after ``timeout`` seconds, naming ``message`` and the last value seen. An exception
            raised by ``predicate`` is not caught: it fails the test at once.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {message} (last: {value!r})")
        time.sleep(interval)
