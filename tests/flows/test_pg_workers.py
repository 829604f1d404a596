"""Several real worker processes on one database: no double work, and a dead worker's lease is taken over.

Three `inbox listen` processes share one channel; three `inbox send` processes drain one outbox. The X
sandbox notes every call, so the tests see that no stream was read by two workers at once, that every
message is stored once and that every reply is posted once. They run on SQLite and, in the PostgreSQL
run (INBOX_TEST_POSTGRES_URL), on PostgreSQL.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from inbox.charter.deadlines import default_due
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import AuditEvent, Conversation, ListeningCursor, Message, OutboundReply
from tests.conftest import BRAND_ID
from tests.support.eventually import eventually
from tests.support.workers import (
    TimedXSandbox,
    config_dir,
    job_env,
    overlaps,
    start,
    stop_all,
)
from tests.support.x_channel import x_runtime


@pytest.fixture
def sandbox() -> Iterator[TimedXSandbox]:
    with TimedXSandbox(brand_handle="AcmeCare", brand_id=BRAND_ID) as sb:
        yield sb


def _stored(engine: Engine) -> list[str]:
    with Session(engine) as s:
        return list(s.exec(select(Message.platform_id).where(Message.direction == "in")).all())


def _workers_that_stored(logs: list[Path]) -> int:
    return sum(bool(re.search(r"x-acme/\w+: [1-9]\d* new", log.read_text())) for log in logs)


def test_three_listeners_store_each_message_once_and_never_read_a_stream_together(
    tmp_path: Path, db_url: str, engine: Engine, sandbox: TimedXSandbox
) -> None:
    expected = {sandbox.add_mention(f"@AcmeCare issue {i}", author=f"cust{i % 23}") for i in range(120)}
    expected |= {sandbox.add_dm(f"private question {i}", sender=f"cust{i % 11}") for i in range(30)}
    sandbox.inject_fault("/2/", delay=0.05, count=100_000)  # slow calls: workers contend for the leases
    env = job_env(db_url, config_dir(tmp_path, sandbox.url))
    logs = [tmp_path / f"listen{n}.log" for n in range(3)]
    procs = [start(["listen", "--no-automation"], env, log) for log in logs]
    try:
        for burst in range(20):  # new traffic while they run: each burst once the mentions were read again
            reads = len(sandbox.stream_calls("mentions"))
            expected |= {
                sandbox.add_mention(f"@AcmeCare later {burst}-{i}", author="late") for i in range(10)
            }
            eventually(
                lambda n=reads: len(sandbox.stream_calls("mentions")) > n,
                timeout=60,
                interval=0.1,
                message=f"a read of the mentions after burst {burst}",
            )
        eventually(
            lambda: len(_stored(engine)) >= len(expected),
            timeout=240,
            interval=0.2,
            message="every message to be stored",
        )
        reads = {stream: len(sandbox.stream_calls(stream)) for stream in ("mentions", "dms")}
        eventually(  # more rounds of polls once all is stored: nothing may arrive twice
            lambda: all(len(sandbox.stream_calls(s)) >= n + 2 for s, n in reads.items()),
            timeout=60,
            interval=0.1,
            message="two more reads of each stream after everything was stored",
        )
    finally:
        stop_all(procs)
    ids = _stored(engine)
    assert len(ids) == len(set(ids)) == len(expected) and set(ids) == expected
    for stream in ("mentions", "dms"):
        calls = sandbox.stream_calls(stream)
        assert len(calls) > 10 and overlaps(calls) == [], f"{stream} read by two workers at once"
    assert _workers_that_stored(logs) >= 2, "only one worker did any work: the test proves nothing"
    with Session(engine) as s:
        assert s.exec(select(func.count()).where(ListeningCursor.lease_owner.is_not(None))).one() == 0  # type: ignore[union-attr]


def _queue_replies(engine: Engine, count: int) -> dict[str, str]:
    """One reply per conversation (every third one private); returns text -> visibility."""
    texts: dict[str, str] = {}
    now = datetime.now(UTC)
    with Session(engine) as s, s.begin():
        convs = s.exec(select(Conversation).order_by(Conversation.id)).all()  # type: ignore[arg-type]
        assert len(convs) >= count
        for n, conv in enumerate(convs[:count]):
            visibility = "private" if conv.visibility == "private" else "public"
            text = f"Thanks, we are on it (answer {n})"
            outbox.enqueue(s, conv, visibility=visibility, text=text, actor="agent", now=now)
            texts[text] = visibility
    return texts


def test_three_senders_post_each_reply_exactly_once(
    tmp_path: Path, db_url: str, engine: Engine, sandbox: TimedXSandbox, x_env: dict[str, str]
) -> None:
    for i in range(45):
        sandbox.add_mention(f"@AcmeCare my order {i} is late", author=f"buyer{i}")
    for i in range(15):
        sandbox.add_dm(f"my account {i} is locked", sender=f"member{i}")
    poll_channel(engine, x_runtime(sandbox), clock=lambda: datetime.now(UTC), due=default_due)
    texts = _queue_replies(engine, 60)
    sandbox.inject_fault("/2/", delay=0.1, count=100_000)  # each post takes a while: senders overlap
    env = job_env(db_url, config_dir(tmp_path, sandbox.url))
    logs = [tmp_path / f"send{n}.log" for n in range(3)]
    procs = [start(["send"], env, log) for log in logs]
    try:
        for proc in procs:
            assert proc.wait(timeout=240) == 0
    finally:
        stop_all(procs)
    processed = [int(m) for log in logs for m in re.findall(r"outbox: (\d+) repl(?:y|ies)", log.read_text())]
    assert sum(processed) == 60 and sum(1 for n in processed if n) >= 2, processed
    posted = [t["text"] for t in sandbox.sent_tweets] + [d["text"] for d in sandbox.sent_dms]
    assert sorted(posted) == sorted(texts)  # each reply once, none missing, nothing else
    assert len(sandbox.sent_dms) == sum(v == "private" for v in texts.values()) > 0
    with Session(engine) as s:
        statuses = s.exec(select(OutboundReply.status)).all()
        assert statuses == ["sent"] * 60
        sent_events = s.exec(select(func.count()).where(AuditEvent.action == "reply.sent")).one()
        outbound = s.exec(select(func.count()).where(Message.direction == "out")).one()
    assert sent_events == outbound == 60


def _lease(engine: Engine, stream: str) -> tuple[str | None, datetime | None]:
    with Session(engine) as s:
        row = s.exec(select(ListeningCursor).where(ListeningCursor.stream == stream)).first()
        return (row.lease_owner, row.lease_until) if row else (None, None)


def _first_read_after(sandbox: TimedXSandbox, stream: str, after: float) -> float | None:
    later = [start for start, _ in sandbox.stream_calls(stream) if start > after]
    return later[0] if later else None


def _expire(engine: Engine, stream: str) -> float:
    """Runs the stream's lease out, as its time passing would; returns when (wall clock, like the calls)."""
    with Session(engine) as s, s.begin():
        row = s.exec(select(ListeningCursor).where(ListeningCursor.stream == stream)).one()
        row.lease_until = datetime.now(UTC) - timedelta(seconds=1)
    return time.time()


