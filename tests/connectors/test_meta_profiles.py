"""Message webhooks carry only the sender's id: the connector looks up the name once (User Profile API)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from connectors.sandbox.meta.server import MetaSandbox
from tests.support.meta import facebook, instagram


def messaging_event(obj: str, recipient: str, sender: str, mid: str, text: str) -> bytes:
    ms = int(datetime.now(UTC).timestamp() * 1000)
    event = {"sender": {"id": sender}, "recipient": {"id": recipient}, "timestamp": ms}
    event["message"] = {"mid": mid, "text": text}
    return json.dumps(
        {"object": obj, "entry": [{"id": recipient, "time": ms, "messaging": [event]}]}
    ).encode()


def test_an_instagram_dm_gets_the_sender_name_and_username(meta: MetaSandbox) -> None:
    meta.add_message("hi", platform="instagram", name="Lea Martin", created_at=datetime.now(UTC), push=False)
    igsid = meta.customer_id("instagram", "Lea Martin")
    conn = instagram(meta)
    body = messaging_event("instagram", meta.store.ig_user_id, igsid, "m-1", "Do you ship to Lyon?")
    [item] = conn.parse_webhook(body).items
    assert (item.author.platform_id, item.author.handle, item.author.display_name) == (
        igsid,
        "lea_martin",
        "Lea Martin",
    )
    conn.parse_webhook(messaging_event("instagram", meta.store.ig_user_id, igsid, "m-2", "again"))
    lookups = [r for r in meta.requests if r.method == "GET" and r.path.endswith(f"/{igsid}")]
    assert len(lookups) == 1  # once per sender and process


def test_a_messenger_sender_is_named_and_an_unknown_one_keeps_its_id(meta: MetaSandbox) -> None:
    meta.add_message(
        "hello", name="Jeanne Client", created_at=datetime.now(UTC) - timedelta(minutes=1), push=False
    )
    psid = meta.customer_id("messenger", "Jeanne Client")
    conn = facebook(meta)
    page = meta.store.page_id
    [known] = conn.parse_webhook(messaging_event("page", page, psid, "m-3", "where is my order")).items
    [unknown] = conn.parse_webhook(messaging_event("page", page, "99999", "m-4", "hello?")).items
    assert known.author.display_name == "Jeanne Client" and known.author.handle is None
    assert unknown.author.platform_id == "99999" and unknown.text == "hello?"  # kept, still unnamed
