"""X Account Activity webhooks: the CRC challenge and the ``x-twitter-webhooks-signature`` check. Pure.

- CRC: X sends ``GET ?crc_token=…``; the answer is 200 JSON
  ``{"response_token": "sha256=" + base64(HMAC-SHA256(consumer_secret, crc_token))}``.
- Events: ``x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer_secret, raw body)>``.

Event bodies (v1.1 ``tweet_create_events`` / ``direct_message_events``) are not parsed into items yet: the
receiver verifies and stores them raw, and polling brings the same tweets and DMs in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping

from connectors.base import Batch, WebhookRejected

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


def parse(body: bytes) -> Batch:
    """No items: X webhook events are stored raw only (polling reads the same posts and DMs)."""
    return Batch(items=[], next_cursor=None)
