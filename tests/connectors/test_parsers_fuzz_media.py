"""What a message carries (a Bluesky embed, Messenger attachments, a WhatsApp media object, a Telegram photo,
location, contact…), fed arbitrary JSON: the message is still stored with its words, never quarantined nor
crashing its page, because of a strange attachment (Hypothesis; ``tests.support.fuzz``)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from connectors.bluesky.parse import dm_item, post_item
from connectors.meta.events import parse_event
from connectors.sandbox.meta.attachments import KINDS as META_KINDS
from connectors.sandbox.meta.attachments import messenger_attachment, whatsapp_content
from connectors.sandbox.telegram.media import KINDS as TG_KINDS
from connectors.sandbox.telegram.media import media_fields
from connectors.telegram.parse import MEDIA_KEYS, chat_moves, parse_updates
from tests.support.fuzz import FUZZ, any_json, mutated

EMBEDS = st.one_of(
    any_json,
    mutated(
        {"$type": "app.bsky.embed.images", "images": [{"alt": "a", "image": {"ref": {"$link": "bafy"}}}]}
    ),
    mutated(
        {"$type": "app.bsky.embed.recordWithMedia", "record": {"record": {"uri": "at://x"}}, "media": {}}
    ),
    mutated({"$type": "app.bsky.embed.external", "external": {"uri": "https://x", "title": "t"}}),
    mutated({"$type": "app.bsky.embed.record#view", "record": {"uri": "at://x"}}),
)
POST = {
    "uri": "at://did:plc:jane/app.bsky.feed.post/3k",
    "cid": "bafy",
    "author": {"did": "did:plc:jane", "handle": "jane.bsky.social"},
    "record": {"text": "", "createdAt": "2026-01-02T03:04:05.000Z"},
    "indexedAt": "2026-01-02T03:04:05.000Z",
}


def _text_of(item: Any) -> str:
    assert item is not None and isinstance(item.text, str)
    return str(item.text)


def _one(items: list[Any], bad: list[Any]) -> str | None:
    """The message's text; None when it is quarantined for nesting deeper than any platform does (the
    boundary's rule, ``connectors.boundary.MAX_DEPTH``), the only reason an attachment may quarantine it."""
    assert len(items) + len(bad) == 1, (items, bad)
    if bad:
        assert "nested" in bad[0].error, bad[0].error
        return None
    return _text_of(items[0])


@FUZZ
@given(EMBEDS, st.one_of(st.none(), any_json))
def test_a_bluesky_embed_never_stops_its_post_or_message(embed: Any, shown: Any) -> None:
    post = {**POST, "record": {**POST["record"], "embed": embed}, "embed": shown}
    _text_of(post_item(post, channel="b", own_did="did:plc:acme", kind="mention"))
    message = {"id": "3m1", "text": "", "sender": {"did": "did:plc:j"}, "sentAt": POST["indexedAt"]}
    _text_of(dm_item({**message, "embed": embed}, channel="b", own_did="d", convo_id="c", members={}))


def _messenger(attachments: Any) -> bytes:
    event = {
        "sender": {"id": "2468"},
        "recipient": {"id": "1001"},
        "timestamp": 1767225600000,
        "message": {"mid": "m_1", "text": "vu", "attachments": attachments},
    }
    return json.dumps(
        {"object": "page", "entry": [{"id": "1001", "time": 1767225600000, "messaging": [event]}]}
    ).encode()


@FUZZ
@given(st.lists(st.one_of(any_json, *(mutated(messenger_attachment(k)) for k in META_KINDS)), max_size=3))
def test_messenger_attachments_never_stop_the_message(attachments: list[Any]) -> None:
    body = json.loads(_messenger(attachments))
    items, bad = parse_event(body, channel="fb", platform="facebook", brand_id="1001")
    assert (_one(items, bad) or "vu").startswith("vu")


@FUZZ
@given(st.sampled_from(META_KINDS).flatmap(lambda k: mutated(whatsapp_content(k)[1]).map(lambda c: (k, c))))
def test_a_whatsapp_media_object_never_stops_the_message(case: tuple[str, Any]) -> None:
    kind, content = case
    real = whatsapp_content(kind)[0]
    message = {"from": "33612345678", "id": "wamid.1", "timestamp": "1767225600", "type": real, real: content}
    value = {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "P1"}, "messages": [message]}
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "W", "changes": [{"field": "messages", "value": value}]}],
    }
    items, bad = parse_event(body, channel="wa", platform="whatsapp", brand_id="P1")
    assert _one(items, bad) != ""


@FUZZ
@given(
    st.sampled_from(TG_KINDS).flatmap(lambda k: mutated(media_fields(k))),
    st.sampled_from(MEDIA_KEYS),
    any_json,
    st.one_of(st.none(), any_json),
)
def test_a_telegram_attachment_never_stops_the_message(fields: Any, key: str, value: Any, moved: Any) -> None:
    message = {
        "message_id": 7,
        "from": {"id": 42, "is_bot": False, "first_name": "Camille"},
        "chat": {"id": 42, "type": "private"},
        "date": 1767225600,
        **(fields if isinstance(fields, dict) else {}),
        key: value,
    }
    updates = [{"update_id": 500000001, "message": message}]
    items, bad = parse_updates(updates, channel="tg", bot_id="1")
    assert _one(items, bad) != ""
    chat_moves([{"update_id": 1, "message": {**message, "migrate_to_chat_id": moved}}, moved])
