"""A number too long for Python's int (more than 4,300 digits) in one item of a page or webhook body, through
the real listener and receiver against the sandboxes: that item is quarantined and the rest stored; before,
the JSON parser refused the whole body, so the page was read again and refused at every poll (the stream
stuck for good) and a webhook POST's other messages were quarantined with it."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.meta.webhook import sign
from connectors.sandbox.meta.server import APP_SECRET
from connectors.sandbox.telegram.server import DEFAULT_TOKEN, TelegramSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.ingest.webhooks.app import webhook_app
from inbox.ingest.webhooks.receiver import Receiver
from inbox.store.tables import ListeningCursor, Message, QuarantinedItem
from tests.support.clock import Clock
from tests.support.sandbox_channels import telegram_runtime
from tests.support.webhooks import messages, now, post, serve, wait_processed

PAGE = "104000000000001"
HUGE = "9" * 5000  # json.loads refuses it: "Exceeds the limit (4300 digits) for integer string conversion"


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


def _update(update_id: int, user: str, text: str) -> str:
    date = int(datetime.now(UTC).timestamp())
    sender = f'{{"id": {user}, "is_bot": false, "first_name": "Eve"}}'
    chat = f'{{"id": {user}, "type": "private", "first_name": "Eve"}}'
    message = (
        f'{{"message_id": {update_id}, "from": {sender}, "chat": {chat}, "date": {date}, "text": "{text}"}}'
    )
    return f'{{"update_id": {update_id}, "message": {message}}}'


def test_telegram_page_with_a_huge_number_stores_the_rest_and_moves_on(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = telegram_runtime(tg, monkeypatch)
    updates = [_update(10, "4301", "first"), _update(11, HUGE, "poison"), _update(12, "4302", "third")]
    page = f'{{"ok": true, "result": [{", ".join(updates)}]}}'.encode()
    tg.inject_fault(f"/bot{DEFAULT_TOKEN}/getUpdates", status=200, body=page, count=5)
    [report] = poll_channel(engine, rt, clock=Clock(), due=default_due)
    assert report.error is None and (report.new, report.quarantined) == (2, 1)
    with Session(engine) as s:
        assert sorted(s.exec(select(Message.text))) == ["first", "third"]
        [bad] = s.exec(select(QuarantinedItem)).all()
        assert bad.external_id == "update:11"
        assert s.exec(select(ListeningCursor.cursor)).one() == "13"


def _messenger(mid: str, text: str, sender: str = "7001") -> str:
    ms = int(datetime.now(UTC).timestamp() * 1000)
    message = json.dumps({"mid": mid, "text": text})
    return (
        f'{{"sender": {{"id": {sender}}}, "recipient": {{"id": "{PAGE}"}}, "timestamp": {ms}, '
        f'"message": {message}}}'
    )


def _post_three(engine: Engine, runtimes: list[Runtime], poison: str) -> QuarantinedItem:
    """POST "first", ``poison`` and "third" in one signed Messenger body; the two stored, the quarantined."""
    events_ = ", ".join([_messenger("m_1", "first"), poison, _messenger("m_3", "third")])
    data = (
        f'{{"object": "page", "entry": [{{"id": "{PAGE}", "time": 1, "messaging": [{events_}]}}]}}'.encode()
    )
    receiver = Receiver(engine, runtimes, due=default_due, clock=now)
    with serve(webhook_app(receiver)) as base:
        assert post(base, "fb-acme", data, {"X-Hub-Signature-256": sign(data, APP_SECRET)}).status_code == 200
    [event] = wait_processed(engine)
    assert (event.status, event.items) == ("done", 2)
    assert sorted(m.text for m in messages(engine)) == ["first", "third"]
    with Session(engine) as s:
        [bad] = s.exec(select(QuarantinedItem)).all()
    return bad


def test_meta_webhook_with_a_huge_number_in_one_event_stores_the_others(
    engine: Engine, runtimes: list[Runtime]
) -> None:
    bad = _post_three(engine, runtimes, _messenger("m_2", "poison", sender=HUGE))
    assert bad.external_id == "m_2" and "is 5000 bytes long, not an id" in bad.error


def test_meta_webhook_with_a_long_random_id_stores_the_others(
    engine: Engine, runtimes: list[Runtime]
) -> None:
    """A message id of 3,000 random characters (PostgreSQL cannot index a value over 2,704 bytes)."""
    bad = _post_three(engine, runtimes, _messenger("m_" + secrets.token_urlsafe(2300), "poison"))
    assert "external_id is 3069 bytes long" in bad.error


@pytest.mark.parametrize("poison_id", [10**12, 2**70, -3])
def test_a_telegram_update_id_no_bot_api_gives_never_moves_the_offset(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch, poison_id: int
) -> None:
    """Update ids are 32-bit and positive; an offset past 10**12 confirmed (Telegram forgets) every later
    update, and one past 2**63 was refused at every poll: the stream stopped for good."""
    rt = telegram_runtime(tg, monkeypatch)
    tg.add_message("before", first_name="Ana", user_id=42)
    poison = _update(0, "4303", "poison")
    tg.add_raw_update({**json.loads(poison), "update_id": poison_id}, keep_id=True)
    tg.add_message("after", first_name="Ana", user_id=42)
    clock = Clock()
    for _ in range(2):
        assert all(r.error is None for r in poll_channel(engine, rt, clock=clock, due=default_due))
    tg.add_message("later", first_name="Ana", user_id=42)
    assert all(r.error is None for r in poll_channel(engine, rt, clock=clock, due=default_due))
    with Session(engine) as s:
        assert sorted(s.exec(select(Message.text))) == ["after", "before", "later"]
        [bad] = s.exec(select(QuarantinedItem)).all()
        assert "update_id" in bad.error
