"""Agents edit and cancel queued replies while three real `inbox send` processes drain the outbox.

Whichever comes first wins, and what is posted is what was decided last: a cancel that won is never posted,
an edit that won is posted with its new text only; a change that lost (a sender had taken the reply) says so
and the reply is posted once as it was. Runs on SQLite and, in the PostgreSQL run, on PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.charter.deadlines import default_due
from inbox.desk.accounts import Operator
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.replies import queued
from inbox.store.tables import Conversation, OutboundReply
from tests.conftest import BRAND_ID
from tests.support.eventually import eventually
from tests.support.workers import TimedXSandbox, config_dir, job_env, start, stop_all
from tests.support.x_channel import x_runtime

AGENT = Operator("agent", "agent")
COUNT = 60


@pytest.fixture
def sandbox() -> Iterator[TimedXSandbox]:
    with TimedXSandbox(brand_handle="AcmeCare", brand_id=BRAND_ID) as sb:
        yield sb


def _queue(engine: Engine) -> dict[int, str]:
    now, texts = datetime.now(UTC), {}
    with Session(engine) as s, s.begin():
        for n, conv in enumerate(s.exec(select(Conversation).order_by(Conversation.id)).all()[:COUNT]):  # type: ignore[arg-type]
            vis = "private" if conv.visibility == "private" else "public"
            reply = outbox.enqueue(
                s, conv, visibility=vis, text=f"On it (answer {n})", actor="agent", now=now
            )
            texts[reply.id or 0] = reply.text
    return texts


def _change(engine: Engine, reply_id: int, old: str) -> str:
    """Edit an even reply, cancel an odd one: what won ("edited", "cancelled") or "lost"."""
    try:
        with Session(engine) as s, s.begin():
            if reply_id % 2:
                queued.cancel(s, reply_id, AGENT, datetime.now(UTC), seen_text=old)
                return "cancelled"
            result = queued.edit(s, reply_id, AGENT, f"{old} [edited]", datetime.now(UTC), seen_text=old)
            assert result.reply is not None, result
            return "edited"
    except queued.NotWaiting:
        return "lost"


def test_a_change_racing_the_senders_never_posts_a_cancelled_reply_nor_an_old_text(
    tmp_path: Path, db_url: str, engine: Engine, sandbox: TimedXSandbox, x_env: dict[str, str]
) -> None:
    for i in range(45):
        sandbox.add_mention(f"@AcmeCare my order {i} is late", author=f"buyer{i}")
    for i in range(15):
        sandbox.add_dm(f"my account {i} is locked", sender=f"member{i}")
    poll_channel(engine, x_runtime(sandbox), clock=lambda: datetime.now(UTC), due=default_due)
    texts = _queue(engine)
    sandbox.inject_fault("/2/", delay=0.15, count=100_000)  # each post takes a while: the agent catches up
    env = job_env(db_url, config_dir(tmp_path, sandbox.url))
    procs = [start(["send"], env, tmp_path / f"send{n}.log") for n in range(3)]
    outcome: dict[int, str] = {}
    try:
        posted = lambda: len(sandbox.sent_tweets) + len(sandbox.sent_dms)  # noqa: E731
        eventually(lambda: posted() >= 6, timeout=120, interval=0.02, message="the first posts")
        for reply_id in sorted(texts):  # oldest first, as the senders go: a race at each one
            outcome[reply_id] = _change(engine, reply_id, texts[reply_id])
        for proc in procs:
            assert proc.wait(timeout=240) == 0
    finally:
        stop_all(procs)
    said = Counter(outcome.values())
    assert said["lost"] >= 6 and said["edited"] and said["cancelled"], said  # both sides won some
    sent = Counter([t["text"] for t in sandbox.sent_tweets] + [d["text"] for d in sandbox.sent_dms])
    expected = Counter(
        texts[r] if won == "lost" else f"{texts[r]} [edited]"
        for r, won in outcome.items()
        if won != "cancelled"
    )
    assert sent == expected, "a cancelled reply or an old text was posted, or one was posted twice"
    with Session(engine) as s:
        status = dict(s.exec(select(OutboundReply.id, OutboundReply.status)).all())
    assert all(status[r] == ("cancelled" if won == "cancelled" else "sent") for r, won in outcome.items())
