"""An automatic message never stops a clock, on any channel, even when the platform's echo of it is stored
before the outbox records it (Meta pushes a Messenger or Instagram echo before the send call returns)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.base import Author, Batch, InboundItem, Sent
from connectors.sandbox.meta.server import MetaSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.page import ingest_batch
from inbox.ingest.webhooks.receiver import Receiver
from inbox.outbox import delivery as outbox
from inbox.store import records as store
from inbox.store.tables import Conversation, Message, OutboundReply

OOH_TEXT = "We are closed now; back tomorrow at 08:00."


@pytest.fixture
def inline_receiver(receiver: Receiver) -> Iterator[str]:
    """A loopback webhook endpoint that ingests each event before answering (the Meta sandbox pushes on the
    caller's thread, so the echo of a send is ingested before the send call returns); its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            name = self.path.rstrip("/").rsplit("/", 1)[-1]
            receiver.process(receiver.store(name, dict(self.headers.items()), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def conversation(engine: Engine, platform_id: str) -> Conversation:
    with Session(engine) as s:
        message = s.exec(select(Message).where(Message.platform_id == platform_id)).one()
        conv = s.get(Conversation, message.conversation_id)
    assert conv is not None
    return conv


def queue_automatic(engine: Engine, conv_id: int, text: str = OOH_TEXT) -> int:
    """The out-of-hours reply as the automation queues it (an ``auto-`` outbox key)."""
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        reply = outbox.enqueue(
            s,
            conv,
            visibility="private",
            text=text,
            actor="automation",
            now=datetime.now(UTC),
            idempotency_key=f"auto-ooh:{conv_id}",
        )
        return reply.id or 0


@pytest.mark.parametrize(("platform", "channel"), [("messenger", "fb-acme"), ("instagram", "ig-acme")])
def test_the_echo_of_an_automatic_dm_stops_no_clock(
    engine: Engine,
    meta: MetaSandbox,
    runtimes: list[Runtime],
    inline_receiver: str,
    platform: str,
    channel: str,
) -> None:
    meta.set_webhook(f"{inline_receiver}/webhooks/{channel}")
    mid = meta.add_message("Where is my parcel?", platform=platform, name="Bob")
    before = conversation(engine, mid)
    assert before.sla_due_at is not None and before.first_response_at is None
    reply_id = queue_automatic(engine, before.id or 0)
    connector = next(rt.connector for rt in runtimes if rt.name == channel)
    assert outbox.send_one(engine, {channel: connector}, lambda: datetime.now(UTC))
    after = conversation(engine, mid)
    with Session(engine) as s:
        reply = s.get(OutboundReply, reply_id)
        assert reply is not None and reply.status == "sent"
        (echo,) = s.exec(select(Message).where(Message.direction == "out")).all()
    assert after.sla_due_at == before.sla_due_at  # the clock still runs
    assert after.first_response_at is None and after.last_outbound_at is None
    assert echo.platform_id == reply.platform_id and echo.raw.get("event")  # stored from the webhook echo
    assert echo.raw.get("outbox") == f"auto-ooh:{before.id}"  # and known for an automatic message


T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def item(external_id: str, direction: str, text: str, minutes: int) -> InboundItem:
    customer = direction == "in"
    return InboundItem(
        channel="x-acme",
        external_id=external_id,
        thread_key="dm-ana",
        kind="dm",
        visibility="private",
        direction="in" if customer else "out",
        author=Author("ana-id", "ana") if customer else Author("brand-id", "AcmeCare"),
        text=text,
        created_at=T0 + timedelta(minutes=minutes),
    )


def ingest(engine: Engine, *items: InboundItem) -> None:
    with Session(engine) as s, s.begin():
        channel = store.ensure_channel(s, "x-acme", "x", "AcmeCare")
        read_at = max([T0, *(i.created_at for i in items)])  # read as they come
        ingest_batch(s, channel, "dms", Batch(list(items), next_cursor=None), due=default_due, now=read_at)


def test_an_echo_the_outbox_cannot_recognise_by_text_gets_its_clock_back_when_the_send_is_recorded(
    engine: Engine,
) -> None:
    ingest(engine, item("1", "in", "my card was charged twice", 0))
    conv = conversation(engine, "1")
    reply_id = queue_automatic(engine, conv.id or 0, "Back at 08:00: https://acme.example/hours")
    # the platform shortened the link: the echo's text is not the text we sent
    ingest(engine, item("e1", "out", "Back at 08:00: https://t.co/x1", 2))
    with Session(engine) as s, s.begin():
        reply = s.get(OutboundReply, reply_id)
        assert reply is not None
        outbox.record_delivery(s, reply, Sent(external_id="e1"), T0 + timedelta(minutes=2))
    after = conversation(engine, "1")
    assert after.sla_due_at == T0 + timedelta(minutes=60)  # the first-response clock runs again
    assert after.first_response_at is None
    with Session(engine) as s:
        echo = s.exec(select(Message).where(Message.platform_id == "e1")).one()
    assert echo.raw["outbox"] == f"auto-ooh:{conv.id}"


def test_a_person_s_answer_echoed_first_still_stops_the_clock(engine: Engine) -> None:
    ingest(engine, item("1", "in", "my card was charged twice", 0))
    conv = conversation(engine, "1")
    with Session(engine) as s, s.begin():
        found = s.get(Conversation, conv.id)
        assert found is not None
        outbox.enqueue(s, found, visibility="private", text="Refunding it", actor="agent", now=T0)
    ingest(engine, item("e1", "out", "Refunding it", 3))
    after = conversation(engine, "1")
    assert (after.first_response_at, after.sla_due_at) == (T0 + timedelta(minutes=3), None)
