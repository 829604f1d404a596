"""The texts a stored message takes when its words are gone: erased at the customer's request
(``inbox.privacy.erase``), past the retention period (``inbox.privacy.retention``), or deleted by the
customer on the platform (``inbox.ingest.deletions``). The row stays for the figures; nothing brings the
words back (an edit read later included)."""

from __future__ import annotations

import hashlib
from typing import Any

ERASED = "[erased]"
EXPIRED = "[expired]"
DELETED = "[deleted by the customer]"
WORDS_GONE = frozenset({ERASED, EXPIRED, DELETED})
TOMBSTONE = "erased:"  # the platform id an erased message keeps: a digest of the one it had


def erased_id(platform_id: str) -> str:
    """The platform id an erased message keeps: ``erased:`` and a SHA-256 digest of its platform id, so a
    late redelivery of the message (a webhook retried, a backfill, a poll that reads it again) is known and
    dropped, while the id itself is gone. Idempotent: an erased id stays as it is."""
    if platform_id.startswith(TOMBSTONE):
        return platform_id
    return TOMBSTONE + hashlib.sha256(platform_id.encode("utf-8")).hexdigest()[:40]


OUTBOX = "outbox"  # raw["outbox"]: the outbox key of a message we sent (automatic ones: ``auto-…``)


def kept_payload(raw: dict[str, Any] | None) -> dict[str, Any]:
    """What a message's payload keeps when its words go (erased, expired): its outbox key alone, which
    names no one and tells the figures it was ours and whether it was automatic (an automatic message is
    no answer), so past figures do not change."""
    key = (raw or {}).get(OUTBOX)
    return {OUTBOX: key} if isinstance(key, str) and key else {}
