"""Conversations' clocks recomputed from their stored messages, whatever order those were stored in.

``ingest_batch`` calls ``recompute_stored`` for the conversations a page brought a message to that is not
newer than every message they held (a backfill or a polling backlog reads newest first, so a reply can be
stored before the message it answers): their first response, due times and running clock then follow the
messages' own platform times. A page in time order, the common case, needs none of it. Session-taking,
never commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, not_, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from inbox.ingest.threads import (
    AUTOMATIC_PREFIX,
    DueFn,
    StatusChange,
    ThreadEvent,
    is_automatic,
    recompute,
)
from inbox.nlp.reasons import conversation_reason
from inbox.store import records as store
from inbox.store.tables import AuditEvent, Conversation, Message


def outbox_key() -> Any:
    """A message's outbox key (``raw["outbox"]``, set when the outbox recorded our own message), as SQL."""
    return col(Message.raw)["outbox"].as_string()


def automatic_message() -> ColumnElement[bool]:
    """SQL: the message is one of the charter's automatic messages (no answer, whatever its direction)."""
    found: ColumnElement[bool] = outbox_key().like(f"{AUTOMATIC_PREFIX}%")
    return found


def person_answer() -> ColumnElement[bool]:
    """SQL: the message is the brand's answer written by a person (outbound, not an automatic message)."""
    key = outbox_key()
    return and_(col(Message.direction) == "out", or_(key.is_(None), not_(automatic_message())))


def _stored_rows(session: Session, ids: list[int]) -> Iterable[Any]:
    """Each message of the conversations ``ids`` as the clocks read it."""
    m = Message
    stmt = select(
        col(m.conversation_id),
        col(m.created_at),
        col(m.direction),
        col(m.urgency),
        outbox_key(),
        col(m.ingested_at),
        col(m.reason),
        col(m.id),
    ).where(store.one_of(session, col(m.conversation_id), ids))
    return session.execute(stmt).all()


def _events(rows: Iterable[Any], ids: list[int]) -> dict[int, list[ThreadEvent]]:
    out: dict[int, list[ThreadEvent]] = {i: [] for i in ids}
    for conversation_id, at, direction, urgency, key, stored, *_ in rows:
        if at is None or (direction == "out" and is_automatic(key)):
            continue
        if direction == "in":
            out[conversation_id].append(ThreadEvent(at, "in", urgency, stored))
        else:
            out[conversation_id].append(ThreadEvent(at, "out"))
    return out


def thread_events(session: Session, conversation_ids: Iterable[int]) -> dict[int, list[ThreadEvent]]:
    """Each conversation's customer messages and a person's answers (automatic messages left out)."""
    ids = list(dict.fromkeys(conversation_ids))
    return _events(_stored_rows(session, ids) if ids else (), ids)


def reason_at_start(written: Sequence[tuple[datetime | None, str | None]], due: DueFn) -> DueFn:
    """``due``, asked with the contact reason in force when each clock started: the latest not ``other`` of
    the customer messages ``written`` (time, reason; in time order) by its start, each as classified now (an
    agent's correction, a customer's edit). So a clock keeps the reason it started with whatever order the
    messages were stored in, and a correction or an edit re-judges the clocks from its message on, not those
    before. The conversation's reason is put back; none classified (stored before reasons): now's."""
    classified = any(reason for _at, reason in written)

    def asked(c: Conversation, since: datetime, is_next: bool) -> datetime | None:
        now_reason, then = c.reason, None
        for at, reason in written:
            if at is not None and _aware(at) <= _aware(since):
                then = conversation_reason(then, reason)
        c.reason = then if classified else now_reason
        try:
            return due(c, since, is_next)
        finally:
            c.reason = now_reason

    return asked


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _written(rows: Iterable[Any]) -> dict[int, list[tuple[datetime | None, str | None]]]:
    """Each conversation's customer messages (time, reason), in time order."""
    found: dict[int, list[tuple[datetime, int, str | None]]] = {}
    for conversation_id, at, direction, _urgency, _key, _stored, reason, message_id in rows:
        if direction == "in" and at is not None:
            found.setdefault(conversation_id, []).append((_aware(at), message_id, reason))
    return {c: [(at, reason) for at, _id, reason in sorted(rows)] for c, rows in found.items()}


def status_changes(session: Session, conversation_ids: Iterable[int]) -> dict[int, list[StatusChange]]:
    """Each conversation's audited status changes (``conversation.status``), read by the audit trail's
    target index."""
    ids = list(dict.fromkeys(conversation_ids))
    out: dict[int, list[StatusChange]] = {i: [] for i in ids}
    if not ids:
        return out
    a = AuditEvent
    stmt = select(col(a.target_id), col(a.at), col(a.detail)["to"].as_string()).where(
        col(a.target_type) == "conversation",
        store.one_of(session, col(a.target_id), [str(i) for i in ids]),
        col(a.action) == "conversation.status",
    )
    for target, at, status in session.execute(stmt):
        if at is not None and status and target.isdigit() and int(target) in out:
            out[int(target)].append(StatusChange(at, status))
    return out


def conversations_of(session: Session, messages: Iterable[Message]) -> list[Conversation]:
    """The conversations of ``messages`` whose time moved (an X post dated from its first version read
    after its edit, ``edits.superseded``): their clocks are to be worked out again."""
    ids = sorted({m.conversation_id for m in messages if m.conversation_id is not None})
    return [conv for i in ids if (conv := session.get(Conversation, i)) is not None]


def recompute_stored(
    session: Session,
    convs: Iterable[Conversation],
    due_for: Callable[[Conversation], DueFn],
    *,
    rejudge: bool = False,
) -> None:
    """``threads.recompute`` each conversation from its stored messages (flush the new ones first);
    ``due_for`` gives the due policy bound to a conversation's channel and customer, asked with the contact
    reason in force when each clock started (``reason_at_start``). A late message keeps the first-response
    due time stored at arrival; ``rejudge`` (a classification correction) does not."""
    by_id = {conv.id: conv for conv in convs if conv.id is not None}
    if not by_id:
        return
    statuses = status_changes(session, by_id)
    rows = _stored_rows(session, list(by_id))
    written = _written(rows)
    for conversation_id, events in _events(rows, list(by_id)).items():
        conv = by_id[conversation_id]
        due = reason_at_start(written.get(conversation_id, []), due_for(conv))
        recompute(conv, events, due, rejudge=rejudge, statuses=statuses[conversation_id])
