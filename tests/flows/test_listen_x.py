"""The listening job against the X sandbox, through real tweepy over loopback HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.poll import poll_stream
from inbox.store.tables import AuditEvent, Channel, Conversation, ListeningCursor, Message, QuarantinedItem
from tests.conftest import BRAND_ID
from tests.support.clock import Clock
from tests.support.x_channel import poll, x_runtime


def stored_ids(engine: Engine) -> list[str]:
    with Session(engine) as s:
        return sorted(s.exec(select(Message.platform_id)).all())


def test_mentions_paginate_then_poll_from_since_id(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    sandbox.add_user("jane", followers=120)
    first = [sandbox.add_mention(f"@AcmeCare question {i}", author="jane") for i in range(12)]
    rt = x_runtime(sandbox, page_size=5)
    reports = poll(engine, rt)
    assert reports["mentions"].new == 12 and reports["mentions"].pages == 3
    later = [sandbox.add_mention("@AcmeCare one more", author="jane") for _ in range(2)]
    reports = poll(engine, rt)
    assert reports["mentions"].new == 2
    assert stored_ids(engine) == sorted(first + later)
    mention_calls = [r for r in sandbox.requests if "/mentions" in r.path]
    assert any(r.query.get("since_id") == [max(first, key=int)] for r in mention_calls)
    assert any("pagination_token" in r.query for r in mention_calls)


def test_same_page_twice_stores_nothing_twice(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    for i in range(4):
        sandbox.add_mention(f"@AcmeCare hello {i}", author="bob")
    rt = x_runtime(sandbox)
    poll(engine, rt)
    with Session(engine) as s, s.begin():
        for row in s.exec(select(ListeningCursor)).all():
            row.cursor = None  # forget the cursor: the same pages come again
    reports = poll(engine, rt)
    assert reports["mentions"].new == 0 and reports["mentions"].duplicates == 4
    assert len(stored_ids(engine)) == 4


def test_brand_messages_are_outbound_and_threads_join(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    root = sandbox.add_mention("@AcmeCare my order is late", author="carla")
    sandbox.add_mention("@AcmeCare thread note from us", author="AcmeCare", in_reply_to=root)
    sandbox.add_mention("@AcmeCare still waiting", author="carla", in_reply_to=root)
    sandbox.add_dm("Hello, I need help with my bill", sender="dan")
    sandbox.add_dm("Hi Dan, we are looking into it", sender="AcmeCare", recipient="dan")
    poll(engine, x_runtime(sandbox))
    with Session(engine) as s:
        msgs = s.exec(select(Message)).all()
        by_dir = {(m.visibility, m.direction) for m in msgs}
        assert by_dir == {("public", "in"), ("public", "out"), ("private", "in"), ("private", "out")}
        convs = s.exec(select(Conversation)).all()
        assert sorted(c.visibility for c in convs) == ["private", "public"]
        public = next(c for c in convs if c.visibility == "public")
        assert public.thread_key == root
        assert public.first_response_at is not None  # the brand's own tweet in the thread answered it


def test_author_missing_from_includes_is_ingested(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    sandbox.add_raw_mention({"text": "@AcmeCare who am I", "author_id": "987654321"})
    poll(engine, x_runtime(sandbox))
    with Session(engine) as s:
        msg = s.exec(select(Message)).one()
        assert msg.author_platform_id == "987654321" and msg.author_handle is None


def test_malformed_items_go_to_quarantine_and_the_rest_is_kept(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    good = sandbox.add_mention("@AcmeCare fine", author="eve")
    sandbox.add_raw_mention({"author_id": 5, "text": "@AcmeCare wrong type"})
    sandbox.add_raw_mention({"author_id": "77", "text": None})
    poll(engine, x_runtime(sandbox))
    assert stored_ids(engine) == [good]
    with Session(engine) as s:
        errors = sorted(q.error for q in s.exec(select(QuarantinedItem)).all())
    assert len(errors) == 2 and any("author_id" in e for e in errors) and any("text" in e for e in errors)


def test_429_pauses_only_that_stream_until_reset(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    sandbox.add_mention("@AcmeCare hi", author="fay")
    sandbox.add_dm("private question", sender="gus")
    sandbox.inject_fault("/2/users/", status=429, count=1)
    clock = Clock()
    rt = x_runtime(sandbox)
    reports = poll(engine, rt, clock)
    assert "RateLimited" in str(reports["mentions"].error)
    assert reports["dms"].new == 1
    again = poll_stream(engine, rt, "mentions", clock=clock, due=default_due)
    assert again.skipped and "waiting until" in again.skipped
    clock.now += timedelta(minutes=16)
    assert poll_stream(engine, rt, "mentions", clock=clock, due=default_due).new == 1


def test_5xx_and_timeouts_retry_later_without_advancing_the_cursor(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    ids = [sandbox.add_mention(f"@AcmeCare m{i}", author="hal") for i in range(7)]
    sandbox.inject_fault("/2/users/", status=503, count=1)
    clock = Clock()
    rt = x_runtime(sandbox, page_size=5)
    first = poll_stream(engine, rt, "mentions", clock=clock, due=default_due)
    assert "Unavailable" in str(first.error) and first.new == 0
    with Session(engine) as s:
        cursor = s.exec(select(ListeningCursor).where(ListeningCursor.stream == "mentions")).one()
        assert cursor.cursor is None and cursor.failures == 1 and cursor.retry_at is not None
    clock.now += timedelta(minutes=1)
    assert poll_stream(engine, rt, "mentions", clock=clock, due=default_due).new == 7
    assert stored_ids(engine) == sorted(ids)


def test_monthly_read_budget_warns_then_stops(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    for i in range(12):
        sandbox.add_mention(f"@AcmeCare b{i}", author="ivy")
    rt = x_runtime(sandbox, page_size=5, budget=10)
    report = poll_stream(engine, rt, "mentions", clock=Clock(), due=default_due)
    assert report.new == 10 and report.skipped and "budget spent (10/10" in report.skipped
    with Session(engine) as s:
        channel = s.exec(select(Channel)).one()
        assert channel.reads_used == 10
        warnings = s.exec(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "budget.warning")
        )
        assert warnings.one() == 1


def test_dm_polls_after_the_first_read_ask_a_small_page_and_page_on_when_all_are_new(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    """X's DM events have no since_id and every event read counts against the plan: a steady poll reads
    STEADY_DM_PAGE events, not the 100 the first read asks, and still misses nothing after a burst."""
    first = [sandbox.add_dm(f"question {i}", sender="ivy") for i in range(40)]
    rt = x_runtime(sandbox)
    assert poll_stream(engine, rt, "dms", clock=Clock(), due=default_due).new == 40
    quiet = poll_stream(engine, rt, "dms", clock=Clock(), due=default_due)
    burst = [sandbox.add_dm(f"more {i}", sender="ivy") for i in range(15)]
    after = poll_stream(engine, rt, "dms", clock=Clock(), due=default_due)
    assert quiet.new == 0 and after.new == 15
    assert stored_ids(engine) == sorted(first + burst)
    sizes = [r.query.get("max_results") for r in sandbox.requests if r.path.endswith("/dm_events")]
    assert sizes[0] == ["100"] and all(s == ["10"] for s in sizes[1:]), sizes
    with Session(engine) as s:
        assert s.exec(select(Channel)).one().reads_used == 40 + 10 + 20  # the burst took two small pages


def test_dms_are_read_no_faster_than_xs_window_allows(engine: Engine, x_env: dict[str, str]) -> None:
    """X allows 15 DM reads per 15 minutes and user; polled on the channel's interval, the inbox would spend
    them in minutes and be refused until the window resets. The listener spreads what X says is left of the
    window (here 2 calls per 15 minutes: after one, the next waits) and reads the mentions meanwhile."""
    with XSandbox(
        brand_handle="AcmeCare", brand_id=BRAND_ID, rate_limits={"GET /2/dm_events": (2, 900.0)}
    ) as sb:
        sb.add_dm("hello", sender="ivy")
        rt, clock = x_runtime(sb), Clock()
        first = poll(engine, rt, clock)
        later = sb.add_dm("are you there?", sender="ivy")
        clock.now += timedelta(seconds=20)  # the channel's interval
        second = poll(engine, rt, clock)
        dm_reads = [r for r in sb.requests if r.path.endswith("/dm_events")]
        mention_reads = [r for r in sb.requests if r.path.endswith("/mentions")]
    assert first["dms"].new == 1 and len(dm_reads) == 1 and len(mention_reads) == 2
    assert second["dms"].new == 0 and second["dms"].error is None and second["dms"].skipped is None
    assert later not in stored_ids(engine)  # read on a later poll, once X's window allows: not refused now


def test_dm_reads_are_spread_over_the_month_and_mentions_still_read(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    """A DM poll re-reads 10 events even when nothing is new: once a minute, a 15,000-read plan is spent in a
    day and the channel falls silent for the month. Past the month's even share the DMs wait (with the reason
    and when), while new mentions are still read; the DMs are read again once the share has caught up."""
    sandbox.add_dm("hello", sender="ivy")
    clock = Clock(datetime(2026, 12, 16, tzinfo=UTC))  # 15 of 31 days gone: 16/32 of 15,000 = 7,500 reads
    rt = x_runtime(sandbox, budget=15_000)
    poll(engine, rt, clock)
    with Session(engine) as s:
        channel = s.exec(select(Channel)).one()
        channel.reads_used = 7_495  # the DMs and mentions read since the 1st
        s.add(channel)
        s.commit()
    later = sandbox.add_dm("are you there?", sender="ivy")
    mention = sandbox.add_mention("@AcmeCare my order never came", author="jo")
    clock.now += timedelta(minutes=2)
    held = poll(engine, rt, clock)
    assert held["dms"].skipped and "spread over the month" in held["dms"].skipped
    # the mention read first: 7,496 + 10 is 6 reads past the share, which grows 15,000 / 768 h = 19.5 an hour
    assert "7496/15000 reads used, 7500 allowed" in held["dms"].skipped
    assert "next read about 2026-12-16 00:18 UTC" in held["dms"].skipped
    assert held["mentions"].new == 1 and mention in stored_ids(engine)
    assert later not in stored_ids(engine)
    assert held_until(engine, "dms").strftime("%H:%M") == "00:18"  # the Channels page's "Next try"
    assert held_until(engine, "mentions") is None
    clock.now += timedelta(minutes=15)  # 00:17
    assert poll(engine, rt, clock)["dms"].skipped
    clock.now += timedelta(minutes=2)
    assert poll(engine, rt, clock)["dms"].new == 1 and later in stored_ids(engine)
    assert held_until(engine, "dms") is None


def held_until(engine: Engine, stream: str) -> datetime | None:
    with Session(engine) as s:
        return s.exec(select(ListeningCursor).where(ListeningCursor.stream == stream)).one().held_until
