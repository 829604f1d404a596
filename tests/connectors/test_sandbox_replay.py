"""The replay every sandbox shares (``connectors.sandbox._replay``): backlog times, the drip and stopping; and
the Telegram and Bluesky replays as their connectors read them over HTTP."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.bluesky.connector import BlueskyConnector
from connectors.sandbox._customers import LINES, customer_of
from connectors.sandbox._replay import Replayer, Replays, backdated, clock_round
from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, DEFAULT_PASSWORD, BlueskySandbox
from connectors.sandbox.telegram.server import TelegramSandbox
from connectors.telegram.connector import TelegramConnector

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
WAIT = 5.0  # seconds an event may take before the test fails (never a timed assertion)


class Recorder(Replayer[int]):
    """Records what it is asked to post; ``reached`` is set once item ``until`` has been posted."""

    thread_name = "test-replay"

    def __init__(self, *, backlog: int, interval: float, until: int = 0, length: int = 12) -> None:
        super().__init__(backlog=backlog, interval=interval, span=timedelta(hours=1))
        self.length = length
        self.posted: list[tuple[int, datetime | None]] = []
        self.until, self.reached = until, threading.Event()

    @property
    def script_length(self) -> int:
        return self.length

    def post(self, index: int, at: datetime | None) -> int:
        self.posted.append((index, at))
        if index >= self.until:
            self.reached.set()
        return index


@pytest.fixture
def recorders() -> Iterator[Replays]:
    replays = Replays()
    yield replays
    replays.stop()


def drip_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == Recorder.thread_name]


def test_backlog_is_spread_evenly_over_the_span_before_now() -> None:
    times = backdated(NOW, timedelta(hours=2), 8)
    assert times == [NOW - timedelta(hours=2) + timedelta(minutes=15) * i for i in range(8)]


def test_jitter_moves_each_time_later_by_less_than_a_step_and_the_same_on_every_run() -> None:
    span = timedelta(hours=2)
    even, jittered = backdated(NOW, span, 40), backdated(NOW, span, 40, jitter=True)
    shifts = [j - e for e, j in zip(even, jittered, strict=True)]
    assert all(timedelta(0) <= s < timedelta(minutes=3) * 0.6 for s in shifts)
    assert len(set(shifts)) > 10 and jittered == backdated(NOW, span, 40, jitter=True)
    assert jittered == sorted(jittered) and jittered[-1] < NOW


@given(
    start=st.datetimes(datetime(2026, 1, 1), datetime(2040, 1, 1), timezones=st.just(UTC)),
    ran=st.floats(min_value=2, max_value=90 * 86_400),
    length=st.integers(min_value=12, max_value=400),
    interval=st.floats(min_value=15, max_value=60),
    backlog=st.integers(min_value=1, max_value=12),
)
def test_a_restart_begins_at_a_round_no_earlier_start_reached(
    start: datetime, ran: float, length: int, interval: float, backlog: int
) -> None:
    """Whatever an earlier start replayed (its backlog at once, then one item per interval, for any time), a
    start at least two seconds later begins at a later round: other customers."""
    earlier = Recorder(backlog=backlog, interval=interval, length=length)
    earlier.first_round = clock_round(start)
    last = earlier.round_of(backlog - 1 + int(ran // interval))
    assert last < clock_round(start + timedelta(seconds=ran))


def test_seed_posts_the_backlog_backdated_then_release_continues_the_count() -> None:
    replay = Recorder(backlog=4, interval=0)
    assert replay.seed(NOW) == [0, 1, 2, 3]
    assert [at for _, at in replay.posted] == backdated(NOW, timedelta(hours=1), 4)
    assert replay.release() == 4 and replay.posted[-1] == (4, None) and replay.released == 5


def test_start_drips_in_a_daemon_thread_until_stopped(recorders: Replays) -> None:
    replay = recorders.start(Recorder(backlog=2, interval=0.01, until=5))
    assert replay.reached.wait(WAIT), "the drip released nothing"
    assert [i for i, _ in replay.posted[:6]] == list(range(6))
    assert all(at is not None for _, at in replay.posted[:2]) and replay.posted[2][1] is None
    replay.stop()
    released = replay.released
    assert not drip_threads() and replay.released == released == len(replay.posted)


def test_no_drip_when_the_interval_is_zero(recorders: Replays) -> None:
    replay = recorders.start(Recorder(backlog=3, interval=0))
    assert replay.released == 3 and not drip_threads()


def test_replays_count_every_replayer_and_stop_them_all(recorders: Replays) -> None:
    recorders.start(Recorder(backlog=3, interval=0))
    dripping = recorders.start(Recorder(backlog=2, interval=0.01, until=4))
    assert dripping.reached.wait(WAIT)
    recorders.stop()
    assert not drip_threads()
    assert recorders.state() == {"running": 2, "released": 3 + dripping.released}


def test_telegram_replay_is_the_script_in_order_from_its_customers_over_the_past_hour() -> None:
    with TelegramSandbox() as tg:
        started = datetime.now(UTC)
        tg.replay(backlog=8, interval=0)
        conn = TelegramConnector("tg-acme", bot_token=tg.token, base_url=tg.url, poll_seconds=0)
        items = conn.fetch("updates", None).items
    expected = [LINES[i % len(LINES)] for i in range(8)]
    assert [i.text for i in items] == [line.text for line in expected]
    assert [i.author.display_name for i in items] == [
        " ".join(n for n in (customer_of(line).first_name, customer_of(line).last_name) if n)
        for line in expected
    ]
    times = [i.created_at for i in items]
    assert times == sorted(times)
    assert started - timedelta(hours=1, seconds=2) <= times[0] < times[-1] < started


def test_telegram_replays_second_round_comes_from_new_customers() -> None:
    """A demo left running: the script's second round is written by other people (new Telegram users, the
    same languages), not by the first six repeating themselves; one person's two lines stay one person's."""
    rounds = 2 * len(LINES)
    with TelegramSandbox() as tg:
        tg.replay(backlog=rounds, interval=0)
        conn = TelegramConnector("tg-acme", bot_token=tg.token, base_url=tg.url, poll_seconds=0)
        items = conn.fetch("updates", None).items
    assert len(items) == rounds and [i.text for i in items] == [line.text for line in LINES] * 2
    first, second = items[: len(LINES)], items[len(LINES) :]
    assert not {i.author.platform_id for i in first} & {i.author.platform_id for i in second}
    assert not {i.author.display_name for i in first} & {i.author.display_name for i in second}
    for round_ in (first, second):  # Line 0 and Line 3 are the same customer's
        assert round_[0].author.platform_id == round_[3].author.platform_id
    assert len({i.author.platform_id for i in second}) == len({line.customer for line in LINES})


def test_bluesky_replay_mentions_the_brand_and_sends_every_fourth_line_as_a_message() -> None:
    with BlueskySandbox() as bsky:
        bsky.replay(backlog=8, interval=0)
        conn = BlueskyConnector(
            "bsky-acme", handle=DEFAULT_HANDLE, app_password=DEFAULT_PASSWORD, base_url=bsky.url
        )
        mentions = conn.fetch("notifications", None).items
        dms = conn.fetch("dms", None).items
    assert sorted(i.text for i in mentions) == sorted(
        f"@{DEFAULT_HANDLE} {LINES[i].text}" for i in (0, 1, 2, 4, 5, 6)
    )
    assert sorted(i.text for i in dms) == sorted(LINES[i].text for i in (3, 7))
    assert {i.author.handle for i in dms} == {"camille-d.bsky.social", "jonas-k.bsky.social"}


def test_bluesky_replay_handles_are_domain_names() -> None:
    """A customer without a username goes by their first name, accents folded: Léa is lea.bsky.social."""
    with BlueskySandbox() as bsky:
        bsky.replay(backlog=12, interval=0)
        conn = BlueskyConnector(
            "bsky-acme", handle=DEFAULT_HANDLE, app_password=DEFAULT_PASSWORD, base_url=bsky.url
        )
        items = [*conn.fetch("notifications", None).items, *conn.fetch("dms", None).items]
    handles = {i.author.handle for i in items}
    assert "lea.bsky.social" in handles
    assert all(re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", h) for h in handles), handles
