"""A WhatsApp or Messenger message whose answer was lost (the Meta sandbox creates it, then drops the
connection): neither has a way to look for it, but WhatsApp's delivery status carries the outbox key back
(``biz_opaque_callback_data``), and so does Messenger's echo (``metadata``): the reply is recorded as sent
from it, never posted a second time."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.meta.server import MetaSandbox
from connectors.sandbox.meta.store import MetaStore
from inbox.ingest.channels import Runtime
from inbox.outbox import delivery as outbox
from inbox.store.tables import AuditEvent, OutboundReply
from tests.support.eventually import eventually
from tests.support.webhooks import events, messages, now, private_answer, wait_processed

SEND_PATH = f"/{MetaStore().phone_number_id}/messages"


def _uncertain_reply(engine: Engine, meta: MetaSandbox, runtimes: list[Runtime], receiver_url: str) -> int:
    """An agent's answer to a customer, sent, whose answer is lost: uncertain. Its status webhook is on."""
    meta.set_webhook(f"{receiver_url}/webhooks/wa-acme", platform="whatsapp")
    said = "Ma box ne marche plus"
    reply_id = private_answer(engine, meta, said=said, answer="Nous regardons.", age=timedelta(minutes=2))
    meta.inject_fault(SEND_PATH, after=True, drop=True)
    assert outbox.send_one(engine, {rt.name: rt.connector for rt in runtimes}, now)
    reply = _sent(engine, reply_id)
    assert reply.status == "failed" and (reply.last_error or "").startswith("delivery uncertain")
    return reply_id


def _status_came(engine: Engine) -> None:
    came = lambda: any(b"statuses" in e.body and e.status == "done" for e in events(engine))  # noqa: E731
    eventually(came, message="the status webhook ingested")


def _sent(engine: Engine, reply_id: int) -> OutboundReply:
    with Session(engine) as session:
        reply = session.get(OutboundReply, reply_id)
        assert reply is not None
        return reply


def test_the_status_webhook_settles_a_lost_answer_without_a_second_message(
    receiver_url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    reply_id = _uncertain_reply(engine, meta, runtimes, receiver_url)
    _status_came(engine)
    outbox.drain(engine, {rt.name: rt.connector for rt in runtimes}, now)
    reply = _sent(engine, reply_id)
    [sent] = [s for s in meta.sent if s["text"] == "Nous regardons."]  # posted once
    assert (reply.status, reply.platform_id) == ("sent", sent["id"])
    assert len(messages(engine, sent["id"])) == 1  # in the thread, once
    with Session(engine) as session:
        found = session.exec(select(AuditEvent).where(AuditEvent.action == "reply.found_on_platform")).one()
    assert found.detail["source"] == "delivery status" and found.actor == "sender"


def test_a_persons_retry_records_what_the_status_confirmed_instead_of_posting(
    receiver_url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    reply_id = _uncertain_reply(engine, meta, runtimes, receiver_url)
    _status_came(engine)
    with Session(engine) as session, session.begin():
        outbox.retry(session, reply_id, "alice", now())
    assert outbox.send_one(engine, {rt.name: rt.connector for rt in runtimes}, now)
    assert _sent(engine, reply_id).status == "sent"
    assert len([s for s in meta.sent if s["text"] == "Nous regardons."]) == 1


def test_without_a_status_the_reply_stays_uncertain_and_a_persons_retry_posts(
    engine: Engine, meta: MetaSandbox, runtimes: list[Runtime], receiver_url: str
) -> None:
    reply_id = _uncertain_reply(engine, meta, runtimes, receiver_url)
    meta.set_webhook(None, platform="whatsapp")  # no status comes back (a receiver down, a lost webhook)
    with Session(engine) as session, session.begin():  # the status that did come is not this reply's
        for event in events(engine):
            if b"statuses" in event.body:
                session.delete(session.merge(event))
    outbox.drain(engine, {rt.name: rt.connector for rt in runtimes}, now)
    assert _sent(engine, reply_id).status == "failed"  # nothing proves it went out: never posted on its own
    with Session(engine) as session, session.begin():
        outbox.retry(session, reply_id, "alice", now())
    assert outbox.send_one(engine, {rt.name: rt.connector for rt in runtimes}, now)
    assert _sent(engine, reply_id).status == "sent"
    assert len([s for s in meta.sent if s["text"] == "Nous regardons."]) == 2  # the person's call


def test_a_messenger_echo_settles_a_lost_answer(
    receiver_url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    meta.set_webhook(f"{receiver_url}/webhooks/fb-acme", platform="facebook")
    said, answer, age = "Ma box ne marche plus", "On regarde.", timedelta(minutes=2)
    reply_id = private_answer(engine, meta, said=said, answer=answer, age=age, platform="messenger")
    meta.inject_fault(f"/{MetaStore().page_id}/messages", after=True, drop=True)
    assert outbox.send_one(engine, {rt.name: rt.connector for rt in runtimes}, now)
    assert _sent(engine, reply_id).status == "failed"  # uncertain
    wait_processed(engine, 2)  # the echo
    outbox.drain(engine, {rt.name: rt.connector for rt in runtimes}, now)
    [sent] = [s for s in meta.sent if s["text"] == "On regarde."]
    assert (_sent(engine, reply_id).status, _sent(engine, reply_id).platform_id) == ("sent", sent["id"])
    assert len(messages(engine, sent["id"])) == 1
