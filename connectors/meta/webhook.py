"""Meta webhook security, shared by Facebook, Instagram and WhatsApp: the subscribe handshake and
``X-Hub-Signature-256``. Pure functions, no I/O.

The signature is ``sha256=`` + hex HMAC-SHA256 of the raw body bytes, keyed with the app secret. It is checked
on the bytes exactly as received (Meta escapes non-ASCII as ``\\uXXXX``), before any JSON parsing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from connectors.base import WebhookRejected

SIGNATURE_HEADER = "x-hub-signature-256"


def sign(body: bytes, app_secret: str) -> str:
    """The ``X-Hub-Signature-256`` value Meta sends with ``body``."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def verify(headers: Mapping[str, str], body: bytes, app_secret: str) -> None:
    """Raise WebhookRejected: 401 when the signature header is missing, 403 when it does not match."""
    lowered = {k.lower(): v for k, v in headers.items()}
    given = lowered.get(SIGNATURE_HEADER)
    if not given:
        raise WebhookRejected("missing X-Hub-Signature-256 header", status=401)
    if not app_secret:
        raise WebhookRejected("no app_secret configured for this channel: cannot verify", status=403)
    if not hmac.compare_digest(given.strip().encode(), sign(body, app_secret).encode()):
        raise WebhookRejected("X-Hub-Signature-256 does not match the body", status=403)


def handshake(query: Mapping[str, str], verify_token: str | None) -> tuple[int, str, str] | None:
    """Meta's subscribe check: 200 text/plain with ``hub.challenge`` when ``hub.verify_token`` is ours.

    Returns None when the query is not a handshake; raises WebhookRejected (403) on a wrong token or mode.
    """
    if "hub.mode" not in query and "hub.challenge" not in query:
        return None
    if query.get("hub.mode") != "subscribe":
        raise WebhookRejected(f"hub.mode must be 'subscribe', got {query.get('hub.mode')!r}")
    if not verify_token:
        raise WebhookRejected("no verify_token configured for this channel")
    given = query.get("hub.verify_token") or ""
    if not hmac.compare_digest(given.encode(), verify_token.encode()):
        raise WebhookRejected("hub.verify_token does not match")
    challenge = query.get("hub.challenge")
    if not challenge:
        raise WebhookRejected("hub.challenge is missing", status=400)
    return 200, "text/plain", challenge
