"""A message dated before its platform opened is dated when it reached us, its platform date kept in raw
(the Telegram sandbox polled, the Meta sandbox's signed webhook through the receiver, SQLite).

Before: a Telegram message with ``date: 0`` was stored as written on 1970-01-01, and a Messenger message
whose ``timestamp`` a gateway had converted from milliseconds to seconds twice as written on 1970-01-21: each
conversation was breached from the start and counted so in the figures.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.meta.webhook import sign
from connectors.sandbox.meta.server import APP_SECRET, MetaSandbox
from connectors.sandbox.telegram.server import TelegramSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.store.tables import Conversation, Message
from tests.support.clock import Clock
from tests.support.sandbox_channels import telegram_runtime
from tests.support.webhooks import messages, now, post, wait_processed


def _aware(when: datetime | None) -> datetime:
    assert when is not None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _update(message_id: int, user: int, date: int, text: str) -> dict[str, object]:
    sender = {"id": user, "first_name": "Eve"}
    chat = {"id": user, "type": "private"}
    return {"message": {"message_id": message_id, "from": sender, "chat": chat, "date": date, "text": text}}


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


def test_a_telegram_message_dated_1970_is_dated_when_read(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = telegram_runtime(tg, monkeypatch)
    written_2020 = int(datetime(2020, 5, 4, tzinfo=UTC).timestamp())
    tg.add_raw_update(_update(1, 6001, 0, "my card was charged twice"))
    tg.add_raw_update(_update(2, 6002, written_2020, "an old message, truly from 2020"))
    clock = Clock()
    (report,) = poll_channel(engine, rt, clock=clock, due=default_due)
    assert report.error is None and report.new == 2 and report.quarantined == 0
    with Session(engine) as s:
        epoch = s.exec(select(Message).where(Message.platform_id == "6001:1")).one()
        old = s.exec(select(Message).where(Message.platform_id == "6002:2")).one()
        conv = s.get(Conversation, epoch.conversation_id)
        assert conv is not None
        assert _aware(epoch.created_at) == clock.now
        assert epoch.raw["_inbox"]["platform_time"] == "1970-01-01T00:00:00+00:00"
        assert _aware(conv.sla_due_at) > clock.now  # not breached from the start
        assert _aware(old.created_at) == datetime(2020, 5, 4, tzinfo=UTC)  # a possible date is kept


def test_a_meta_timestamp_a_thousand_times_too_small_is_dated_when_received(
    receiver_url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    page = meta.store.page_id
    event = {
        "sender": {"id": "7001"},
        "recipient": {"id": page},
        "timestamp": int(now().timestamp()) // 1000,  # converted to seconds twice: 1970-01-21
        "message": {"mid": "m_seconds", "text": "where is my refund?"},
    }
    body = json.dumps({"object": "page", "entry": [{"id": page, "time": 1, "messaging": [event]}]}).encode()
    before = now()
    answer = post(receiver_url, "fb-acme", body, {"X-Hub-Signature-256": sign(body, APP_SECRET)})
    assert answer.status_code == 200
    assert [e.status for e in wait_processed(engine)] == ["done"]
    (stored,) = messages(engine)
    assert before - timedelta(seconds=5) <= _aware(stored.created_at) <= now() + timedelta(seconds=5)
    assert stored.raw["_inbox"]["platform_time"].startswith("1970-01-")
