"""A customer erased while a sender holds a reply to them: never posted with their data, never lost silently.

The sender claimed the reply (its first POST ended in a 503, so it first looks for it on X) and the look is
slow; the customer's erasure commits meanwhile. The reply must not be posted, and must stay "not sent: the
customer's data was erased", which the agent reads in their language, without a Retry that would post the
erased words. A sender whose POST had already left records what X has, once, without the erased words.

Real parts: the X sandbox through tweepy, the real sender, the real erasure; SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox import i18n
from inbox.ingest.channels import Runtime
from inbox.outbox import delivery as outbox
from inbox.outbox.schedule import erased
from inbox.privacy.elsewhere import CANCELLED
from inbox.privacy.erase import erase
from inbox.store.tables import Conversation, Message, OutboundReply
from inbox.ui.widgets import send_failure
from tests.support.eventually import eventually
from tests.support.x_channel import poll

TEXT = "@jane Your order 4411 leaves today, Jane Doe"


def _queued(engine: Engine, sandbox: XSandbox, rt: Runtime) -> int:
    sandbox.add_mention("@AcmeCare my order 4411 is late", author="jane")
    poll(engine, rt)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        return (
            outbox.enqueue(s, conv, visibility="public", text=TEXT, actor="sam", now=datetime.now(UTC)).id
            or 0
        )


def _unsure_reply(engine: Engine, sandbox: XSandbox, rt: Runtime) -> int:
    reply_id = _queued(engine, sandbox, rt)
    sandbox.inject_fault("/2/tweets", status=503)  # X may have it: looked for before any new attempt
    outbox.send_one(engine, {rt.name: rt.connector}, lambda: datetime.now(UTC))
    return reply_id


def _row(engine: Engine, reply_id: int) -> OutboundReply:
    with Session(engine) as s:
        row = s.get(OutboundReply, reply_id)
        assert row is not None
        return row


def _erase_while(engine: Engine, sandbox: XSandbox, rt: Runtime, later: datetime) -> None:
    """Run one sender; once it has called X, erase jane; wait for the sender."""
    calls = len(sandbox.requests)
    sender = threading.Thread(target=outbox.send_one, args=(engine, {rt.name: rt.connector}, lambda: later))
    sender.start()
    try:
        eventually(
            lambda: len(sandbox.requests) > calls, timeout=30, interval=0.02, message="the sender's call"
        )
        erase(engine, "x-acme:jane", actor="dpo", reason="DSAR 17", now=datetime.now(UTC))
    finally:
        sender.join(timeout=60)


@pytest.mark.parametrize("look", [None, 503], ids=["look-finds-nothing", "look-fails"])
def test_an_erasure_during_the_senders_look_leaves_the_reply_unsent_and_says_why(
    engine: Engine, sandbox: XSandbox, rt: Runtime, look: int | None
) -> None:
    reply_id = _unsure_reply(engine, sandbox, rt)
    later = datetime.now(UTC) + timedelta(minutes=30)  # its retry is due
    sandbox.inject_fault("/2/", delay=3.0, status=look)  # the look is slow (and then fails)
    _erase_while(engine, sandbox, rt, later)
    sandbox.clear_faults()
    outbox.drain(engine, {rt.name: rt.connector}, lambda: later + timedelta(hours=2))  # and senders go on
    assert sandbox.sent_tweets == [], "posted with the erased customer's data"
    row = _row(engine, reply_id)
    assert row.status == "failed" and row.text == "[erased]", (row.status, row.last_error)
    assert erased(row.last_error), row.last_error
    with i18n.use_language("fr"):
        said = send_failure.explained(row.last_error)
    assert "effacées" in said and "cancelled" not in said, said
    assert send_failure.refused(row.last_error), "a Retry would post the erased words"
    with Session(engine) as s, s.begin(), pytest.raises(ValueError):
        outbox.retry(s, reply_id, "sam", datetime.now(UTC))


def test_a_post_already_sent_when_the_erasure_came_is_recorded_once_without_their_words(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    reply_id = _queued(engine, sandbox, rt)
    sandbox.inject_fault("/2/tweets", after=True, delay=3.0)  # posted, its answer slow
    _erase_while(engine, sandbox, rt, datetime.now(UTC))
    outbox.drain(engine, {rt.name: rt.connector}, lambda: datetime.now(UTC) + timedelta(hours=2))
    assert len(sandbox.sent_tweets) == 1  # it had left: X has it, once
    row = _row(engine, reply_id)
    assert row.status == "sent" and row.text == "[erased]"
    with Session(engine) as s:
        texts = s.exec(select(Message.text).where(Message.direction == "out")).all()
    assert texts == ["[erased]"]


def test_a_reply_in_another_thread_that_named_them_says_why_in_french_and_offers_no_retry() -> None:
    with i18n.use_language("fr"):
        said = send_failure.explained(CANCELLED)
    assert "effacées" in said and "cancelled" not in said, said
    assert send_failure.refused(CANCELLED), "a Retry would post '[erased]' to another customer"


def test_a_post_whose_answer_was_lost_after_the_erasure_says_it_may_be_on_the_platform(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    """X posted it, then answered 503 after the erasure: the inbox cannot know; the agent is told it may be
    on X (to check and delete it there), not that it never left."""
    reply_id = _queued(engine, sandbox, rt)
    sandbox.inject_fault("/2/tweets", after=True, delay=3.0, status=503)  # posted, then no good answer
    _erase_while(engine, sandbox, rt, datetime.now(UTC))
    assert len(sandbox.sent_tweets) == 1
    row = _row(engine, reply_id)
    assert row.status == "failed" and erased(row.last_error) and send_failure.refused(row.last_error)
    with i18n.use_language("fr"):
        said = send_failure.explained(row.last_error)
    assert "peut-être" in said and "avant" not in said, said
