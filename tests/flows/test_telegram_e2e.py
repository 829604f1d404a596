"""A Telegram channel end to end: config → listener → SQLite → outbox → the Bot API sandbox, over loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.telegram.server import DEFAULT_TOKEN, TelegramSandbox
from inbox.charter.deadlines import default_due
from inbox.config.channels import ChannelConfig
from inbox.ingest.channels import MissingCredentials, Runtime, build_connector
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, ListeningCursor, Message, OutboundReply, QuarantinedItem
from tests.support.clock import Clock


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


@pytest.fixture
def rt(tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", DEFAULT_TOKEN)
    cfg = ChannelConfig.model_validate(
        {
            "name": "tg-acme",
            "platform": "telegram",
            "account": "AcmeCareBot",
            "base_url": tg.url,
            "page_size": 5,
            "credentials": {"bot_token": "TELEGRAM_BOT_TOKEN"},
            "options": {"poll_seconds": 0},
        }
    )
    return Runtime(cfg, build_connector(cfg))


def _queue(engine: Engine, visibility: str, text: str) -> int:
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        reply = outbox.enqueue(
            s, conv, visibility=visibility, text=text, actor="agent", now=datetime.now(UTC)
        )
        return reply.id or 0


def test_messages_are_stored_then_answered_once_in_the_chat(
    engine: Engine, tg: TelegramSandbox, rt: Runtime
) -> None:
    for i in range(7):
        tg.add_message(f"Bonjour, question {i}", first_name="Camille", user_id=42, language_code="fr")
    tg.add_raw_update({"message": {"message_id": 99, "chat": {"id": 42}, "date": "yesterday", "text": "?"}})
    clock = Clock()
    reports = poll_channel(engine, rt, clock=clock, due=default_due)
    assert (reports[0].new, reports[0].pages, reports[0].quarantined) == (7, 2, 1)
    with Session(engine) as s:
        conv = s.exec(select(Conversation)).one()
        assert (conv.visibility, conv.thread_key, conv.sla_due_at is not None) == ("private", "42", True)
        assert "date" in s.exec(select(QuarantinedItem)).one().error
    _queue(engine, "private", "Bonjour Camille, nous regardons votre commande.")
    connectors = {rt.name: rt.connector}
    assert outbox.drain(engine, connectors, clock) == 1 and outbox.drain(engine, connectors, clock) == 0
    assert [(s["chat_id"], s["text"]) for s in tg.sent] == [
        (42, "Bonjour Camille, nous regardons votre commande.")
    ]
    tg.add_message("Merci !", first_name="Camille", user_id=42)
    assert poll_channel(engine, rt, clock=clock, due=default_due)[0].new == 1
    with Session(engine) as s:
        conv = s.exec(select(Conversation)).one()  # still one conversation: the chat
        out = s.exec(select(Message).where(Message.direction == "out")).one()
        assert out.platform_id == "42:8" and out.conversation_id == conv.id
        assert conv.first_response_at is not None
        cursor = s.exec(select(ListeningCursor)).one()
        assert cursor.stream == "updates" and cursor.cursor == str(tg.store.next_update_id)
    assert tg.state()["pending_updates"] == 1  # the last update is confirmed by the next poll


def test_a_public_reply_fails_visibly_with_the_reason(
    engine: Engine, tg: TelegramSandbox, rt: Runtime
) -> None:
    tg.add_message("hello", user_id=43)
    clock = Clock()
    poll_channel(engine, rt, clock=clock, due=default_due)
    reply_id = _queue(engine, "public", "hello in public")
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    with Session(engine) as s:
        reply = s.get(OutboundReply, reply_id)
        assert (
            reply is not None and reply.status == "failed" and "no public replies" in (reply.last_error or "")
        )
    assert tg.sent == []


def test_rate_limit_waits_and_a_refused_token_is_fatal(
    engine: Engine, tg: TelegramSandbox, rt: Runtime
) -> None:
    tg.add_message("hello", user_id=44)
    tg.inject_fault("/bot", status=429)
    report = poll_channel(engine, rt, clock=Clock(), due=default_due)[0]
    assert "RateLimited" in str(report.error) and not report.fatal
    with Session(engine) as s:
        cursor = s.exec(select(ListeningCursor)).one()
        assert cursor.retry_at is not None and cursor.cursor is None
    tg.token = "7000000001:rotated"
    later = Clock()
    later.now = later.now.replace(year=later.now.year + 1)
    report = poll_channel(engine, rt, clock=later, due=default_due)[0]
    assert report.fatal and "'tg-acme'" in str(report.error) and "AuthFailed" in str(report.error)


def test_unset_token_variable_is_reported_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TG_TOKEN_UNSET", raising=False)
    cfg = ChannelConfig(
        name="tg-acme",
        platform="telegram",
        account="AcmeCareBot",
        credentials={"bot_token": "TG_TOKEN_UNSET"},
    )
    with pytest.raises(MissingCredentials, match="TG_TOKEN_UNSET"):
        build_connector(cfg)


@pytest.mark.parametrize(
    ("options", "problem"),
    [({"polling": False}, None), ({"poll_seconds": 99}, "poll_seconds"), ({"polling": "no"}, "polling")],
)
def test_channel_options_are_checked(
    monkeypatch: pytest.MonkeyPatch, options: dict[str, object], problem: str | None
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", DEFAULT_TOKEN)
    cfg = ChannelConfig.model_validate(
        {
            "name": "tg-acme",
            "platform": "telegram",
            "account": "AcmeCareBot",
            "credentials": {"bot_token": "TELEGRAM_BOT_TOKEN"},
            "options": options,
        }
    )
    if problem is None:
        assert build_connector(cfg).streams == ()  # webhook-only: the listener never polls it
    else:
        with pytest.raises(ValueError, match=problem):
            build_connector(cfg)
