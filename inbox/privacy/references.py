"""Erasure of the references others keep to the person's messages: the platform ids they answered.

Another customer's answer keeps the id of the message it replied to (``reply_to_platform_id``, and in its
payload X's ``referenced_tweets``, ``in_reply_to_status_id``, ``conversation_id``, Mastodon's
``in_reply_to_id``, Meta's ``parent_id``, a link to the post), our replies and the stored webhook bodies and
quarantined payloads too. Each such id of an erased message becomes the digest its message now has
(``inbox.store.gone.erased_id``): the inbox still knows what answered what, while the id that leads to the
person's post on the platform is gone. Session-taking, never commits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, cast, func, or_
from sqlmodel import Session, col, select

from inbox.store.gone import erased_id
from inbox.store.tables import Message, OutboundReply, QuarantinedItem, WebhookEvent

CHUNK = 100  # ids per SQL LIKE


class References:
    """The erased messages' platform ids, and their replacement by each one's digest in text or JSON."""

    def __init__(self, platform_ids: Iterable[str]) -> None:
        self.digests = {i: erased_id(i) for i in platform_ids if i and not i.startswith("erased:")}
        words = "|".join(re.escape(i) for i in sorted(self.digests, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<![\w]){'(?:' + words + ')'}(?![\w])") if words else None

    def replace(self, value: Any) -> Any:
        if isinstance(value, str):
            if self.pattern is None:
                return value
            return self.pattern.sub(lambda m: self.digests[m.group()], value)
        if isinstance(value, int) and not isinstance(value, bool) and str(value) in self.digests:
            return self.digests[str(value)]  # an id sent as a JSON number
        if isinstance(value, dict):
            return {k: self.replace(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.replace(v) for v in value]
        return value

    def holding(self, *columns: Any) -> Any:
        """A SQL condition: one of ``columns`` (as text) holds one of the ids."""
        ids = sorted(self.digests)
        return or_(
            *(
                func.lower(cast(c, String)).contains(i.lower(), autoescape=True)
                for start in range(0, len(ids), CHUNK)
                for i in ids[start : start + CHUNK]
                for c in columns
            )
        )


def scrub_references(session: Session, platform_ids: Iterable[str]) -> int:
    """Replace, in every row that still holds one, the erased messages' ids by their digests; how many rows
    changed. Run after the person's own messages took their digests."""
    refs = References(platform_ids)
    if not refs.digests:
        return 0
    changed = 0
    rows = session.exec(
        select(Message).where(
            or_(col(Message.reply_to_platform_id).in_(refs.digests), refs.holding(col(Message.raw)))
        )
    ).all()
    for message in rows:
        reply_to, raw = refs.replace(message.reply_to_platform_id), refs.replace(message.raw)
        if reply_to != message.reply_to_platform_id or raw != message.raw:
            message.reply_to_platform_id, message.raw = reply_to, raw
            changed += 1
    for reply in session.exec(select(OutboundReply).where(col(OutboundReply.in_reply_to).in_(refs.digests))):
        reply.in_reply_to = refs.replace(reply.in_reply_to)
        changed += 1
    held = refs.holding(col(QuarantinedItem.raw), col(QuarantinedItem.error))
    for item in session.exec(select(QuarantinedItem).where(held)):
        item.raw, item.error = refs.replace(item.raw), refs.replace(item.error)
        changed += 1
    for event in session.exec(select(WebhookEvent)).all():
        body = bytes(event.body).decode("utf-8", errors="surrogateescape")
        if refs.pattern is not None and refs.pattern.search(body):
            event.body = _replaced_body(refs, body)
            changed += 1
    return changed


def _replaced_body(refs: References, body: str) -> bytes:
    try:
        parsed = json.loads(body)
    except ValueError:
        return refs.replace(body).encode("utf-8", errors="surrogateescape")
    return json.dumps(refs.replace(parsed), separators=(",", ":")).encode()
