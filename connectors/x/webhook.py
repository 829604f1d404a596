"""X Account Activity webhooks: the CRC challenge and the ``x-twitter-webhooks-signature`` check. Pure.

- CRC: X sends ``GET ?crc_token=…``; the answer is 200 JSON
  ``{"response_token": "sha256=" + base64(HMAC-SHA256(consumer_secret, crc_token))}``.
- Events: ``x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer_secret, raw body)>``.

Event bodies (``for_user_id`` with v1.1 ``tweet_create_events`` / ``direct_message_events``): DMs are turned
into the same items polling makes (the one-to-one ``dm_conversation_id`` is ``"{low id}-{high id}"``); tweets
carry no ``conversation_id`` in v1.1, so the connector reads them back through the v2 lookup and parses them
exactly as polling does (``XConnector.parse_webhook``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from connectors._payload import PayloadError, load_json
from connectors.base import Malformed, WebhookRejected
from connectors.boundary import ident_of, malformed

SIGNATURE_HEADER = "x-twitter-webhooks-signature"


def _digest(secret: str, message: bytes) -> str:
    return "sha256=" + base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def crc_response(consumer_secret: str, crc_token: str) -> dict[str, str]:
    """The JSON body answering X's CRC check."""
    return {"response_token": _digest(consumer_secret, crc_token.encode())}


def sign(body: bytes, consumer_secret: str) -> str:
    """The ``x-twitter-webhooks-signature`` X sends with ``body``."""
    return _digest(consumer_secret, body)


def handshake(query: Mapping[str, str], consumer_secret: str) -> tuple[int, str, str] | None:
    """The CRC answer (200, application/json, body), or None when the GET carries no ``crc_token``."""
    token = query.get("crc_token")
    if token is None:
        return None
    if not token:
        raise WebhookRejected("crc_token is empty", status=400)
    return 200, "application/json", json.dumps(crc_response(consumer_secret, token))


def verify(headers: Mapping[str, str], body: bytes, consumer_secret: str) -> None:
    """401 when the signature header is missing, 403 when it does not match the body."""
    given = {k.lower(): v for k, v in headers.items()}.get(SIGNATURE_HEADER)
    if not given:
        raise WebhookRejected("missing x-twitter-webhooks-signature header", status=401)
    if not hmac.compare_digest(given.strip().encode(), sign(body, consumer_secret).encode()):
        raise WebhookRejected("x-twitter-webhooks-signature does not match the body", status=403)


def load(body: bytes) -> Mapping[str, Any] | None:
    """The event as a JSON object, or None (not JSON, too deeply nested, or not an object)."""
    try:
        payload = load_json(body)
    except PayloadError:
        return None
    return payload if isinstance(payload, Mapping) else None


def tweet_ids(payload: Mapping[str, Any]) -> list[str]:
    """Ids of the tweets created in the event, retweets left out (they are not customer messages)."""
    events = payload.get("tweet_create_events")
    tweets = events if isinstance(events, list) else []
    return [
        str(t["id_str"])
        for t in tweets
        if isinstance(t, Mapping)
        and isinstance(t.get("id_str"), str | int)
        and t.get("id_str")
        and "retweeted_status" not in t
    ]


def _users(payload: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    users: dict[str, Mapping[str, Any]] = {}
    raw_users = payload.get("users")
    for uid, u in raw_users.items() if isinstance(raw_users, Mapping) else []:
        if isinstance(u, Mapping):
            followers = u.get("followers_count")
            metrics = {"followers_count": followers} if isinstance(followers, int) else {}
            user = {"id": str(uid), "username": u.get("screen_name"), "name": u.get("name")}
            users[str(uid)] = {**user, "public_metrics": metrics}
    return users


def _dm_event(e: Any) -> dict[str, Any] | None:
    """One v1.1 ``message_create`` event as a v2 DM event; None for other event types. Raises on a bad one."""
    create = e.get("message_create") if isinstance(e, Mapping) else None
    if not isinstance(create, Mapping) or e.get("type") != "message_create":
        return None
    sender = str(create.get("sender_id") or "")
    target = create.get("target")
    recipient = str((target if isinstance(target, Mapping) else {}).get("recipient_id") or "")
    low, high = sorted((sender, recipient), key=lambda i: (len(i), i))
    stamp = str(e.get("created_timestamp") or "0")
    if not (stamp.isascii() and stamp.isdigit()):
        raise PayloadError(f"field 'created_timestamp' should be Unix milliseconds, got {stamp!r:.80}")
    data = create.get("message_data")
    data = data if isinstance(data, Mapping) else {}
    return {
        "id": str(e.get("id")),
        "event_type": "MessageCreate",
        "sender_id": sender,
        "dm_conversation_id": f"{low}-{high}",
        "text": data.get("text"),
        "entities": data.get("entities"),  # the links its t.co links stand for, as polling reads them
        "created_at": datetime.fromtimestamp(int(stamp) / 1000, UTC).isoformat().replace("+00:00", "Z"),
    }


def dm_events(
    payload: Mapping[str, Any],
) -> tuple[list[dict[str, Any]], dict[str, Mapping[str, Any]], list[Malformed]]:
    """The v1.1 ``message_create`` events as v2 DM events, the v2-shaped users they name, and the events
    that could not be converted (a bad time...), quarantined alone."""
    out: list[dict[str, Any]] = []
    bad: list[Malformed] = []
    events = payload.get("direct_message_events")
    for e in events if isinstance(events, list) else []:
        try:
            event = _dm_event(e)
        except Exception as exc:  # noqa: BLE001 - one bad event never loses its siblings
            bad.append(malformed(e, exc, ident_of(e.get("id") if isinstance(e, Mapping) else None)))
            continue
        if event is not None:
            out.append(event)
    return out, _users(payload), bad
