"""Two writers storing the same platform message at once (our outbox and the platform's echo by webhook or
poll): the loser's insert hits the unique (channel, platform id) index and is retried, never lost or doubled.

The race is made deterministic: the other writer's row is committed first, and the loser's duplicate check
is made to read stale (it sees nothing), exactly as when the other commit lands between check and insert."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.base import Sent
from connectors.sandbox.meta.server import APP_SECRET, MetaSandbox
from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.ingest.webhooks.receiver import Receiver
from inbox.outbox import delivery as outbox
from inbox.store import records as store
from inbox.store.tables import Channel, Conversation, Message, OutboundReply
from tests.support.webhooks import messenger_body, now


class Checks(list[int]):
    """The duplicate checks made since the last ``clear()``; the first ``stale`` of them read nothing."""

    stale = 1


@pytest.fixture
def stale_once(monkeypatch: pytest.MonkeyPatch) -> Iterator[Checks]:
    """The next duplicate check reads nothing (as if it ran just before another writer's commit)."""
    real = store.stored_platform_ids
    calls = Checks()

    def check(session: Session, channel_id: int, ids: Any) -> dict[str, str]:
        calls.append(channel_id)
        return {} if len(calls) <= calls.stale else real(session, channel_id, ids)

    monkeypatch.setattr(store, "stored_platform_ids", check)
    yield calls


def echo_row(engine: Engine, channel_id: int, conversation_id: int, platform_id: str, text: str) -> None:
    """What the other writer commits: the platform's echo of our message."""
    at = datetime.now(UTC)
    with Session(engine) as s, s.begin():
        s.add(
            Message(
                channel_id=channel_id,
                conversation_id=conversation_id,
                platform_id=platform_id,
                direction="out",
                visibility="public",
                kind="mention",
                text=text,
                created_at=at,
                ingested_at=at,
            )
        )


class EchoedConnector:
    """The real X connector; right after X accepts our reply, its echo is stored by another writer."""

    def __init__(self, real: Any, engine: Engine, conversation_id: int) -> None:
        self.real, self.engine, self.conversation_id = real, engine, conversation_id
        self.name = real.name

    def reply_public(self, to: str, text: str, *, idempotency_key: str) -> Sent:
        sent: Sent = self.real.reply_public(to, text, idempotency_key=idempotency_key)
        with Session(self.engine) as s:
            channel_id = s.exec(select(Channel.id).where(Channel.name == self.name)).one()
        echo_row(self.engine, channel_id or 0, self.conversation_id, sent.external_id, text)
        return sent


def test_the_outbox_marks_a_reply_sent_when_its_echo_was_stored_first(
    engine: Engine,
    sandbox: XSandbox,
    rt: Runtime,
    stale_once: Checks,
) -> None:
    sandbox.add_mention("@AcmeCare my order is late", author="ana")
    poll_channel(engine, rt, clock=lambda: datetime.now(UTC), due=default_due)
    stale_once.clear()  # the stale read is for the outbox's check, not the poll's
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        conv_id = conv.id or 0
        reply_id = outbox.enqueue(
            s, conv, visibility="public", text="@ana Sorry, checking now", actor="agent", now=now()
        ).id
    connector = EchoedConnector(rt.connector, engine, conv_id)
    assert outbox.send_one(engine, {rt.name: connector}, now)  # type: ignore[dict-item]
    assert len(stale_once) >= 2  # the insert collided and the delivery was recorded on the second try
    with Session(engine) as s:
        reply = s.get(OutboundReply, reply_id)
        out = s.exec(select(Message).where(Message.direction == "out")).all()
        conv_after = s.get(Conversation, conv_id)
    assert reply is not None and reply.status == "sent" and len(out) == 1
    assert conv_after is not None and conv_after.first_response_at is not None
    assert len(sandbox.sent_tweets) == 1


def test_a_webhook_event_colliding_with_another_writer_is_ingested_not_failed(
    engine: Engine,
    meta: MetaSandbox,
    runtimes: list[Runtime],
    stale_once: Checks,
) -> None:
    receiver = Receiver(engine, runtimes, due=default_due, clock=now)
    body = messenger_body("m_race", "Where is my parcel?")
    event_id = receiver.store("fb-acme", {"X-Hub-Signature-256": APP_SECRET}, body)
    first = receiver.store("fb-acme", {}, messenger_body("m_first", "hello"))
    assert receiver.process(first) == "done"  # creates the channel and the conversation
    with Session(engine) as s:
        msg = s.exec(select(Message).where(Message.platform_id == "m_first")).one()
    echo_row(engine, msg.channel_id, msg.conversation_id, "m_race", "Where is my parcel?")
    stale_once.clear()
    assert receiver.process(event_id) == "done"
    with Session(engine) as s:
        assert len(s.exec(select(Message).where(Message.platform_id == "m_race")).all()) == 1


@pytest.mark.parametrize("collisions", [1, 3])
def test_a_polled_page_colliding_with_webhook_writes_is_stored_on_a_later_try(
    engine: Engine,
    sandbox: XSandbox,
    rt: Runtime,
    stale_once: Checks,
    collisions: int,
) -> None:
    """Three collisions in a row were seen on the demo's start: the webhook receiver stored another of the
    page's items during each of the poll's tries (a second try was all there was, and the poll failed)."""
    root = sandbox.add_mention("@AcmeCare my order is late", author="ana")
    poll_channel(engine, rt, clock=lambda: datetime.now(UTC), due=default_due)
    again = sandbox.add_mention("@AcmeCare still nothing", author="ana", in_reply_to=root)
    with Session(engine) as s:
        first = s.exec(select(Message).where(Message.platform_id == root)).one()
    echo_row(engine, first.channel_id, first.conversation_id, again, "@AcmeCare still nothing")
    stale_once.clear()
    stale_once.stale = collisions
    reports = poll_channel(engine, rt, clock=lambda: datetime.now(UTC), due=default_due)
    assert all(r.error is None for r in reports) and len(stale_once) >= collisions + 1
    with Session(engine) as s:
        assert len(s.exec(select(Message).where(Message.platform_id == again)).all()) == 1
