"""Spreading a stream's reads over X's rate-limit window (connectors.x.pacing): the arithmetic, and which
answers it reads."""

from __future__ import annotations

import pytest

from connectors.x.pacing import Pacer, Window, endpoint_of, window_of

T0 = 1_800_000_000.0


@pytest.mark.parametrize(
    ("window", "now", "wait"),
    [
        (Window(14, T0 + 900, T0), T0, 900 / 14),  # DM events after one call: about a minute apart
        (Window(14, T0 + 900, T0), T0 + 20, 900 / 14 - 20),  # the channel's 20 s interval is too soon
        (Window(14, T0 + 900, T0), T0 + 65, 0.0),
        (Window(1, T0 + 300, T0), T0 + 10, 290.0),  # the last call of the window waits for its reset
        (Window(299, T0 + 900, T0), T0, 0.0),  # mentions: a call every 3 s is the channel's business
        (Window(9_999, T0 + 900, T0), T0, 0.0),  # the sandbox's relaxed window
        (Window(0, T0 + 900, T0), T0, 0.0),  # refused already: the listener's retry waits for the reset
        (Window(14, T0 + 900, T0), T0 + 901, 0.0),  # the window reset
    ],
)
def test_the_calls_left_are_spread_until_the_reset(window: Window, now: float, wait: float) -> None:
    assert window.wait(now) == pytest.approx(wait)


def test_an_answer_without_readable_headers_gives_no_window() -> None:
    assert window_of({}, T0) is None
    assert window_of({"x-rate-limit-remaining": "many", "x-rate-limit-reset": "1"}, T0) is None
    assert window_of({"x-rate-limit-remaining": "3", "x-rate-limit-reset": "1800000900"}, T0) == Window(
        3, T0 + 900, T0
    )


@pytest.mark.parametrize(
    ("path", "endpoint"),
    [
        ("/2/dm_events", "dm_events"),
        ("/2/users/1000000000000000001/mentions", "mentions"),
        ("/2/tweets/search/recent", "search"),
        ("/2/dm_conversations/with/42/dm_events", None),  # another endpoint, another window
        ("/2/tweets", None),
        ("/2/users/me", None),
    ],
)
def test_each_stream_has_its_endpoints_window(path: str, endpoint: str | None) -> None:
    assert endpoint_of(path) == endpoint


def test_a_stream_never_read_is_not_paced() -> None:
    assert Pacer().wait_before("dms") == 0.0
