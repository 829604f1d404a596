"""What Telegram says about a group itself (a member joined, a pinned message, a new title, the move to a
supergroup) reaches the bot in every group it is in: no one wrote to the brand, so no conversation opens."""

from __future__ import annotations

import json
from typing import Any

import pytest

from connectors.telegram.connector import TelegramConnector
from connectors.telegram.parse import parse_updates

GROUP = {"id": -100123, "type": "supergroup", "title": "Acme Fans"}
MEMBER = {"id": 555, "is_bot": False, "first_name": "Camille"}


def update(n: int, **fields: Any) -> dict[str, Any]:
    message = {"message_id": n, "date": 1772445605, "chat": GROUP, "from": MEMBER, **fields}
    return {"update_id": n, "message": message}


@pytest.mark.parametrize(
    "service",
    [
        {"new_chat_members": [MEMBER]},
        {"new_chat_members": [{"id": 42, "is_bot": True, "first_name": "Acme", "username": "acme_bot"}]},
        {"left_chat_member": MEMBER},
        {"pinned_message": {"message_id": 3, "date": 1772445600, "chat": GROUP, "text": "Règles du groupe"}},
        {"new_chat_title": "Acme Fans officiel"},
        {"migrate_from_chat_id": -123},
        {"video_chat_started": {}},
        {"forum_topic_created": {"name": "Livraisons", "icon_color": 7322096}},
    ],
)
def test_a_service_message_opens_no_conversation(service: dict[str, Any]) -> None:
    items, bad = parse_updates([update(7, **service)], channel="tg-acme", bot_id="42")
    assert (items, bad) == ([], [])


def test_what_a_member_writes_still_arrives() -> None:
    [item], _ = parse_updates(
        [update(8, text="@acme_bot ma box ne marche plus")], channel="tg-acme", bot_id="42"
    )
    assert (item.text, item.visibility, item.thread_key) == (
        "@acme_bot ma box ne marche plus",
        "public",
        "-100123/555",
    )


@pytest.mark.parametrize(
    ("fields", "move"),
    [
        ({"migrate_from_chat_id": -123}, ("-123", "-100123")),
        ({"migrate_to_chat_id": -100999}, ("-100123", "-100999")),
        ({"migrate_from_chat_id": 123}, None),  # a user's id: never a group's
        ({"migrate_to_chat_id": "-100999"}, None),
        ({"migrate_to_chat_id": True}, None),
        ({"migrate_from_chat_id": -100123}, None),  # itself
        ({"migrate_to_chat_id": None}, None),
        ({"migrate_to_chat_id": -(10**30)}, None),  # no chat id: a key too long to store, a page failing
        ({"migrate_from_chat_id": -(2**53)}, None),
    ],
)
def test_a_group_upgrade_is_told_as_a_chat_move_by_webhook_too(
    fields: dict[str, Any], move: tuple[str, str] | None
) -> None:
    conn = TelegramConnector("tg-acme", bot_token="42:secret", polling=False)
    batch = conn.parse_webhook(json.dumps(update(7, **fields)).encode())
    assert (list(batch.items), list(batch.chat_moves)) == ([], [move] if move else [])
    assert conn.parse_webhook(b"<html>").chat_moves == []


def test_a_supergroup_id_of_3000_digits_is_no_move() -> None:
    """A thread key past 2,704 bytes cannot be indexed on PostgreSQL: its page would fail at every poll."""
    conn = TelegramConnector("tg-acme", bot_token="42:secret", polling=False)
    body = json.dumps(update(7, migrate_to_chat_id=-1)).replace("-1}", "-" + "9" * 3000 + "}").encode()
    assert conn.parse_webhook(body).chat_moves == []
