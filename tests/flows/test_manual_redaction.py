"""An agent redacts part of a stored message by hand (#15.4): every occurrence in the text, the raw payload
and the channel's webhook bodies becomes as many █, the rest stays; audited without the redacted text. On
SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.access import PermissionDenied
from inbox.desk import redaction
from inbox.store.tables import AuditEvent, Message, User, WebhookEvent
from tests.support.privacy_flows import every_value
from tests.support.seed_desk import seed

NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
SECRET = "12 rue des Lilas"


def json_body(text: str) -> bytes:
    return json.dumps({"entry": [{"message": {"text": text}}]}).encode()


def test_an_agent_redacts_an_address_everywhere_it_is_stored(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    with Session(engine) as s, s.begin():
        message = s.exec(select(Message).where(Message.conversation_id == seeded.conversations["late"])).one()
        message.text = f"deliver to {SECRET} please, {SECRET}!"
        message.raw = {"text": message.text, "user": {"location": SECRET}, "id": "m-1"}
        s.add(
            WebhookEvent(
                channel_id=message.channel_id, body=json_body(message.text), status="done", received_at=NOW
            )
        )
        message_id = message.id
    with Session(engine) as s, s.begin():
        alice = s.get(User, seeded.users["alice"])
        assert alice is not None and message_id is not None
        with pytest.raises(redaction.RedactionError):
            redaction.redact(s, message_id, "not there", alice, NOW)
        with pytest.raises(redaction.RedactionError):
            redaction.redact(s, message_id, " ", alice, NOW)
        redaction.redact(s, message_id, SECRET, alice, NOW)
    blocks = "█" * len(SECRET)
    with Session(engine) as s:
        stored = s.get(Message, message_id)
        (event,) = s.exec(select(AuditEvent).where(AuditEvent.action == "message.redacted")).all()
    assert stored is not None and stored.text == f"deliver to {blocks} please, {blocks}!"
    assert stored.raw["user"]["location"] == blocks and stored.raw["id"] == "m-1"
    assert event.actor == "alice" and event.detail == {"message": message_id, "characters": len(SECRET)}
    assert "Lilas" not in every_value(engine)


def test_a_deactivated_user_cannot_redact(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    with Session(engine) as s, s.begin():
        alice = s.get(User, seeded.users["alice"])
        assert alice is not None
        alice.active = False
        message_id = s.exec(select(Message.id)).first()
        assert message_id is not None
        with pytest.raises(PermissionDenied):
            redaction.redact(s, message_id, "parcel", alice, NOW)
