"""A send the platform answers with a success status but no id of the post (an error body under HTTP 200, an
odd shape) is never recorded as sent: it may or may not be posted, so it is looked for before any new attempt
(X), or left uncertain for a person where the platform cannot be searched (Telegram).

Real parts: the X and Telegram sandboxes answering 200 with an error body, tweepy and requests, SQLite.
Before, the reply was marked ``sent`` under the platform id ``"None"`` and never posted: a lost reply.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.telegram.server import TelegramSandbox
from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, OutboundReply
from tests.support.clock import Clock
from tests.support.sandbox_channels import telegram_runtime

X_ERROR = {"errors": [{"message": "Internal error", "code": 131}], "title": "Internal Server Error"}


def _answer_each(engine: Engine, now: Clock) -> None:
    with Session(engine) as s, s.begin():
        for conv in s.exec(select(Conversation)):
            text = "Hi, we are on it"
            outbox.enqueue(s, conv, visibility=conv.visibility, text=text, actor="a", now=now.now)


def _replies(engine: Engine) -> list[OutboundReply]:
    with Session(engine) as s:
        return list(s.exec(select(OutboundReply).order_by(OutboundReply.id)))  # type: ignore[arg-type]


def test_x_answering_200_without_an_id_is_looked_for_then_posted_once(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    clock = Clock()
    sandbox.add_mention("@AcmeCare my parcel is lost", author="jane")
    sandbox.add_dm("my account is locked", sender="kim")
    poll_channel(engine, rt, clock=clock, due=default_due)
    _answer_each(engine, clock)
    sandbox.inject_fault("/2/tweets", status=200, body=X_ERROR)  # answered before X acts: nothing posted
    sandbox.inject_fault("/2/dm_conversations/with/", status=200, body=X_ERROR)
    connectors = {rt.name: rt.connector}
    outbox.drain(engine, connectors, clock)
    assert [(r.status, r.platform_id) for r in _replies(engine)] == [("pending", None)] * 2
    assert all("without the id" in (r.last_error or "") for r in _replies(engine))
    clock.now += timedelta(minutes=15)
    outbox.drain(engine, connectors, clock)  # looked for (not there), then posted
    outbox.drain(engine, connectors, clock)
    assert len(sandbox.sent_tweets) == 1 and len(sandbox.sent_dms) == 1
    sent = {r.platform_id for r in _replies(engine) if r.status == "sent"}
    assert sent == {sandbox.sent_tweets[0]["id"], sandbox.sent_dms[0]["id"]}


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


def test_telegram_answering_ok_without_a_message_id_is_uncertain_not_sent(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = telegram_runtime(tg, monkeypatch)
    clock = Clock()
    tg.add_message("where is my order?", first_name="Ana")
    poll_channel(engine, rt, clock=clock, due=default_due)
    _answer_each(engine, clock)
    tg.inject_fault("/bot", status=200, body={"ok": True, "result": {"chat": {"id": 1}}})
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    (reply,) = _replies(engine)
    assert (reply.status, reply.platform_id) == ("failed", None)
    assert (reply.last_error or "").startswith("delivery uncertain")
    assert tg.sent == []
