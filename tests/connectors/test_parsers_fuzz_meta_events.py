"""The Meta webhook shapes read since 2026-12-07, fed arbitrary and mutated JSON: WhatsApp edits, deletions
(revoke), changed numbers (system), opened chats, unsupported messages, answers typed in the Business app
(smb_message_echoes) and delivery statuses carrying our key; Messenger and Instagram taps (postback),
unsent messages and echoes carrying our key; Facebook photo comments. Items or Malformed out, never an
exception, and every reader of ids (deletions, moves, confirmations) gives strings or nothing."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from connectors.meta.events import parse_event
from connectors.meta.removals import echoed_keys, moved_ids, removed_ids, revoked_ids, unsent_ids
from connectors.telegram.parse import parse_updates
from tests.connectors.test_parsers_fuzz import MESSENGER
from tests.support.fuzz import FUZZ, any_json, any_text, check, mutated

WA_MESSAGES = [
    {
        "from": "3361",
        "id": "wamid.E",
        "timestamp": "1767225600",
        "type": "edit",
        "edit": {
            "original_message_id": "wamid.1",
            "message": {"type": "text", "text": {"body": "new words"}},
        },
    },
    {
        "from": "3361",
        "id": "wamid.R",
        "timestamp": "1767225600",
        "type": "revoke",
        "revoke": {"original_message_id": "wamid.1"},
    },
    {
        "from": "3361",
        "id": "wamid.S",
        "timestamp": "1767225600",
        "type": "system",
        "system": {"body": "User changed", "wa_id": "3362", "type": "user_changed_number"},
    },
    {"from": "3361", "id": "wamid.W", "timestamp": "1767225600", "type": "request_welcome"},
    {
        "from": "3361",
        "id": "wamid.U",
        "timestamp": "1767225600",
        "type": "unsupported",
        "unsupported": {"type": "poll_creation"},
        "errors": [{"code": 131051}],
    },
]
WA_ECHO = {
    "from": "3310",
    "to": "3361",
    "id": "wamid.A",
    "timestamp": "1767225600",
    "type": "text",
    "text": {"body": "from the app"},
}
STATUS = {"id": "wamid.0", "status": "sent", "recipient_id": "3361", "biz_opaque_callback_data": "key"}


def whatsapp(value: Any, field: str = "messages") -> dict[str, Any]:
    change = {"field": field, "value": value}
    return {"object": "whatsapp_business_account", "entry": [{"id": "waba", "changes": [change]}]}


def messenger(*events: Any, obj: str = "page") -> dict[str, Any]:
    return {"object": obj, "entry": [{"id": "999", "time": 1767225600000, "messaging": list(events)}]}


TAP = {
    "sender": {"id": "333"},
    "recipient": {"id": "999"},
    "timestamp": 1767225600000,
    "postback": {"title": "Parler à un conseiller", "payload": "AGENT", "mid": "m_tap"},
}
UNSENT = {
    "sender": {"id": "333"},
    "recipient": {"id": "999"},
    "timestamp": 1767225600000,
    "message": {"mid": "m_1", "is_deleted": True},
}
ECHO = {
    "sender": {"id": "999"},
    "recipient": {"id": "333"},
    "timestamp": 1767225600000,
    "message": {"mid": "m_2", "is_echo": True, "metadata": "key", "text": "On regarde."},
}
_FEED = MESSENGER["entry"][0]["changes"][0]
_PHOTO = {k: v for k, v in _FEED["value"].items() if k != "message"} | {
    "photo": "https://scontent.example/p.jpg"
}
PHOTO_COMMENT = {
    "object": "page",
    "entry": [{"id": "999", "time": 1, "changes": [{**_FEED, "value": _PHOTO}]}],
}
WA_VALUE = {
    "metadata": {"phone_number_id": "999"},
    "contacts": [{"wa_id": "3361"}],
    "messages": WA_MESSAGES,
    "statuses": [STATUS],
}

CASES = st.one_of(
    st.tuples(st.just("whatsapp"), mutated(whatsapp(WA_VALUE))),
    st.tuples(
        st.just("whatsapp"),
        mutated(
            whatsapp(
                {"metadata": {"phone_number_id": "999"}, "message_echoes": [WA_ECHO]}, "smb_message_echoes"
            )
        ),
    ),
    st.tuples(st.just("facebook"), mutated(messenger(TAP, UNSENT, ECHO))),
    st.tuples(st.just("instagram"), mutated(messenger(TAP, UNSENT, obj="instagram"))),
    st.tuples(st.just("facebook"), mutated(PHOTO_COMMENT)),
    st.tuples(st.sampled_from(["facebook", "instagram", "whatsapp"]), st.dictionaries(any_text, any_json)),
)


@FUZZ
@given(CASES)
def test_new_meta_shapes_never_raise(case: tuple[str, Any]) -> None:
    platform, body = case
    check(parse_event(body, platform=platform, channel="f", brand_id="999"))
    if not isinstance(body, dict):
        return
    for reader in (removed_ids, revoked_ids, unsent_ids):
        assert all(isinstance(i, str) and i for i in reader(body))
    assert all(isinstance(o, str) and isinstance(n, str) and o != n for o, n in moved_ids(body))
    assert all(isinstance(k, str) and isinstance(m, str) for k, m in echoed_keys(body))
    json.dumps(body)  # what the receiver stored is JSON


SERVICE = {
    "update_id": 7,
    "message": {
        "message_id": 7,
        "date": 1767225600,
        "from": {"id": 5, "first_name": "C"},
        "chat": {"id": -100123, "type": "supergroup", "title": "Acme Fans"},
        "new_chat_members": [{"id": 5}],
    },
}


@FUZZ
@given(st.lists(st.one_of(mutated(SERVICE), any_json), max_size=4))
def test_telegram_service_messages_never_raise(updates: list[Any]) -> None:
    check(parse_updates(updates, channel="tg", bot_id="42"))
