"""Signed webhook bodies of odd shapes through the real receiver (uvicorn, SQLite or PostgreSQL).

Before: a body holding a card number (masked before it is stored) and half an emoji (``\\ud83d``) could not
be stored at all: the masked body was written back as UTF-8 with the lone surrogate in it, the receiver
answered 503 at every delivery, and Meta's retries lost the POST's messages for good.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import Engine

from connectors.meta.webhook import sign
from connectors.sandbox.meta.server import APP_SECRET
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.webhooks.app import webhook_app
from inbox.ingest.webhooks.receiver import Receiver
from tests.support.webhooks import messages, now, post, serve, wait_processed

PAGE = "104000000000001"


def _body(*texts: str) -> bytes:
    ms = int(datetime.now(UTC).timestamp() * 1000)
    events = [
        {
            "sender": {"id": "7001"},
            "recipient": {"id": PAGE},
            "timestamp": ms + i,
            "message": {"mid": f"m_{i}", "text": text},
        }
        for i, text in enumerate(texts)
    ]
    return json.dumps({"object": "page", "entry": [{"id": PAGE, "time": 1, "messaging": events}]}).encode()


def test_a_card_number_beside_half_an_emoji_is_stored_masked(engine: Engine, runtimes: list[Runtime]) -> None:
    body = _body("card 4111 1111 1111 1111 was charged twice \ud83d", "and my parcel?")
    receiver = Receiver(engine, runtimes, due=default_due, clock=now)
    with serve(webhook_app(receiver)) as base:
        answer = post(base, "fb-acme", body, {"X-Hub-Signature-256": sign(body, APP_SECRET)})
    assert answer.status_code == 200, answer.text
    [event] = wait_processed(engine)
    assert (event.status, event.items) == ("done", 2)
    assert b"4111 1111 1111 1111" not in event.body
    texts = sorted(m.text for m in messages(engine))
    assert texts == ["and my parcel?", "card **** **** **** 1111 was charged twice \ufffd"]
