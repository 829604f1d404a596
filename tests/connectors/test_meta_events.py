"""Meta webhooks on the connector side: handshake, X-Hub-Signature-256, and parsing of each event shape."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from connectors.base import ConnectorSpec, WebhookRejected
from connectors.meta.base import MetaConnector
from connectors.meta.connector import build
from connectors.meta.events import statuses
from connectors.meta.webhook import sign
from connectors.sandbox.meta import events as shapes
from connectors.sandbox.meta.store import MetaStore

STORE = MetaStore()
WHEN = datetime(2026, 3, 2, 10, 0, 5, tzinfo=UTC)


def connector(platform: str, verify_token: str | None = "verify-me") -> MetaConnector:
    option = {"facebook": "page_id", "instagram": "ig_user_id", "whatsapp": "phone_number_id"}[platform]
    ids = {"page_id": STORE.page_id, "ig_user_id": STORE.ig_user_id, "phone_number_id": STORE.phone_number_id}
    token = "access_token" if platform == "whatsapp" else "page_token"
    creds = {token: "t", "app_secret": "s3cret", **({"verify_token": verify_token} if verify_token else {})}
    return build(ConnectorSpec(f"{platform}-acme", platform, "acme", creds, options={option: ids[option]}))


def body(event: dict[str, Any]) -> bytes:
    return json.dumps(event, separators=(",", ":")).encode()


# --- handshake and signature ------------------------------------------------------------------------
def test_handshake_answers_the_challenge_for_the_right_token() -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}
    assert connector("facebook").webhook_handshake(query) == (200, "text/plain", "1158201444")
    assert connector("whatsapp").webhook_handshake({}) is None


@pytest.mark.parametrize(
    ("query", "verify_token", "status"),
    [
        ({"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"}, "verify-me", 403),
        (
            {"hub.mode": "unsubscribe", "hub.verify_token": "verify-me", "hub.challenge": "1"},
            "verify-me",
            403,
        ),
        ({"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}, None, 403),
        ({"hub.mode": "subscribe", "hub.verify_token": "verify-me"}, "verify-me", 400),
    ],
)
def test_handshake_refusals(query: dict[str, str], verify_token: str | None, status: int) -> None:
    with pytest.raises(WebhookRejected) as err:
        connector("instagram", verify_token).webhook_handshake(query)
    assert err.value.status == status


def test_signature_is_hmac_sha256_of_the_raw_bytes() -> None:
    raw = b'{"object":"page","entry":[{"message":"caf\\u00e9"}]}'
    conn = connector("facebook")
    conn.verify_webhook({"X-Hub-Signature-256": sign(raw, "s3cret")}, raw)
    with pytest.raises(WebhookRejected) as missing:
        conn.verify_webhook({}, raw)
    assert missing.value.status == 401
    reencoded = json.dumps(json.loads(raw), ensure_ascii=False).encode()  # same JSON, other bytes
    for headers, data in [
        ({"x-hub-signature-256": sign(raw, "other-secret")}, raw),
        ({"x-hub-signature-256": sign(raw, "s3cret")}, reencoded),
        ({"x-hub-signature-256": "sha1=" + sign(raw, "s3cret")[7:]}, raw),
    ]:
        with pytest.raises(WebhookRejected) as wrong:
            conn.verify_webhook(headers, data)
        assert wrong.value.status == 403


# --- parsing ----------------------------------------------------------------------------------------
def test_messenger_message_and_its_echo() -> None:
    customer = STORE.customer("messenger", "7001", "Bob")
    msg = {"id": "m_abc", "text": "Where is my parcel?", "created_at": WHEN}
    conn = connector("facebook")
    [item] = conn.parse_webhook(body(shapes.message_event(STORE, customer, msg))).items
    assert (item.external_id, item.kind, item.visibility, item.direction) == ("m_abc", "dm", "private", "in")
    assert (item.thread_key, item.author.platform_id, item.created_at) == ("7001", "7001", WHEN)
    [echo] = conn.parse_webhook(body(shapes.echo_event(STORE, customer, {**msg, "id": "m_out"}))).items
    assert (echo.direction, echo.thread_key, echo.author.platform_id) == ("out", "7001", STORE.page_id)


def test_facebook_feed_comment_top_level_and_reply() -> None:
    conn = connector("facebook")
    post = STORE.add_container("facebook", "post", WHEN)
    top = STORE.add_comment(post, "42", "Ann", "Broken zip", WHEN, None)
    sub = STORE.add_comment(post, STORE.page_id, STORE.page_name, "Sorry Ann", WHEN, top.id)
    [a] = conn.parse_webhook(body(shapes.comment_event(STORE, top))).items
    [b] = conn.parse_webhook(body(shapes.comment_event(STORE, sub))).items
    assert (a.external_id, a.thread_key, a.reply_to, a.kind, a.direction) == (
        top.id,
        top.id,
        post.id,
        "comment",
        "in",
    )
    assert (b.thread_key, b.reply_to, b.direction) == (top.id, top.id, "out")


def test_instagram_comment_takes_the_entry_time() -> None:
    media = STORE.add_container("instagram", "mug", WHEN)
    c = STORE.add_comment(media, "555", "lea.k", "Dishwasher safe?", WHEN, None)
    [item] = connector("instagram").parse_webhook(body(shapes.comment_event(STORE, c))).items
    assert (item.author.handle, item.reply_to, item.created_at) == ("lea.k", media.id, WHEN)


def test_whatsapp_message_with_contact_card() -> None:
    customer = STORE.customer("whatsapp", "33612345678", "Camille")
    msg = {"id": "wamid.X1", "text": "Bonjour", "created_at": WHEN}
    [item] = connector("whatsapp").parse_webhook(body(shapes.message_event(STORE, customer, msg))).items
    assert (item.external_id, item.thread_key, item.author.display_name) == (
        "wamid.X1",
        "33612345678",
        "Camille",
    )
    assert item.created_at == WHEN and item.text == "Bonjour"


def test_whatsapp_status_gives_no_item_but_is_readable() -> None:
    errors = [{"code": 131047, "title": "Re-engagement message"}]
    event = shapes.status_event(STORE, "wamid.Y", "33612345678", "failed", WHEN, errors)
    assert connector("whatsapp").parse_webhook(body(event)).items == []
    [status] = statuses(event)
    assert (status.message_id, status.status, status.errors) == (
        "wamid.Y",
        "failed",
        ((131047, "Re-engagement message"),),
    )


def test_whatsapp_media_and_reactions() -> None:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"phone_number_id": STORE.phone_number_id},
        "contacts": [{"profile": {"name": "Cam"}, "wa_id": "336"}],
        "messages": [
            {
                "from": "336",
                "id": "wamid.1",
                "timestamp": "1772445605",
                "type": "image",
                "image": {"caption": "the box"},
            },
            {
                "from": "336",
                "id": "wamid.2",
                "timestamp": "1772445606",
                "type": "reaction",
                "reaction": {"emoji": "👍"},
            },
        ],
    }
    event = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }
    [item] = connector("whatsapp").parse_webhook(body(event)).items
    assert item.text == "[image] the box"


def test_another_numbers_messages_are_not_ours() -> None:
    value = {
        "metadata": {"phone_number_id": "999"},
        "messages": [{"from": "1", "id": "w", "timestamp": "1", "type": "text", "text": {"body": "x"}}],
    }
    event = {
        "object": "whatsapp_business_account",
        "entry": [{"changes": [{"field": "messages", "value": value}]}],
    }
    batch = connector("whatsapp").parse_webhook(body(event))
    assert batch.items == [] and batch.malformed == []


def test_malformed_events_are_quarantined_never_dropped() -> None:
    good = {
        "sender": {"id": "7"},
        "recipient": {"id": STORE.page_id},
        "timestamp": 1772445605000,
        "message": {"mid": "m_ok", "text": "hi"},
    }
    no_mid = {
        "sender": {"id": "7"},
        "recipient": {"id": STORE.page_id},
        "timestamp": 1772445605000,
        "message": {"text": "hi"},
    }
    bad_time = {
        "sender": {"id": "8"},
        "recipient": {"id": STORE.page_id},
        "timestamp": "soon",
        "message": {"mid": "m_t", "text": "x"},
    }
    event = {
        "object": "page",
        "entry": [{"id": STORE.page_id, "messaging": [good, no_mid, bad_time, "junk"]}, "junk"],
    }
    batch = connector("facebook").parse_webhook(body(event))
    assert [i.external_id for i in batch.items] == ["m_ok"]
    errors = sorted(m.error for m in batch.malformed)
    assert len(errors) == 4 and any("mid" in e for e in errors) and any("time" in e for e in errors)
    assert next(m for m in batch.malformed if m.external_id == "m_t").raw["timestamp"] == "soon"


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b'{"object": "instagram", "entry": []}'])
def test_a_body_that_is_not_a_page_event_is_quarantined_whole(raw: bytes) -> None:
    batch = connector("facebook").parse_webhook(raw)
    assert batch.items == [] and len(batch.malformed) == 1 and batch.next_cursor is None


def test_receipts_are_not_messages_and_an_edit_names_the_comment_it_changes() -> None:
    receipt = {
        "sender": {"id": "7"},
        "recipient": {"id": STORE.page_id},
        "timestamp": 1,
        "read": {"watermark": 1},
    }
    value = {
        "item": "comment",
        "verb": "edited",
        "comment_id": "1_2",
        "post_id": "1_1",
        "parent_id": "1_1",
        "from": {"id": "7", "name": "Jeanne Client"},
        "message": "Order 4812, not 4821",
        "created_time": 1767225600,
    }
    edit = {"field": "feed", "value": value}
    event = {"object": "page", "entry": [{"id": STORE.page_id, "messaging": [receipt], "changes": [edit]}]}
    batch = connector("facebook").parse_webhook(body(event))
    [item] = batch.items
    assert batch.malformed == [] and item.edits == ("1_2",) and item.text == "Order 4812, not 4821"
    assert item.external_id.startswith("1_2:edit:") and item.thread_key == "1_2"
    again = connector("facebook").parse_webhook(body(event)).items[0]
    assert again.external_id == item.external_id  # the same change sent twice is one version


def _edit(edit: Any) -> dict[str, Any]:
    event = {"sender": {"id": "PSID1"}, "recipient": {"id": STORE.page_id}, "timestamp": 1772445605000}
    return {"object": "page", "entry": [{"id": STORE.page_id, "time": 1, "messaging": [{**event, **edit}]}]}


def test_a_message_edit_names_the_message_it_edits_and_odd_ones_are_quarantined() -> None:
    conn = connector("facebook")
    kinds: list[Any] = [
        {"mid": "m_1", "text": "Mon colis 4812", "num_edit": 2},
        {"mid": "m_1", "text": "Mon colis 4812", "num_edit": "2"},
        {"mid": "m_1", "text": "Mon colis 4812"},
    ]
    items = [conn.parse_webhook(body(_edit({"message_edit": k}))).items for k in kinds]
    ids = [i.external_id for [i] in items]
    assert ids[0] == ids[1] == "m_1:edit:2" and ids[2].startswith("m_1:edit:") and ids[2] != ids[0]
    [item] = items[0]
    assert (item.edits, item.text, item.thread_key, item.direction) == (
        ("m_1",),
        "Mon colis 4812",
        "PSID1",
        "in",
    )
    bad = conn.parse_webhook(body(_edit({"message_edit": {"text": "no mid"}})))
    assert not bad.items and len(bad.malformed) == 1


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_an_unsent_message_is_a_deletion_not_a_message(platform: str) -> None:
    brand = STORE.page_id if platform == "facebook" else STORE.ig_user_id
    unsent = {"sender": {"id": "PSID1"}, "recipient": {"id": brand}, "timestamp": 1772445605000}
    event = {"mid": "m_9", "is_deleted": True}
    raw = body(
        {
            "object": "page" if platform == "facebook" else "instagram",
            "entry": [{"id": brand, "time": 1, "messaging": [{**unsent, "message": event}]}],
        }
    )
    conn = connector(platform)
    assert conn.parse_webhook(raw).items == [] and conn.parse_webhook(raw).malformed == []
    assert conn.deletions(raw) == ["m_9"]  # type: ignore[attr-defined]


def test_a_tapped_button_is_the_customers_message() -> None:
    tap = {"sender": {"id": "IGSID1"}, "recipient": {"id": STORE.ig_user_id}, "timestamp": 1772445605000}
    icebreaker = {"title": "Quels sont vos horaires ?", "payload": "HOURS", "mid": "aWdfZAG1"}
    older = {"title": "Get Started", "payload": "GET_STARTED"}  # before Graph v11: no mid
    raws = [
        body(
            {
                "object": "instagram",
                "entry": [{"id": STORE.ig_user_id, "time": 1, "messaging": [{**tap, "postback": p}]}],
            }
        )
        for p in (icebreaker, older)
    ]
    conn = connector("instagram")
    [first], [second] = (conn.parse_webhook(r).items for r in raws)
    assert (first.text, first.external_id, first.direction, first.thread_key) == (
        "Quels sont vos horaires ?",
        "aWdfZAG1",
        "in",
        "IGSID1",
    )
    assert second.text == "Get Started" and second.external_id == "postback:IGSID1:1772445605000"
    assert conn.parse_webhook(raws[1]).items[0].external_id == second.external_id  # sent twice: one


def test_a_messenger_echo_gives_back_the_key_its_send_carried() -> None:
    echo = {"sender": {"id": STORE.page_id}, "recipient": {"id": "PSID1"}, "timestamp": 1772445605000}
    events = [
        {**echo, "message": {"mid": "m_1", "is_echo": True, "metadata": "key-1", "text": "On regarde."}},
        {**echo, "message": {"mid": "m_2", "is_echo": True, "text": "sent from the Page inbox"}},  # no key
        {**echo, "message": {"mid": "m_3", "metadata": "not-an-echo", "text": "?"}},
    ]
    raw = body({"object": "page", "entry": [{"id": STORE.page_id, "time": 1, "messaging": events}]})
    assert connector("facebook").confirmed_sends(raw) == [("key-1", "m_1")]  # type: ignore[attr-defined]
