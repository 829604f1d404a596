"""A customer's tags when a response clock started, from the audit trail (``customer.tags``: from, to).

The queue gives each clock the target of the customer's tags at its start (a segment such as vip shortens
it); a tag set later shortens the next clocks only. The report judges each next response the same way:
the tags a change replaced, when the first change after the clock's start did, else the tags now.
Session-taking, read-only; one query per chunk of conversations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import String, cast
from sqlmodel import Session, col, select

from inbox.store.records import one_of
from inbox.store.tables import AuditEvent, Conversation

TagChange = tuple[datetime, tuple[str, ...]]  # when, and the tags it replaced (lower case)


def tag_changes(session: Session, conversation_ids: Sequence[int]) -> dict[int, list[TagChange]]:
    """Per conversation: the changes of its customer's tags, oldest first."""
    a, c = AuditEvent, Conversation
    stmt = (
        select(c.id, a.at, col(a.detail)["from"])
        .join(a, col(a.target_id) == cast(col(c.contact_id), String))
        .where(
            one_of(session, col(c.id), list(conversation_ids)),
            col(a.action) == "customer.tags",
            col(a.target_type) == "contact",
        )
        .order_by(col(a.at), col(a.id))
    )
    out: dict[int, list[TagChange]] = defaultdict(list)
    for conv, at, before in session.exec(stmt).all():
        if conv is not None and at is not None:
            out[conv].append((at, tuple(str(t).lower() for t in (before or []) if isinstance(t, str))))
    return out


def tags_at(changes: Sequence[TagChange], now_tags: tuple[str, ...], started: datetime) -> tuple[str, ...]:
    """The customer's tags at ``started``: those the first later change replaced, else ``now_tags``."""
    for at, before in changes:
        if at > started:
            return before
    return now_tags
