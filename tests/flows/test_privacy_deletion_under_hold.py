"""A legal hold keeps a person's data from a deletion on the platform too: when a customer under legal hold
unsends a Messenger message, the inbox keeps its copy (the hold says it must be kept) and audits why, where
it would otherwise erase it (real receiver and Meta sandbox, SQLite)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.meta.server import MetaSandbox
from inbox.privacy.subject import find_subject, set_hold
from inbox.store.tables import AuditEvent, Contact, Message
from tests.support.webhooks import messages, now, wait_processed


def test_an_unsent_message_of_a_person_under_legal_hold_is_kept(
    receiver_url: str, engine: Engine, meta: MetaSandbox
) -> None:
    meta.set_webhook(f"{receiver_url}/webhooks/fb-acme", platform="facebook")
    kept = meta.add_message(
        "zebracorn: the contract says", platform="messenger", created_at=now() - timedelta(minutes=3)
    )
    wait_processed(engine)
    with Session(engine) as s, s.begin():
        contact_id = s.exec(select(Message.contact_id).where(Message.platform_id == kept)).one()
        contact = s.get(Contact, contact_id)
        assert contact is not None
        set_hold(
            s, find_subject(s, f"fb-acme:{contact.platform_id}"), "litigation 42", actor="admin", now=now()
        )
    meta.delete_message(kept)
    wait_processed(engine)
    (message,) = messages(engine, kept)
    assert message.text == "zebracorn: the contract says" and message.raw
    with Session(engine) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "message.deletion_kept")).one()
    assert event.detail == {"message": message.id, "why": "legal hold"}
