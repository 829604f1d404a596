"""A Telegram group the brand's bot is in is a public place: everyone in it reads what is said there. A
member's message there is a public conversation of its own, answered in the group (quoting it); a
private answer goes to the member's private chat with the bot, never to the group (the Telegram sandbox,
the real connector, listener and outbox)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.telegram.server import TelegramSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, OutboundReply
from tests.support.clock import Clock
from tests.support.e2e import post_json
from tests.support.sandbox_channels import telegram_runtime

GROUP = -1001234567890


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


def _conversations(engine: Engine) -> list[Conversation]:
    with Session(engine) as s:
        return list(s.exec(select(Conversation).order_by(Conversation.id)))


def _send(engine: Engine, conv_id: int | None, visibility: str, text: str, clock: Clock) -> OutboundReply:
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        reply = outbox.enqueue(s, conv, visibility=visibility, text=text, actor="agent", now=clock())
        s.flush()
        s.expunge(reply)
        return reply


def test_a_group_message_is_public_and_answered_in_the_group(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt, clock = telegram_runtime(tg, monkeypatch), Clock()
    tg.add_message("Bonjour, ma commande 48213 ?", first_name="Camille", user_id=42)
    tg.add_group_message("@AcmeCareBot ma box ne marche plus depuis hier", first_name="Jonas", user_id=43)
    tg.add_group_message("@AcmeCareBot pareil pour moi !", first_name="Léa", user_id=44)
    poll_channel(engine, rt, clock=clock, due=default_due)
    convs = _conversations(engine)
    assert [(c.visibility, c.thread_key) for c in convs] == [
        ("private", "42"),
        ("public", f"{GROUP}/43"),
        ("public", f"{GROUP}/44"),
    ]

    _send(engine, convs[1].id, "public", "Bonjour Jonas, nous regardons tout de suite.", clock)
    _send(
        engine, convs[2].id, "private", "Bonjour Léa, pouvez-vous nous donner votre numéro de client ?", clock
    )
    assert outbox.drain(engine, {rt.name: rt.connector}, clock) == 2
    public, private = tg.sent
    assert (public["chat_id"], public["reply_to"]) == (GROUP, 1)  # in the group, quoting Jonas
    assert private["chat_id"] == 44  # Léa's private chat with the bot, not the group
    with Session(engine) as s:
        statuses = [r.status for r in s.exec(select(OutboundReply))]
    assert statuses == ["sent", "sent"]


def test_a_private_chat_still_has_no_public_reply(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt, clock = telegram_runtime(tg, monkeypatch), Clock()
    tg.add_message("Bonjour, ma commande 48213 ?", first_name="Camille", user_id=42)
    poll_channel(engine, rt, clock=clock, due=default_due)
    [conv] = _conversations(engine)
    reply = _send(engine, conv.id, "public", "Bonjour Camille", clock)
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    with Session(engine) as s:
        failed = s.get(OutboundReply, reply.id)
        assert (
            failed is not None
            and failed.status == "failed"
            and "no public replies" in (failed.last_error or "")
        )
    assert tg.sent == []


def test_the_control_api_writes_in_a_group(tg: TelegramSandbox) -> None:
    update = post_json(f"{tg.url}/_sandbox/group_messages", {"text": "@AcmeCareBot help", "user_id": 45})
    assert update["message"]["chat"] == {"id": GROUP, "type": "supergroup", "title": "Acme Fans"}
    assert update["message"]["from"]["id"] == 45
