"""A conversation in a Telegram group says which group it happens in (its customers and the brand's answer
are read by everyone there); a private conversation says nothing of the kind."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from inbox.store.tables import Message
from tests.support.seed_desk import Seeded, add_conversation
from tests.support.ui import app_as, database, open_conv


def _group_conversation(db_url: str, seeded: Seeded, title: str) -> int:
    update = {
        "update_id": 7,
        "message": {
            "message_id": 41,
            "chat": {"id": -100123, "type": "supergroup", "title": title},
            "from": {"id": 555, "first_name": "Camille"},
            "text": "@acme_bot ma box ne marche plus",
        },
    }
    with database(db_url) as s, s.begin():  # the engine disposed after (no connection left open)
        conv_id = add_conversation(
            s,
            seeded.channel_id,
            handle="camille_tg",
            text="ma box ne marche plus",
            received=datetime.now(UTC),
            due=None,
        )
        message = s.exec(select(Message).where(Message.conversation_id == conv_id)).one()
        message.raw = {"update": update}
    return conv_id


def _badges(seeded: Seeded, conv_id: int) -> str:
    at = open_conv(app_as(seeded, "alice"), conv_id)
    assert not at.exception
    return " ".join(m.value for m in at.markdown)


def test_a_group_conversation_names_its_group(seeded: Seeded, db_url: str) -> None:
    shown = _badges(seeded, _group_conversation(db_url, seeded, "Acme [Fans]"))
    assert "Group “Acme \\[Fans\\]”" in shown  # the title is the customers' words: escaped


def test_a_private_conversation_names_no_group(seeded: Seeded) -> None:
    assert "Group “" not in _badges(seeded, seeded.conversations["dm"])
