"""An agent redacts part of a stored message by hand (personal data the masking did not catch: an address, a
name, a password the customer typed). Session-taking; never commits.

Rules: any desk user may ("work"); the part must appear in the message's text or an earlier version of it
(an edited message); every occurrence of it is replaced by as many ``█`` as it has characters (offsets of
the personal-data spans still hold), in the text, in the raw payload's strings (its earlier versions too),
and in the channel's stored webhook bodies and quarantined payloads (with their errors). Audited
(``message.redacted``) with the message and the length, never the redacted text.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from inbox.access import Actor, require
from inbox.i18n import _
from inbox.store import records as store
from inbox.store.tables import Message, QuarantinedItem, WebhookEvent

BLOCK = "█"
MIN_LENGTH = 2


class RedactionError(ValueError):
    """The part cannot be redacted as asked (no such message, too short, not in the text)."""


def _scrub(value: Any, part: str, blocks: str) -> Any:
    if isinstance(value, str):
        return value.replace(part, blocks)
    if isinstance(value, list):
        return [_scrub(v, part, blocks) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, part, blocks) for k, v in value.items()}
    return value


def _scrub_bodies(session: Session, channel_id: int, part: str, blocks: str) -> None:
    forms = {
        part.encode(): blocks.encode(),
        json.dumps(part)[1:-1].encode(): json.dumps(blocks)[1:-1].encode(),
    }
    for event in session.exec(select(WebhookEvent).where(WebhookEvent.channel_id == channel_id)):
        body = bytes(event.body)
        for old, new in forms.items():
            body = body.replace(old, new)
        if body != bytes(event.body):
            event.body = body


def _earlier(message: Message) -> list[str]:
    """The words of an edited message's earlier versions (``raw["versions"]``), which agents see too."""
    versions = (message.raw or {}).get("versions") or []
    return [v["text"] for v in versions if isinstance(v, dict) and isinstance(v.get("text"), str)]


def redact(session: Session, message_id: int, part: str, by: Actor, now: datetime) -> Message:
    """Redact every occurrence of ``part`` in message ``message_id``; RedactionError when it cannot."""
    require(by, "work")
    message = session.get(Message, message_id)
    if message is None:
        raise RedactionError(_("no message #{id}").format(id=message_id))
    if len(part.strip()) < MIN_LENGTH:
        raise RedactionError(_("write at least {n} characters to redact").format(n=MIN_LENGTH))
    if not any(part in words for words in [message.text, *_earlier(message)]):
        raise RedactionError(_("this text is not in the message"))
    blocks = BLOCK * len(part)
    message.text = message.text.replace(part, blocks)
    message.raw = _scrub(message.raw, part, blocks)
    _scrub_bodies(session, message.channel_id, part, blocks)
    for item in session.exec(select(QuarantinedItem).where(QuarantinedItem.channel_id == message.channel_id)):
        item.raw, item.error = _scrub(item.raw, part, blocks), item.error.replace(part, blocks)
    detail = {"message": message.id, "characters": len(part)}
    store.audit(
        session,
        by.name,
        "message.redacted",
        target=("conversation", message.conversation_id),
        detail=detail,
        at=now,
    )
    return message
