"""An edit sent by another account than the message's author changes nothing and is quarantined (the
Telegram sandbox polled, SQLite).

Before: an ``edited_message`` update whose ``from`` was another user (a forged update; Telegram lets nobody
edit another's message) replaced the author's words in the inbox, the author's own words kept only in the
history.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.telegram.server import TelegramSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import StreamReport, poll_channel
from inbox.store.tables import Message, QuarantinedItem
from tests.support.clock import Clock
from tests.support.sandbox_channels import telegram_runtime

GROUP = -100777


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


def _message(key: str, user: int, text: str, chat: int, **extra: int) -> dict[str, object]:
    chat_type = "private" if chat > 0 else "supergroup"
    sent = int(time.time()) - 60
    body = {"message_id": 1, "from": {"id": user, "first_name": f"U{user}"}, "date": sent, "text": text}
    return {key: {**body, "chat": {"id": chat, "type": chat_type}, **extra}}


def _poll(engine: Engine, rt: Runtime) -> StreamReport:
    (report,) = poll_channel(engine, rt, clock=Clock(), due=default_due)
    return report


@pytest.mark.parametrize("chat", [6001, GROUP], ids=["private", "group"])
def test_an_edit_by_another_user_is_quarantined_and_the_words_kept(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch, chat: int
) -> None:
    rt = telegram_runtime(tg, monkeypatch)
    edited = int(time.time())
    tg.add_raw_update(_message("message", 6001, "@AcmeCareBot refund order 1234 please", chat))
    assert _poll(engine, rt).new == 1
    forged = _message("edited_message", 6004, "@AcmeCareBot cancel everything", chat, edit_date=edited)
    tg.add_raw_update(forged)
    report = _poll(engine, rt)
    assert report.error is None and report.edited == 0 and report.quarantined == 1
    tg.add_raw_update(forged)  # served again: quarantined once
    assert _poll(engine, rt).quarantined == 0
    with Session(engine) as s:
        (message,) = s.exec(select(Message))
        (bad,) = s.exec(select(QuarantinedItem))
    assert message.text == "@AcmeCareBot refund order 1234 please" and "versions" not in message.raw
    assert "6004" in bad.error and "not by its author 6001" in bad.error
    real = _message("edited_message", 6001, "@AcmeCareBot refund order 12345", chat, edit_date=edited + 1)
    tg.add_raw_update(real)
    assert _poll(engine, rt).edited == 1
    with Session(engine) as s:
        assert list(s.exec(select(Message.text))) == ["@AcmeCareBot refund order 12345"]
