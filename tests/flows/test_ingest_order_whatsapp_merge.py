"""A WhatsApp customer who writes from their new number before Meta's "number changed" notice arrives: the two
conversations become one when the notice comes (Meta sandbox, signed webhooks, the real receiver, SQLite or
PostgreSQL).

Cam writes from OLD; Alice takes the conversation, leaves a note and answers. Cam then writes from NEW (a
second conversation: the inbox cannot know yet), where Bob leaves a note. The notice comes: one conversation
at NEW, one contact, the three messages once each, both notes, Alice still on it, its first response Alice's
answer and its running clock the NEW message's (default policy: 60 minutes from it), audited with the
conversation merged in. Before, both conversations stayed, each with a clock: the customer counted twice in
the backlog and the report.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.meta.server import MetaSandbox
from inbox.desk import actions
from inbox.ingest.channels import Runtime
from inbox.outbox import delivery as outbox
from inbox.store.tables import AuditEvent, Contact, Conversation, Message, User
from inbox.store.tables.desk import Note
from tests.support.webhooks import now, wait_processed

OLD, NEW = "33612345678", "33698765432"


def _user(session: Session, name: str) -> User:
    user = User(name=name, password_hash="x", role="agent")
    session.add(user)
    session.flush()
    return user


def _aware(at: datetime | None) -> datetime | None:
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def test_the_new_numbers_conversation_joins_the_old_one_when_the_notice_comes(
    receiver_url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    meta.set_webhook(f"{receiver_url}/webhooks/wa-acme", platform="whatsapp")
    meta.add_message("Ma box ne marche plus", platform="whatsapp", sender=OLD, name="Cam")
    wait_processed(engine, 1)
    with Session(engine) as s, s.begin():
        alice, bob = _user(s, "alice"), _user(s, "bob")
        first = s.exec(select(Conversation)).one()
        assert first.id is not None
        actions.assign(s, first.id, alice.id, alice, now())
        s.add(Note(conversation_id=first.id, author_id=alice.id or 0, text="box 4K", created_at=now()))
        reply = outbox.enqueue(
            s, first, visibility="private", text="Nous regardons.", actor="alice", now=now()
        )
        ids = (first.id, alice.id, bob.id)
    assert reply is not None and outbox.send_one(engine, {rt.name: rt.connector for rt in runtimes}, now)
    time.sleep(1.1)  # WhatsApp times are in seconds: Cam's next message comes after the answer
    meta.add_message(
        "Toujours en panne, c'est mon nouveau numéro", platform="whatsapp", sender=NEW, name="Cam"
    )
    wait_processed(engine, 2)
    with Session(engine) as s, s.begin():
        second = s.exec(select(Conversation).where(Conversation.thread_key == NEW)).one()
        s.add(
            Note(
                conversation_id=second.id or 0, author_id=ids[2] or 0, text="même client ?", created_at=now()
            )
        )
        second_id = second.id
        written = s.exec(select(Message).where(Message.conversation_id == second.id)).one().created_at
    meta.store.customers.pop(NEW)  # the sandbox's own bookkeeping: it moves the old customer record
    meta.change_number(OLD, NEW)
    wait_processed(engine, 3)
    with Session(engine) as s:
        conv = s.exec(select(Conversation)).one()
        messages = s.exec(select(Message).order_by(Message.created_at)).all()  # type: ignore[arg-type]
        contact = s.exec(select(Contact)).one()
        notes = sorted(n.text for n in s.exec(select(Note)))
        [audit] = s.exec(select(AuditEvent).where(AuditEvent.action == "customer.number_changed")).all()
    assert (conv.id, conv.thread_key, conv.assignee_id, contact.platform_id) == (ids[0], NEW, ids[1], NEW)
    assert [
        (m.direction, m.conversation_id, m.contact_id if m.direction == "in" else None) for m in messages
    ] == [
        ("in", conv.id, contact.id),
        ("out", conv.id, None),
        ("in", conv.id, contact.id),
    ]
    assert notes == ["box 4K", "même client ?"]
    assert conv.status == "open" and _aware(conv.first_response_at) == _aware(messages[1].created_at)
    assert _aware(conv.clock_started_at) == _aware(written)
    assert _aware(conv.sla_due_at) == _aware(written) + timedelta(minutes=60)  # type: ignore[operator]
    assert audit.detail == {"contact_moved": True, "conversation_moved": True, "merged": second_id}
