"""A WhatsApp customer changes phone number (a ``system`` message, pushed by the Meta sandbox, signed, to
the real receiver): their conversation follows them, the agents' answers go to the new number, and nothing
is stored as a customer message."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.meta.webhook import sign
from connectors.sandbox.meta.server import APP_SECRET, MetaSandbox
from inbox.ingest.channels import Runtime
from inbox.outbox import delivery as outbox
from inbox.privacy.erase import erase
from inbox.store.tables import AuditEvent, Contact, Conversation, Message
from tests.support.eventually import eventually
from tests.support.privacy_flows import every_value
from tests.support.webhooks import events, now, post, wait_processed

OLD, NEW = "33612345678", "33698765432"


def _rows(engine: Engine) -> tuple[list[Conversation], list[Message], list[Contact], list[AuditEvent]]:
    with Session(engine) as s:
        changed = AuditEvent.action == "customer.number_changed"
        return (
            list(s.exec(select(Conversation))),
            list(s.exec(select(Message).order_by(Message.id))),  # type: ignore[arg-type]
            list(s.exec(select(Contact))),
            list(s.exec(select(AuditEvent).where(changed))),
        )


def _writes(meta: MetaSandbox, engine: Engine, sender: str, text: str, name: str, events_then: int) -> None:
    """The customer writes from ``sender``; wait until the receiver has processed ``events_then`` events."""
    meta.add_message(text, platform="whatsapp", sender=sender, name=name)
    wait_processed(engine, events_then)


def test_the_conversation_and_the_answers_follow_the_new_number(
    receiver_url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    meta.set_webhook(f"{receiver_url}/webhooks/wa-acme", platform="whatsapp")
    meta.add_message(
        "Ma box ne marche plus",
        platform="whatsapp",
        sender=OLD,
        name="Cam",
        created_at=now() - timedelta(minutes=5),
    )
    wait_processed(engine)
    meta.change_number(OLD, NEW)
    wait_processed(engine, 2)
    [conv], [message], [contact], [audit] = _rows(engine)
    assert (conv.thread_key, contact.platform_id) == (NEW, NEW)
    assert message.author_platform_id == OLD  # what was written from the old number keeps it
    assert audit.detail == {"contact_moved": True, "conversation_moved": True}
    assert OLD not in str(audit.detail) and NEW not in str(audit.detail)

    with Session(engine) as s, s.begin():
        c = s.get(Conversation, conv.id)
        assert c is not None
        reply = outbox.enqueue(s, c, visibility="private", text="Nous regardons.", actor="agent", now=now())
        assert reply.recipient_id == NEW
    assert outbox.send_one(engine, {rt.name: rt.connector for rt in runtimes}, now)
    assert (meta.sent[-1]["to"], meta.sent[-1]["failed"]) == (NEW, None)

    _writes(meta, engine, NEW, "Merci, c'est mon nouveau numéro", "Cam", 3)
    convs, messages, contacts, audits = _rows(engine)
    assert [c.id for c in convs] == [conv.id] and len(contacts) == 1  # one customer, one conversation
    assert [m.direction for m in messages] == ["in", "out", "in"]

    notice = next(e for e in events(engine) if b'"system"' in e.body)  # Meta may send it twice
    post(receiver_url, "wa-acme", notice.body, {"X-Hub-Signature-256": sign(notice.body, APP_SECRET)})
    eventually(lambda: len(events(engine)) == 4 and events(engine)[-1].status == "done", message="replayed")
    assert len(_rows(engine)[3]) == 1


def test_a_customer_who_already_wrote_from_the_new_number_gets_one_conversation(
    receiver_url: str, engine: Engine, meta: MetaSandbox
) -> None:
    """The merge itself: tests/flows/test_ingest_order_whatsapp_merge.py."""
    meta.set_webhook(f"{receiver_url}/webhooks/wa-acme", platform="whatsapp")
    _writes(meta, engine, OLD, "Ancien numéro", "Cam", 1)
    _writes(meta, engine, NEW, "Nouveau numéro", "Cam", 2)
    meta.store.customers.pop(NEW)  # the sandbox's own bookkeeping: it moves the old customer record
    meta.change_number(OLD, NEW)
    wait_processed(engine, 3)
    convs, messages, contacts, [audit] = _rows(engine)
    assert [c.thread_key for c in convs] == [NEW] and len(messages) == 2
    assert [c.platform_id for c in contacts] == [NEW]
    assert audit.detail == {"contact_moved": True, "conversation_moved": True, "merged": convs[0].id + 1}
    notice = next(e for e in events(engine) if b'"system"' in e.body)  # Meta may send it twice
    post(receiver_url, "wa-acme", notice.body, {"X-Hub-Signature-256": sign(notice.body, APP_SECRET)})
    eventually(lambda: events(engine)[-1].status == "done" and len(events(engine)) == 4, message="replayed")
    assert len(_rows(engine)[3]) == 1  # said once


def test_a_customer_who_changed_number_is_found_and_erased_by_either_number(
    receiver_url: str, engine: Engine, meta: MetaSandbox
) -> None:
    meta.set_webhook(f"{receiver_url}/webhooks/wa-acme", platform="whatsapp")
    # a name too short to be looked for: only the two numbers find the webhook bodies that carried them
    _writes(meta, engine, OLD, "Ma box ne marche plus", "Jo", 1)
    meta.change_number(OLD, NEW)
    wait_processed(engine, 2)
    _writes(meta, engine, NEW, "Toujours en panne", "Jo", 3)
    report = erase(engine, f"wa-acme:{OLD}", actor="dpo", reason="GDPR art. 17", now=now())
    assert (report.contacts, report.messages) == (1, 2)
    kept = every_value(engine)
    assert OLD not in kept and NEW not in kept  # nor in the webhook bodies that carried them
