"""A Telegram group upgraded to a supergroup gets a new chat id: Telegram says so with a service message in
each chat (``migrate_to_chat_id`` in the old, ``migrate_from_chat_id`` in the new) and refuses a send to
the old id (400 "group chat was upgraded to a supergroup chat", ``parameters.migrate_to_chat_id``). Each
member's conversation follows to the new id, and a reply goes to the supergroup, once (the Telegram
sandbox, the real connector, listener and outbox, SQLite).

Before: what a member wrote after the upgrade opened a second conversation with a clock of its own, and a
reply queued for the old group failed for good ("group chat was upgraded"), the customer unanswered.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.telegram.server import TelegramSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, Message, OutboundReply
from tests.support.clock import Clock
from tests.support.sandbox_channels import telegram_runtime

OLD, NEW = -4001234567, -1009876543210


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


@pytest.fixture
def listening(engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch) -> tuple[Runtime, Clock]:
    """The bot's channel; Jonas and Léa have written in the basic group OLD, read once."""
    rt, clock = telegram_runtime(tg, monkeypatch), Clock()
    tg.add_group_message("@AcmeCareBot ma box ne marche plus", group_id=OLD, kind="group", user_id=43)
    tg.add_group_message("@AcmeCareBot pareil", group_id=OLD, kind="group", user_id=44)
    _poll(engine, rt, clock)
    return rt, clock


def _poll(engine: Engine, rt: Runtime, clock: Clock) -> None:
    assert [r.error for r in poll_channel(engine, rt, clock=clock, due=default_due)] == [None]


def _threads(engine: Engine) -> dict[str, list[str]]:
    """Each conversation's thread key and its messages' texts."""
    with Session(engine) as s:
        convs = s.exec(select(Conversation).order_by(Conversation.id)).all()
        return {
            c.thread_key: [m.text for m in s.exec(select(Message).where(Message.conversation_id == c.id))]
            for c in convs
        }


def _reply(engine: Engine, thread_key: str, text: str, clock: Clock) -> int:
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation).where(Conversation.thread_key == thread_key)).one()
        reply = outbox.enqueue(s, conv, visibility="public", text=text, actor="agent", now=clock())
        s.flush()
        assert reply.id is not None
        return reply.id


def test_members_conversations_follow_the_group_to_its_supergroup(
    engine: Engine, tg: TelegramSandbox, listening: tuple[Runtime, Clock]
) -> None:
    rt, clock = listening
    tg.migrate_group(OLD, NEW)
    tg.add_group_message("@AcmeCareBot toujours rien", group_id=NEW, user_id=43)
    _poll(engine, rt, clock)
    _poll(engine, rt, clock)
    assert _threads(engine) == {
        f"{NEW}/43": ["@AcmeCareBot ma box ne marche plus", "@AcmeCareBot toujours rien"],
        f"{NEW}/44": ["@AcmeCareBot pareil"],
    }
    _reply(engine, f"{NEW}/43", "Bonjour Jonas, nous regardons.", clock)
    assert outbox.drain(engine, {rt.name: rt.connector}, clock) == 1
    assert [(m["chat_id"], m["text"]) for m in tg.sent] == [(NEW, "Bonjour Jonas, nous regardons.")]


def test_a_reply_queued_for_the_old_group_goes_to_the_supergroup_once(
    engine: Engine, tg: TelegramSandbox, listening: tuple[Runtime, Clock]
) -> None:
    rt, clock = listening
    reply_id = _reply(engine, f"{OLD}/44", "Bonjour Léa, nous regardons.", clock)
    tg.migrate_group(OLD, NEW)  # before the outbox ran, and before the listener read the notice
    assert outbox.drain(engine, {rt.name: rt.connector}, clock) == 1
    assert [(m["chat_id"], m["text"]) for m in tg.sent] == [(NEW, "Bonjour Léa, nous regardons.")]
    with Session(engine) as s:
        sent = s.get(OutboundReply, reply_id)
        assert sent is not None and sent.status == "sent" and (sent.platform_id or "").startswith(f"{NEW}:")
    _poll(engine, rt, clock)
    assert set(_threads(engine)) == {f"{NEW}/43", f"{NEW}/44"}
