"""Where a sign-in through the identity provider lands: the page asked for while signed out. Pure.

The provider always sends the browser back to the app's root, so the page (``/conversation?id=42``) is kept
across the round trip in a short-lived cookie whose value this module writes and reads back.

Rules:
- only one of the app's own pages, by its bare name from the list the app gives (never a URL, a path or a
  host: nothing can send the user elsewhere), with only the known query keys (``QUERY_KEYS``), each with a
  short plain value (letters, digits, ``-``, ``_``);
- the value is signed (HMAC-SHA256 under the session cookie's key) and expires ``LIFETIME`` after it was
  written; an altered, expired or foreign value, or one naming anything else, is ignored.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

COOKIE = "inbox_return_to"
LIFETIME = timedelta(minutes=10)
QUERY_KEYS = frozenset({"id"})  # the conversation page's ?id=
_PLAIN = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True, slots=True)
class Target:
    """A page of the app (its url path, e.g. ``conversation``) and its query (``{"id": "42"}``)."""

    page: str
    query: dict[str, str]


def target(page: str, query: Mapping[str, object], pages: Collection[str]) -> Target | None:
    """The target for ``page`` and ``query`` when the page follows the rules, else None; unknown keys and
    values that are not plain are dropped."""
    if page not in pages:
        return None
    kept = {k: v for k, v in query.items() if k in QUERY_KEYS and isinstance(v, str) and _PLAIN.fullmatch(v)}
    return Target(page, dict(sorted(kept.items())))


def _sign(key: bytes, payload: str) -> str:
    digest = hmac.new(key, b"return-to:" + payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def encode(where: Target, key: bytes, now: datetime) -> str:
    """The cookie's value: the target and its expiry, signed."""
    data = {"p": where.page, "q": where.query, "e": int((now + LIFETIME).timestamp())}
    payload = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")
    return f"{payload}.{_sign(key, payload)}"


def decode(value: str, key: bytes, now: datetime, pages: Collection[str]) -> Target | None:
    """The target a cookie's value names, when signed by ``key``, not expired and within the rules."""
    payload, _dot, signature = value.partition(".")
    if not payload or not hmac.compare_digest(signature, _sign(key, payload)):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (binascii.Error, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("e"), int) or data["e"] < now.timestamp():
        return None
    page, query = data.get("p"), data.get("q")
    if not isinstance(page, str) or not isinstance(query, dict):
        return None
    found = target(page, query, pages)
    return found if found is not None and found.query == query else None
