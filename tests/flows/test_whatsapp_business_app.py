"""A number shared between the Cloud API and the WhatsApp Business app: someone at the brand answers a
customer from the app on the phone. Meta pushes it (``smb_message_echoes``); the inbox shows it as the
brand's answer and the response clock stops, so no agent answers the customer a second time."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from connectors.sandbox.meta.server import MetaSandbox
from inbox.store.tables import Conversation
from tests.support.webhooks import messages, now, wait_processed


def test_an_answer_from_the_business_app_stops_the_clock(
    receiver_url: str, engine: Engine, meta: MetaSandbox
) -> None:
    meta.set_webhook(f"{receiver_url}/webhooks/wa-acme", platform="whatsapp")
    asked = meta.add_message(
        "Ma box ne marche plus", platform="whatsapp", name="Cam", created_at=now() - timedelta(minutes=5)
    )
    wait_processed(engine)
    [question] = messages(engine, asked)
    answered = meta.reply_from_business_app(meta.customer_id("whatsapp", "Cam"), "On regarde, Cam.")
    wait_processed(engine, 2)
    [answer] = messages(engine, answered)
    assert (answer.direction, answer.conversation_id, answer.text) == (
        "out",
        question.conversation_id,
        "On regarde, Cam.",
    )
    with Session(engine) as session:
        conv = session.get(Conversation, question.conversation_id)
        assert conv is not None and conv.sla_due_at is None and conv.last_outbound_at is not None