@pytest.mark.parametrize(
    "same_host", [False, True], ids=["other-host-waits-for-expiry", "same-host-sees-death"]
)
def test_a_worker_killed_holding_a_lease_is_replaced(
    tmp_path: Path, db_url: str, engine: Engine, sandbox: TimedXSandbox, same_host: bool
) -> None:
    """Killed with SIGKILL mid-read: on another machine the lease is taken over only once it expires; on
    the same machine the dead process is seen at once. Either way every message ends up stored once.

    The lease (10 minutes) does not run out by itself during the test: once the second worker has polled
    the DMs a few times and left the mentions alone, the test expires it. No step hangs on how fast a
    worker starts."""
    expected = {sandbox.add_mention(f"@AcmeCare outage {i}", author=f"fan{i % 9}") for i in range(40)}
    cfg = config_dir(tmp_path, sandbox.url)
    hosts = ("", "") if same_host else ("machine-a", "machine-b")
    sandbox.inject_fault("/2/users/", delay=3.0, count=1)  # the first mentions read hangs: kill it there
    env_a = job_env(db_url, cfg, INBOX_LEASE_SECONDS="600", INBOX_WORKER_HOST=hosts[0])
    first = start(["listen", "--no-automation"], env_a, tmp_path / "a.log")
    try:
        eventually(
            lambda: any("/mentions" in p for _, p, _, _ in sandbox.calls),
            timeout=90,
            interval=0.2,
            message="the first read of the mentions",
        )
        first.kill()
        first.wait(timeout=10)
    finally:
        stop_all([first])
    killed_at = time.time()
    owner, until = _lease(engine, "mentions")
    assert owner is not None and until is not None, "the killed worker should still hold the lease"
    env_b = job_env(db_url, cfg, INBOX_LEASE_SECONDS="600", INBOX_WORKER_HOST=hosts[1])
    second = start(["listen", "--no-automation"], env_b, tmp_path / "b.log")
    try:
        if not same_host:
            eventually(
                lambda: len([c for c in sandbox.stream_calls("dms") if c[0] > killed_at]) >= 3,
                timeout=120,
                interval=0.2,
                message="the second worker to poll the DMs three times",
            )
            assert _first_read_after(sandbox, "mentions", killed_at) is None, (
                "the stream was read again before the dead worker's lease expired"
            )
            expired_at = _expire(engine, "mentions")
        eventually(
            lambda: set(_stored(engine)) == expected,
            timeout=120,
            interval=0.2,
            message="the second worker to take over and store every message",
        )
    finally:
        stop_all([second])
    ids = _stored(engine)
    assert len(ids) == len(expected)
    took_over = _first_read_after(sandbox, "mentions", killed_at)
    assert took_over is not None
    if same_host:
        assert took_over < until.timestamp(), "a dead local owner should not have to wait for the expiry"
    else:
        assert took_over >= expired_at, "the stream was read again before the dead worker's lease expired"
