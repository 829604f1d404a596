"""A delivered reply sent as an approved platform template (WhatsApp outside its 24-hour window) keeps no
bank data in clear: its parameters are masked with its text once delivered (real ingestion and outbox
recording, SQLite)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.base import Sent
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, OutboundReply
from tests.flows.test_automatic_echo import T0, ingest, item

IBAN = "FR76 3000 6000 0112 3456 7890 189"


def test_the_parameters_of_a_delivered_template_are_masked(engine: Engine) -> None:
    ingest(engine, item("1", "in", "what IBAN do I pay the refund back to?", 0))
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        reply = OutboundReply(
            idempotency_key="agent-1",
            channel_id=conv.channel_id,
            conversation_id=conv.id or 0,
            visibility="private",
            recipient_id="ana-id",
            text=f"Hello ana, our IBAN is {IBAN}",
            platform_template={"name": "iban", "language": "en", "parameters": ["ana", IBAN]},
        )
        s.add(reply)
        s.flush()
        outbox.record_delivery(s, reply, Sent(external_id="sent-1"), T0)
    with Session(engine) as s:
        stored = s.exec(select(OutboundReply)).one()
    assert IBAN not in stored.text and IBAN not in str(stored.platform_template)
    assert stored.platform_template == {
        "name": "iban",
        "language": "en",
        "parameters": ["ana", "**** **** **** **** **** ***0 189"],
    }
