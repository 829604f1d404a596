"""The tests' one waiting helper (tests/support/eventually.py): the first truthy value, or a failure naming
what was awaited."""

from __future__ import annotations

import pytest

from tests.support.eventually import eventually


def test_returns_the_first_truthy_value() -> None:
    values = iter([0, None, [], "ready", "later"])
    assert eventually(lambda: next(values), interval=0, message="a value") == "ready"


def test_fails_naming_what_was_awaited_and_the_last_value_seen() -> None:
    with pytest.raises(AssertionError, match=r"waiting for the sandbox to start \(last: \[\]\)"):
        eventually(list, timeout=0, interval=0, message="the sandbox to start")


def test_an_error_in_the_predicate_fails_at_once() -> None:
    calls: list[int] = []

    def broken() -> bool:
        calls.append(1)
        raise KeyError("no such stream")

    with pytest.raises(KeyError, match="no such stream"):
        eventually(broken, message="a stream")
    assert calls == [1]
