"""Delivery failures reported by webhook after the platform accepted a message (WhatsApp ``failed`` statuses).

The outbox recorded such a reply as sent; the failure turns it into ``failed`` with the platform's error, so
the agent sees it on the conversation (and may answer with an approved template instead). Session-taking,
never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, select

from inbox.store import records as store
from inbox.store.tables import OutboundReply


def mark_failed(session: Session, channel_id: int, failures: Sequence[tuple[str, str]], now: datetime) -> int:
    """Mark each sent reply with one of these platform ids as failed; returns how many changed."""
    changed = 0
    for platform_id, error in failures:
        stmt = select(OutboundReply).where(
            OutboundReply.channel_id == channel_id, OutboundReply.platform_id == platform_id
        )
        reply = session.exec(stmt).first()
        if reply is None or reply.status != "sent":
            continue
        reply.status, reply.last_error = "failed", error
        store.audit(
            session,
            "webhooks",
            "reply.failed",
            target=("conversation", reply.conversation_id),
            detail={"reply": reply.id, "platform_id": platform_id, "error": error},
            at=now,
        )
        changed += 1
    return changed
