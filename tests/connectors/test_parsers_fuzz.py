"""Every platform parser, fed arbitrary JSON: items or Malformed out, never an exception (issue #12.2).

Two kinds of input per parser: any JSON at all, and a valid payload whose fields are each kept, dropped or
replaced by a nasty value (a year out of range, a huge or float integer, a lone surrogate, a NUL, deep
nesting). What comes out must be storable as is: strings encodable as UTF-8 without a NUL, JSON without NaN.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from connectors.bluesky.parse import dm_item as bsky_dm
from connectors.bluesky.parse import notification_item, parse_each
from connectors.mastodon.parse import conversation_items, notification_items, search_items
from connectors.meta.events import parse_event, statuses
from connectors.meta.parse import comments_page
from connectors.telegram.parse import parse_updates, parse_webhook_body
from connectors.x.parse import parse_page
from connectors.x.webhook import dm_events, load
from tests.support.fuzz import FUZZ, any_json, any_text, check, deep, mutated

# --- Telegram --------------------------------------------------------------------------------------
TG_UPDATE = {
    "update_id": 500000001,
    "message": {
        "message_id": 7,
        "from": {"id": 42, "is_bot": False, "first_name": "Camille", "last_name": "D", "username": "cam"},
        "chat": {"id": 42, "type": "private", "first_name": "Camille"},
        "date": 1767225600,
        "text": "Bonjour",
        "reply_to_message": {"message_id": 3},
    },
}
TG_EDIT = {"update_id": 500000002, "edited_message": {**TG_UPDATE["message"], "edit_date": 1767225700}}


@FUZZ
@given(st.lists(st.one_of(mutated(TG_UPDATE), mutated(TG_EDIT), any_json), max_size=5))
def test_telegram_updates_never_raise(updates: list[Any]) -> None:
    check(parse_updates(updates, channel="tg", bot_id="1"), sent=len(updates))


@FUZZ
@given(st.one_of(mutated(TG_UPDATE), any_json))
def test_telegram_webhook_body_never_raises(update: Any) -> None:
    body = json.dumps(update).encode()
    check(parse_webhook_body(body, channel="tg", bot_id="1"), sent=1)


def test_telegram_deep_or_broken_bodies_are_quarantined() -> None:
    for body in (b"[" * 100_000, b'{"update_id": 1, "message": ', b"\xff\xfe", json.dumps(deep(70)).encode()):
        items, bad = parse_webhook_body(body, channel="tg", bot_id="1")
        assert items == [] and len(bad) == 1
        check((items, bad))


def test_telegram_date_out_of_range_is_quarantined_and_siblings_kept() -> None:
    good = [
        {**TG_UPDATE, "update_id": 10 + i, "message": {**TG_UPDATE["message"], "message_id": i}}
        for i in range(3)
    ]
    poison = {**TG_UPDATE, "update_id": 99, "message": {**TG_UPDATE["message"], "date": 10**17}}
    items, bad = parse_updates([good[0], poison, *good[1:]], channel="tg", bot_id="1")
    assert [i.external_id for i in items] == ["42:0", "42:1", "42:2"]
    assert [b.external_id for b in bad] == ["update:99"] and "date" in json.dumps(bad[0].raw)


# --- X ---------------------------------------------------------------------------------------------
X_TWEET = {
    "id": "1900000000000000001",
    "text": "@AcmeCare help",
    "author_id": "2000",
    "conversation_id": "1900000000000000001",
    "created_at": "2026-01-02T03:04:05.000Z",
    "referenced_tweets": [{"type": "replied_to", "id": "1800000000000000001"}],
}
X_DM = {
    "id": "1900000000000000002",
    "event_type": "MessageCreate",
    "text": "hello",
    "sender_id": "2000",
    "dm_conversation_id": "1000-2000",
    "created_at": "2026-01-02T03:04:05.000Z",
}
X_USER = {"id": "2000", "username": "jane", "name": "Jane", "public_metrics": {"followers_count": 12}}


@FUZZ
@given(
    st.sampled_from(["mentions", "dms", "listening"]),
    st.one_of(
        st.fixed_dictionaries(
            {
                "data": st.lists(st.one_of(mutated(X_TWEET), mutated(X_DM), any_json), max_size=5),
                "includes": st.fixed_dictionaries({"users": st.lists(mutated(X_USER), max_size=2)}),
                "meta": mutated({"newest_id": "1900000000000000001", "next_token": "abc"}),
            }
        ),
        any_json,
    ),
)
def test_x_pages_never_raise(stream: str, payload: Any) -> None:
    data = payload.get("data") if isinstance(payload, Mapping) else None
    check(
        parse_page(payload, stream=stream, channel="x", brand_id="1000"),
        sent=len(data) if isinstance(data, list) and data else 1,
    )


def test_x_lone_surrogate_is_replaced_and_said() -> None:
    items, bad = parse_page(
        {"data": [{**X_TWEET, "text": "broken \ud83d here"}]}, stream="mentions", channel="x", brand_id="1"
    )
    assert bad == [] and items[0].text == "broken \ufffd here"
    assert "U+FFFD" in items[0].raw["_inbox"]["note"]


def test_x_non_ascii_digit_ids_do_not_break_the_sort() -> None:
    page = {"data": [{**X_TWEET, "id": "²"}, X_TWEET]}
    items, bad = parse_page(page, stream="mentions", channel="x", brand_id="1")
    assert len(items) == 2 and bad == []


X_WEBHOOK_DM = {
    "type": "message_create",
    "id": "1900000000000000003",
    "created_timestamp": "1767225600000",
    "message_create": {
        "target": {"recipient_id": "1000"},
        "sender_id": "2000",
        "message_data": {"text": "hello"},
    },
}


@FUZZ
@given(
    st.one_of(
        st.fixed_dictionaries(
            {
                "for_user_id": st.just("1000"),
                "direct_message_events": st.lists(mutated(X_WEBHOOK_DM), max_size=4),
                "users": st.dictionaries(any_text, mutated({"screen_name": "jane", "followers_count": 3})),
            }
        ),
        any_json,
    )
)
def test_x_webhook_dm_events_never_raise(payload: Any) -> None:
    loaded = load(json.dumps(payload).encode())
    if loaded is None:
        return
    events, users, bad = dm_events(loaded)
    check(([], bad))
    page = {"data": events, "includes": {"users": list(users.values())}}
    check(parse_page(page, stream="dms", channel="x", brand_id="1000"))


# --- Mastodon --------------------------------------------------------------------------------------
M_ACCOUNT = {"id": "200", "acct": "jane@example.social", "display_name": "Jane", "followers_count": 5}
M_STATUS = {
    "id": "110000000000000001",
    "created_at": "2026-01-02T03:04:05.000Z",
    "visibility": "public",
    "in_reply_to_id": None,
    "content": "<p>@acme help</p>",
    "spoiler_text": "",
    "account": M_ACCOUNT,
    "mentions": [{"id": "100", "acct": "acme"}],
    "media_attachments": [{"type": "image", "description": "a photo", "url": "https://x"}],
}


@FUZZ
@given(
    st.lists(st.one_of(mutated({"id": "9", "type": "mention", "status": M_STATUS}), any_json), max_size=4)
    | any_json
)
def test_mastodon_notifications_never_raise(page: Any) -> None:
    check(notification_items(page, channel="m", brand_id="100"))


@FUZZ
@given(
    st.lists(
        st.one_of(mutated({"id": "5", "last_status": {**M_STATUS, "visibility": "direct"}}), any_json),
        max_size=4,
    )
    | any_json
)
def test_mastodon_conversations_never_raise(page: Any) -> None:
    check(conversation_items(page, channel="m", brand_id="100", seen=None))


@FUZZ
@given(st.fixed_dictionaries({"statuses": st.lists(mutated(M_STATUS), max_size=4)}) | any_json)
def test_mastodon_search_never_raises(payload: Any) -> None:
    items, bad, _ = search_items(payload, channel="m", brand_id="100", after=None)
    check((items, bad))


# --- Bluesky ---------------------------------------------------------------------------------------
B_NOTIFICATION = {
    "uri": "at://did:plc:jane/app.bsky.feed.post/3k",
    "cid": "bafy",
    "reason": "mention",
    "indexedAt": "2026-01-02T03:04:05.000Z",
    "author": {"did": "did:plc:jane", "handle": "jane.bsky.social", "displayName": "Jane"},
    "record": {
        "text": "@acme help",
        "createdAt": "2026-01-02T03:04:05.000Z",
        "reply": {"root": {"uri": "at://root"}, "parent": {"uri": "at://parent"}},
    },
}
B_MESSAGE = {
    "id": "3m1",
    "text": "hello",
    "sender": {"did": "did:plc:jane"},
    "sentAt": "2026-01-02T03:04:05.000Z",
}


@FUZZ
@given(st.lists(st.one_of(mutated(B_NOTIFICATION), any_json), max_size=4))
def test_bluesky_notifications_never_raise(objects: list[Any]) -> None:
    parse = lambda n: notification_item(n, channel="b", own_did="did:plc:acme")  # noqa: E731
    check(parse_each(objects, parse, "uri"), sent=len(objects))


@FUZZ
@given(st.lists(st.one_of(mutated(B_MESSAGE), any_json), max_size=4))
def test_bluesky_chat_messages_never_raise(objects: list[Any]) -> None:
    parse = lambda m: bsky_dm(m, channel="b", own_did="did:plc:acme", convo_id="c1", members={})  # noqa: E731
    check(parse_each(objects, parse, "id"), sent=len(objects))


# --- Meta ------------------------------------------------------------------------------------------
FB_COMMENT = {
    "id": "111_222",
    "from": {"id": "333", "name": "Jane"},
    "message": "help",
    "created_time": "2026-01-02T03:04:05+0000",
    "parent": {"id": "111_100"},
}
IG_COMMENT = {
    "id": "1790",
    "text": "help",
    "timestamp": "2026-01-02T03:04:05+0000",
    "from": {"id": "444", "username": "jane"},
    "replies": {"data": [{"id": "1791", "text": "more", "timestamp": "2026-01-02T03:05:05+0000"}]},
}


@FUZZ
@given(
    st.sampled_from(["facebook", "instagram"]),
    st.fixed_dictionaries({"data": st.lists(st.one_of(mutated(FB_COMMENT), mutated(IG_COMMENT)), max_size=4)})
    | st.fixed_dictionaries({"data": any_json}),
)
def test_meta_comment_pages_never_raise(platform: str, payload: Any) -> None:
    check(comments_page(payload, platform=platform, channel="f", brand_id="999", container_id="111"))


MESSENGER = {
    "object": "page",
    "entry": [
        {
            "id": "999",
            "time": 1767225600000,
            "messaging": [
                {
                    "sender": {"id": "333"},
                    "recipient": {"id": "999"},
                    "timestamp": 1767225600000,
                    "message": {"mid": "m_1", "text": "hi", "reply_to": {"mid": "m_0"}},
                }
            ],
            "changes": [
                {
                    "field": "feed",
                    "value": {
                        "item": "comment",
                        "verb": "add",
                        "comment_id": "111_5",
                        "post_id": "111",
                        "from": {"id": "333", "name": "Jane"},
                        "message": "help",
                        "created_time": 1767225600,
                    },
                }
            ],
        }
    ],
}
WHATSAPP = {
    "object": "whatsapp_business_account",
    "entry": [
        {
            "id": "waba",
            "changes": [
                {
                    "field": "messages",
                    "value": {
                        "metadata": {"phone_number_id": "999"},
                        "contacts": [{"wa_id": "3361", "profile": {"name": "Jane"}}],
                        "messages": [
                            {
                                "from": "3361",
                                "id": "wamid.1",
                                "timestamp": "1767225600",
                                "type": "text",
                                "text": {"body": "hello"},
                            }
                        ],
                        "statuses": [
                            {"id": "wamid.0", "status": "failed", "errors": [{"code": 131047, "title": "x"}]}
                        ],
                    },
                }
            ],
        }
    ],
}


@FUZZ
@given(
    st.one_of(
        st.tuples(st.just("facebook"), mutated(MESSENGER)),
        st.tuples(st.just("instagram"), mutated({**MESSENGER, "object": "instagram"})),
        st.tuples(st.just("whatsapp"), mutated(WHATSAPP)),
        st.tuples(st.sampled_from(["facebook", "whatsapp"]), st.dictionaries(any_text, any_json)),
    )
)
def test_meta_webhook_events_never_raise(case: tuple[str, Any]) -> None:
    platform, body = case
    check(parse_event(body, platform=platform, channel="f", brand_id="999"))
    assert all(isinstance(s.message_id, str) for s in statuses(body))


def test_meta_one_bad_timestamp_among_thirty_keeps_the_thirty() -> None:
    event = dict(MESSENGER["entry"][0]["messaging"][0])
    good = [{**event, "message": {"mid": f"m_{i}", "text": f"hi {i}"}} for i in range(30)]
    poison = {**event, "timestamp": 10**17 * 1000, "message": {"mid": "m_bad", "text": "\ud83d"}}
    body = {
        "object": "page",
        "entry": [{"id": "999", "time": 1, "messaging": [*good[:15], poison, *good[15:]]}],
    }
    items, bad = parse_event(body, platform="facebook", channel="f", brand_id="999")
    assert len(items) == 30 and [b.external_id for b in bad] == ["m_bad"]
    assert "'timestamp' is not a time in range" in bad[0].error
