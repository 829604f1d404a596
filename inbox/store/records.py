"""Store functions: they take a Session and never commit. The caller owns the transaction."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import any_, literal, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from connectors.base import Author
from connectors.redact import redact
from inbox.store.gone import erased_id
from inbox.store.tables import AuditEvent, Channel, Contact, Conversation, ListeningCursor, Message, utcnow


def audit(
    session: Session,
    actor: str,
    action: str,
    *,
    target: tuple[str, object] | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Record who did what, when (in the caller's transaction, so it lands only if the action does). The
    detail's texts are redacted (``connectors.redact``): an error that echoed a token never lands here."""
    session.add(
        AuditEvent(
            at=at or utcnow(),
            actor=actor,
            action=action,
            target_type=target[0] if target else None,
            target_id=str(target[1]) if target else None,
            detail=_redacted(detail or {}),
        )
    )


def _redacted(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redacted(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(v) for v in value]
    return value


def one_of(session: Session, column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """``column IN (values)``, written ``column = ANY(:array)`` on PostgreSQL: one parameter whatever the
    count, so each page's lookup is planned like the last (a 100-item IN list cost 30 ms there, ANY 2 ms)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        return cast(ColumnElement[bool], column == any_(literal(list(values), ARRAY(column.type))))
    return cast(ColumnElement[bool], column.in_(list(values)))


def channel_by_name(session: Session, name: str) -> Channel | None:
    return session.exec(select(Channel).where(Channel.name == name)).first()


def insert_missing(session: Session, model: Any, values: dict[str, Any] | list[dict[str, Any]]) -> None:
    """INSERT … ON CONFLICT DO NOTHING (one executemany for a list, compiled once whatever its length):
    workers that create the same rows at once all go on (the caller reads the rows back); on PostgreSQL a
    plain INSERT would fail the second worker's transaction."""
    rows = values if isinstance(values, list) else [values]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(pg_insert(model).on_conflict_do_nothing(), rows)
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        session.execute(sqlite_insert(model).on_conflict_do_nothing(), rows)
    else:
        session.add_all([model(**row) for row in rows])
        session.flush()


def ensure_channel(session: Session, name: str, platform: str, account: str) -> Channel:
    """The channel row for a configured channel, created on first use, kept in step with the config."""
    channel = channel_by_name(session, name)
    if channel is None:
        values = {"name": name, "platform": platform, "account": account, "reads_used": 0}
        insert_missing(session, Channel, {**values, "created_at": utcnow()})
        channel = channel_by_name(session, name)
        assert channel is not None
    elif (channel.platform, channel.account) != (platform, account):
        channel.platform, channel.account = platform, account
    return channel


def cursor_row(session: Session, channel_id: int, stream: str, *, lock: bool = False) -> ListeningCursor:
    """The cursor row of one stream, created empty on first use."""
    stmt = select(ListeningCursor).where(
        ListeningCursor.channel_id == channel_id, ListeningCursor.stream == stream
    )
    if lock:
        stmt = stmt.with_for_update()
    row = session.exec(stmt).first()
    if row is None:
        insert_missing(session, ListeningCursor, {"channel_id": channel_id, "stream": stream, "failures": 0})
        row = session.exec(stmt).one()
    return row


def stored_platform_ids(session: Session, channel_id: int, platform_ids: Iterable[str]) -> dict[str, str]:
    """Each of these platform ids that a stored message holds, with the id it is stored under: itself, or
    its tombstone when the message was erased (``inbox.store.gone.erased_id``)."""
    ids = list(dict.fromkeys(platform_ids))
    if not ids:
        return {}
    tombstones = {erased_id(i): i for i in ids}
    stmt = select(Message.platform_id).where(
        Message.channel_id == channel_id, one_of(session, col(Message.platform_id), [*ids, *tombstones])
    )
    return {tombstones.get(stored, stored): stored for stored in session.exec(stmt)}


def existing_platform_ids(session: Session, channel_id: int, platform_ids: Iterable[str]) -> set[str]:
    """The ids a stored message holds, erased ones included (a redelivery of those is no new message)."""
    return set(stored_platform_ids(session, channel_id, platform_ids))


def upsert_contact(session: Session, channel_id: int, author: Author, now: datetime) -> Contact:
    """The customer behind ``author``, created or refreshed with what the platform says now."""
    contact = session.exec(
        select(Contact).where(Contact.channel_id == channel_id, Contact.platform_id == author.platform_id)
    ).first()
    if contact is None:
        contact = Contact(channel_id=channel_id, platform_id=author.platform_id, created_at=now)
        session.add(contact)
    if author.handle:
        contact.handle = author.handle
    if author.display_name:
        contact.display_name = author.display_name
    if author.followers is not None:
        contact.followers = author.followers
    contact.updated_at = now
    session.flush()
    return contact


def contacts_for(
    session: Session, channel_id: int, authors: Sequence[Author], now: datetime
) -> dict[str, Contact]:
    """``upsert_contact`` for a whole page: one read, one insert of the missing, then each author's details
    applied in page order (the last non-empty value wins, as item by item)."""
    ids = list(dict.fromkeys(a.platform_id for a in authors))
    if not ids:
        return {}
    stmt = select(Contact).where(
        Contact.channel_id == channel_id, one_of(session, col(Contact.platform_id), ids)
    )
    found = {c.platform_id: c for c in session.exec(stmt)}
    missing = [i for i in ids if i not in found]
    if missing:
        base = {"channel_id": channel_id, "tags": [], "created_at": now, "updated_at": now}
        insert_missing(session, Contact, [{**base, "platform_id": i} for i in missing])
        found = {c.platform_id: c for c in session.exec(stmt)}
    for author in authors:
        _refresh(found[author.platform_id], author, now)
    return found


def _refresh(contact: Contact, author: Author, now: datetime) -> None:
    """Apply what the platform says now; ``updated_at`` moves only when something changed (an unchanged
    customer costs no UPDATE)."""
    news = {"handle": author.handle, "display_name": author.display_name, "followers": author.followers}
    changed = {k: v for k, v in news.items() if v not in (None, "") and getattr(contact, k) != v}
    for name, value in changed.items():
        setattr(contact, name, value)
    if changed:
        contact.updated_at = now


def conversations_for(
    session: Session,
    channel_id: int,
    threads: Sequence[tuple[str, str, str, datetime]],
    customers_in: Collection[tuple[str, str]] | None = None,
) -> dict[tuple[str, str], Conversation]:
    """``conversation_for`` for a whole page of (visibility, thread key, kind, created at): one read and one
    insert of the missing; a new conversation takes the kind and time of its first item in the page. With
    ``customers_in`` (the (visibility, key) threads where the page has a customer's message), a new thread
    without one is ours alone (a DM the brand wrote): it is created pending, as ``conversation_for`` says."""
    keys = list(dict.fromkeys(t[1] for t in threads))
    if not keys:
        return {}
    kinds = sorted({t[0] for t in threads})  # visibility too, so the unique index is used for each key
    stmt = select(Conversation).where(
        Conversation.channel_id == channel_id,
        col(Conversation.visibility).in_(kinds),
        one_of(session, col(Conversation.thread_key), keys),
    )
    found = {(c.visibility, c.thread_key): c for c in session.exec(stmt)}
    first: dict[tuple[str, str], dict[str, Any]] = {}
    for visibility, key, kind, created_at in threads:
        if (visibility, key) not in found and (visibility, key) not in first:
            first[(visibility, key)] = {
                "channel_id": channel_id,
                "thread_key": key,
                "visibility": visibility,
                "kind": kind,
                "status": "open" if customers_in is None or (visibility, key) in customers_in else "pending",
                "tags": [],
                "created_at": created_at,
            }
    if first:
        insert_missing(session, Conversation, list(first.values()))
        found = {(c.visibility, c.thread_key): c for c in session.exec(stmt)}
    return found


def conversation_for(
    session: Session,
    channel_id: int,
    visibility: str,
    thread_key: str,
    kind: str,
    created_at: datetime,
    *,
    ours: bool = False,
) -> Conversation:
    """The conversation a thread key belongs to, created on its first message. One that ``ours`` starts (our
    direct message, before the customer wrote there) is created **pending**: nothing waits for an answer, so
    it is not in the queue's open list; the customer's first message there opens it with a clock."""
    conv = session.exec(
        select(Conversation).where(
            Conversation.channel_id == channel_id,
            Conversation.visibility == visibility,
            Conversation.thread_key == thread_key,
        )
    ).first()
    if conv is None:
        conv = Conversation(
            channel_id=channel_id,
            thread_key=thread_key,
            visibility=visibility,
            kind=kind,
            created_at=created_at,
            status="pending" if ours else "open",
        )
        session.add(conv)
        session.flush()
    return conv


def thread(session: Session, conversation_id: int) -> list[Message]:
    """A conversation's messages in order."""
    stmt = (
        select(Message)
        .where(Message.conversation_id == conversation_id)
        .order_by(col(Message.created_at), col(Message.id))
    )
    return list(session.exec(stmt))


def claim_lease(
    session: Session,
    cursor_id: int,
    owner: str,
    now: datetime,
    ttl: timedelta,
    *,
    dead_owner: str | None = None,
) -> bool:
    """Take (or renew) the right to poll one stream until ``now + ttl``. Only one worker can win.

    The lease is free when nobody holds it, when it expired, or when it belongs to ``dead_owner`` (a
    process the caller knows has died)."""
    free = (
        col(ListeningCursor.lease_owner).is_(None)
        | (col(ListeningCursor.lease_until) < now)
        | (col(ListeningCursor.lease_owner) == owner)
    )
    if dead_owner:
        free = free | (col(ListeningCursor.lease_owner) == dead_owner)
    result = session.execute(
        update(ListeningCursor)
        .where(col(ListeningCursor.id) == cursor_id, free)
        .values(lease_owner=owner, lease_until=now + ttl)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def release_lease(session: Session, cursor_id: int, owner: str) -> None:
    session.execute(
        update(ListeningCursor)
        .where(col(ListeningCursor.id) == cursor_id, col(ListeningCursor.lease_owner) == owner)
        .values(lease_owner=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
