"""Plain helpers of the webhook receiver tests (their fixtures are in tests/flows/conftest.py): the channels
over the Meta sandbox, uvicorn on a free loopback port, signed bodies, reading back events and messages."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
import uvicorn
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from starlette.applications import Starlette

from connectors.sandbox.meta.server import APP_SECRET, PAGE_TOKEN, WHATSAPP_TOKEN, MetaSandbox
from inbox.config.channels import ChannelConfig
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, Message
from inbox.store.tables.webhook_events import WebhookEvent
from tests.conftest import X_ENV

ENV = {
    "META_PAGE_TOKEN": PAGE_TOKEN,
    "META_APP_SECRET": APP_SECRET,
    "META_VERIFY_TOKEN": "verify-me",
    "WA_TOKEN": WHATSAPP_TOKEN,
    "TG_BOT_TOKEN": "123456:sandbox",
    "TG_SECRET": "tg-secret_1",
    **X_ENV,
}
META_CREDS = {
    "page_token": "META_PAGE_TOKEN",
    "app_secret": "META_APP_SECRET",
    "verify_token": "META_VERIFY_TOKEN",
}


def now() -> datetime:
    return datetime.now(UTC)


def channel_configs(meta: MetaSandbox) -> list[ChannelConfig]:
    s, url, nowhere = meta.store, meta.url, "http://127.0.0.1:9"
    wa_creds = {
        "access_token": "WA_TOKEN",
        "app_secret": "META_APP_SECRET",
        "verify_token": "META_VERIFY_TOKEN",
    }
    tables: list[dict[str, Any]] = [
        {
            "name": "fb-acme",
            "platform": "facebook",
            "credentials": META_CREDS,
            "options": {"page_id": s.page_id},
        },
        {
            "name": "ig-acme",
            "platform": "instagram",
            "credentials": META_CREDS,
            "options": {"ig_user_id": s.ig_user_id, "page_id": s.page_id},
        },
        {
            "name": "wa-acme",
            "platform": "whatsapp",
            "credentials": wa_creds,
            "options": {"phone_number_id": s.phone_number_id},
        },
        {
            "name": "x-acme",
            "platform": "x",
            "base_url": nowhere,
            "credentials": {k.lower()[2:]: k for k in X_ENV},
        },
        {
            "name": "tg-acme",
            "platform": "telegram",
            "base_url": nowhere,
            "credentials": {"bot_token": "TG_BOT_TOKEN", "webhook_secret": "TG_SECRET"},
        },
    ]
    return [ChannelConfig.model_validate({"account": "acme", "base_url": url, **t}) for t in tables]


@contextmanager
def serve(app: Starlette) -> Iterator[str]:
    """The app under uvicorn in a thread, on a free loopback port; yields its base URL."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, lifespan="on", log_level="warning", http="h11", ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def events(engine: Engine) -> list[WebhookEvent]:
    with Session(engine) as session:
        return list(session.exec(select(WebhookEvent).order_by(col(WebhookEvent.id))))


def wait_processed(engine: Engine, count: int = 1) -> list[WebhookEvent]:
    deadline = time.monotonic() + 10
    while True:
        found = events(engine)
        if len(found) >= count and all(e.status != "pending" for e in found):
            return found
        assert time.monotonic() < deadline, f"events not processed: {[(e.id, e.status) for e in found]}"
        time.sleep(0.05)


def messages(engine: Engine, platform_id: str | None = None) -> list[Message]:
    with Session(engine) as session:
        stmt = select(Message)
        if platform_id is not None:
            stmt = stmt.where(Message.platform_id == platform_id)
        return list(session.exec(stmt))


def post(base: str, channel: str, body: bytes, headers: dict[str, str] | None = None) -> requests.Response:
    return requests.post(f"{base}/webhooks/{channel}", data=body, headers=headers or {}, timeout=10)


def messenger_body(mid: str = "m_1", text: str = "Hello?") -> bytes:
    event = {
        "sender": {"id": "7001"},
        "recipient": {"id": "104000000000001"},
        "timestamp": int(now().timestamp() * 1000),
        "message": {"mid": mid, "text": text},
    }
    return json.dumps(
        {"object": "page", "entry": [{"id": "104000000000001", "time": 1, "messaging": [event]}]}
    ).encode()


def private_answer(
    engine: Engine, meta: MetaSandbox, *, said: str, answer: str, age: timedelta, platform: str = "whatsapp"
) -> int:
    """A customer wrote ``said`` ``age`` ago on ``platform`` (through the receiver); an agent's private
    ``answer`` waits in the outbox. Its reply id."""
    wamid = meta.add_message(said, platform=platform, name="Cam", created_at=now() - age)
    wait_processed(engine)
    [inbound] = messages(engine, wamid)
    with Session(engine) as session, session.begin():
        conv = session.get(Conversation, inbound.conversation_id)
        assert conv is not None
        reply = outbox.enqueue(session, conv, visibility="private", text=answer, actor="agent", now=now())
        assert reply.id is not None
        return reply.id
