"""An edit read before the message it edits (a webhook delivery the platform retried later, updates read out
of order) makes one message, under the platform's id, with the newest words (real parts: the Telegram
sandbox through requests, the webhook receiver under uvicorn, SQLite).

Before, the edit was stored as a message of its own (``<id>:edit:…``) and the message read late as a second
one: the customer's words twice in the thread.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from connectors.meta.webhook import sign
from connectors.sandbox.meta.server import APP_SECRET, MetaSandbox
from connectors.sandbox.telegram.server import TelegramSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from tests.support.clock import Clock
from tests.support.sandbox_channels import telegram_runtime
from tests.support.webhooks import messages, now, post, wait_processed


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


def _update(text: str, sent: int, edited: int | None = None) -> dict[str, object]:
    message = {
        "message_id": 1,
        "from": {"id": 6001, "first_name": "Eve"},
        "chat": {"id": 6001, "type": "private"},
        "date": sent,
        "text": text,
    }
    if edited is None:
        return {"message": message}
    return {"edited_message": {**message, "edit_date": edited}}


def test_a_telegram_edit_read_before_its_message_makes_one_message(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt, sent = telegram_runtime(tg, monkeypatch), int(time.time()) - 60
    tg.add_raw_update(_update("order 4812 never came (edited)", sent, edited=sent + 30))
    tg.add_raw_update(_update("order 4812 never came (second edit)", sent, edited=sent + 40))
    poll_channel(engine, rt, clock=Clock(), due=default_due)
    tg.add_raw_update(_update("order 4812 never came", sent))
    poll_channel(engine, rt, clock=Clock(), due=default_due)
    [message] = messages(engine)
    assert (message.platform_id, message.text) == ("6001:1", "order 4812 never came (second edit)")
    assert [v["text"] for v in message.raw["versions"]] == [
        "order 4812 never came",
        "order 4812 never came (edited)",
    ]
    poll_channel(engine, rt, clock=Clock(), due=default_due)  # read again: the history does not grow
    tg.add_raw_update(_update("order 4812 never came", sent))
    poll_channel(engine, rt, clock=Clock(), due=default_due)
    [message] = messages(engine)
    assert len(message.raw["versions"]) == 2


def _messenger(meta: MetaSandbox, change: dict[str, object]) -> bytes:
    page = meta.store.page_id
    event = {"sender": {"id": "7001"}, "recipient": {"id": page}, "timestamp": int(now().timestamp() * 1000)}
    entry = {"id": page, "time": 1, "messaging": [{**event, **change}]}
    return json.dumps({"object": "page", "entry": [entry]}).encode()


def test_a_messenger_edit_delivered_before_its_message_makes_one_message(
    receiver_url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    edit = _messenger(meta, {"message_edit": {"mid": "m_1", "text": "my card 4 was charged", "num_edit": 1}})
    original = _messenger(meta, {"message": {"mid": "m_1", "text": "my card was charged"}})
    for count, body in enumerate((edit, original), 1):  # Meta retried the message's delivery after the edit's
        assert post(receiver_url, "fb-acme", body, {"X-Hub-Signature-256": sign(body, APP_SECRET)}).ok
        assert [e.status for e in wait_processed(engine, count)] == ["done"] * count
    [message] = messages(engine)
    assert (message.platform_id, message.text) == ("m_1", "my card 4 was charged")
    assert [v["text"] for v in message.raw["versions"]] == ["my card was charged"]


def _whatsapp(meta: MetaSandbox, wamid: str, kind: str, content: dict[str, object]) -> bytes:
    message = {"from": "33612345678", "id": wamid, "timestamp": str(int(now().timestamp())), "type": kind}
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "33100000000", "phone_number_id": meta.store.phone_number_id},
        "contacts": [{"profile": {"name": "Camille"}, "wa_id": "33612345678"}],
        "messages": [{**message, kind: content}],
    }
    entry = {"id": meta.store.waba_id, "changes": [{"field": "messages", "value": value}]}
    return json.dumps({"object": "whatsapp_business_account", "entry": [entry]}).encode()


def test_a_whatsapp_edit_delivered_before_its_message_makes_one_message(
    receiver_url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    words = {"type": "text", "text": {"body": "Colis 4812 jamais reçu"}}
    edit = _whatsapp(meta, "wamid.E1", "edit", {"original_message_id": "wamid.O1", "message": words})
    original = _whatsapp(meta, "wamid.O1", "text", {"body": "Colis 4821 jamais reçu"})
    for count, body in enumerate((edit, original), 1):
        assert post(receiver_url, "wa-acme", body, {"X-Hub-Signature-256": sign(body, APP_SECRET)}).ok
        assert [e.status for e in wait_processed(engine, count)] == ["done"] * count
    [message] = messages(engine)
    assert (message.platform_id, message.text) == ("wamid.O1", "Colis 4812 jamais reçu")
