"""A WhatsApp ``failed`` status that beats the answer to our POST still fails the reply (real parts: the
Meta sandbox accepting text outside the window then pushing the failed status to the webhook receiver under
uvicorn, requests, SQLite).

Before, the receiver found the reply still being sent and dropped the failure; the send was then recorded,
and the reply stayed "sent" although the customer never got it.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from connectors.sandbox.meta.server import MetaSandbox
from inbox.ingest.channels import Runtime
from inbox.outbox import delivery as outbox
from inbox.store.tables import OutboundReply
from tests.support.webhooks import now, private_answer, wait_processed


def test_a_failed_status_received_before_the_send_was_recorded_fails_the_reply(
    receiver_url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    meta.api.async_window_errors = True  # accepted outside the 24-hour window, then a failed status
    meta.set_webhook(f"{receiver_url}/webhooks/wa-acme", platform="whatsapp")
    reply_id = private_answer(engine, meta, said="Toujours rien", answer="Bonjour !", age=timedelta(hours=30))
    meta.inject_fault("/", after=True, delay=1.5)  # the POST's answer comes after its failed status
    assert outbox.send_one(engine, {rt.name: rt.connector for rt in runtimes}, now)
    assert [e.status for e in wait_processed(engine, 2)] == ["done", "done"]
    with Session(engine) as session:
        reply = session.get(OutboundReply, reply_id)
    assert reply is not None and reply.platform_id == meta.sent[-1]["id"]
    assert (reply.status, reply.last_error) == (
        "failed",
        "WhatsApp could not deliver it: (#131047) Re-engagement message",
    )
