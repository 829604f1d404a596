"""What an agent is told without watching the queue. Session-taking, never commits.

Four things, each told once per user: a conversation was assigned to them by someone else (an assignment in
the audit log, by hand, round-robin or automatic), their customer wrote again (an inbound message on a
conversation assigned to them), one of theirs is at risk or late (its running clock, as the escalation alerts
judge it), a colleague mentioned them in a note ("@morgan", ``inbox.desk.notes``; always told). ``poll``
looks at what happened since the user's cursor, stores each new thing once (unique per user and key, so a
reload or a second tab never repeats it) and hands each one to a single browser. The first poll only places
the cursor: signing in never floods the user with history. Only conversations on the
channels the user works (``inbox.desk.channel_scope``) are told, and only those on the channels they work
now are listed and counted (one told before a restriction changed no longer shows). A notification is unread
until the user opens its conversation or marks them all read; the unread count is the tab title's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import ColumnElement, func, or_, true, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from inbox.charter.open_clocks import open_clocks
from inbox.charter.versions import CharterBook
from inbox.desk import channel_scope
from inbox.desk.channel_scope import Scope
from inbox.store.tables import (
    AgentNotification,
    AuditEvent,
    Channel,
    Contact,
    Conversation,
    Message,
    Note,
    NotificationCursor,
    NotificationSettings,
    User,
)

Kind = Literal["assigned", "customer_wrote", "at_risk", "mentioned"]
KINDS: tuple[Kind, ...] = ("assigned", "customer_wrote", "at_risk", "mentioned")
LATE = "late"  # the key prefix of an "at_risk" notice whose clock had run out
CRITICAL = "critical"  # the urgency whose notifications also ring
RECENT = 30  # how many notifications the list shows


@dataclass(frozen=True, slots=True)
class Notice:
    """A notification as the screens show it."""

    id: int
    kind: str
    conversation_id: int
    critical: bool
    created_at: datetime
    read: bool
    channel: str
    handle: str | None  # the customer's handle, else their display name
    excerpt: str  # the customer's last message, first line
    late: bool = False  # an "at_risk" notice told once the clock had already run out
    by: str | None = None  # who mentioned the user ("mentioned"); the excerpt is then their note


def settings_of(session: Session, user_id: int) -> NotificationSettings:
    """The user's settings (everything on when they never changed them); not added to the session."""
    return session.get(NotificationSettings, user_id) or NotificationSettings(user_id=user_id)


def _cursor(session: Session, user_id: int) -> tuple[NotificationCursor, bool]:
    """(the cursor, whether it was just placed at the current ends of the audit log and messages)."""
    cursor = session.get(NotificationCursor, user_id)
    if cursor is not None:
        return cursor, False
    audit_end = session.exec(select(func.max(AuditEvent.id))).one() or 0
    message_end = session.exec(select(func.max(Message.id))).one() or 0
    cursor = NotificationCursor(user_id=user_id, audit_id=audit_end, message_id=message_end)
    try:
        with session.begin_nested():
            session.add(cursor)
    except IntegrityError:  # another tab placed it first
        found = session.get(NotificationCursor, user_id)
        assert found is not None
        return found, True
    return cursor, True


Found = list[tuple[str, int]]  # (the notification's key, its conversation)


def _from_audit(session: Session, user_id: int, actor: str, after: int) -> tuple[Found, Found, int]:
    """Since audit event ``after``: conversations assigned to the user by someone else, notes mentioning
    them (key ``mention:<note id>:<author>``); the new end."""
    stmt = (
        select(AuditEvent)
        .where(col(AuditEvent.id) > after, AuditEvent.target_type == "conversation")
        .where(
            or_(col(AuditEvent.action).like("conversation.%assigned"), col(AuditEvent.action) == "note.added")
        )
        .order_by(col(AuditEvent.id))
    )
    assigned, mentioned, end = [], [], after
    for event in session.exec(stmt):
        assert event.id is not None
        end = max(end, event.id)
        if not (event.target_id and event.target_id.isdigit()) or event.actor == actor:
            continue
        if event.action == "note.added":
            if user_id in (event.detail.get("mentions") or []):
                mentioned.append((f"mention:{event.detail.get('note')}:{event.actor}", int(event.target_id)))
        elif event.detail.get("to") == user_id:
            assigned.append((f"assigned:{event.id}", int(event.target_id)))
    last = session.exec(select(func.max(AuditEvent.id))).one() or 0
    return assigned, mentioned, max(end, last)


def _customer_messages(session: Session, user_id: int, after: int) -> tuple[list[tuple[str, int]], int]:
    """Inbound messages on the user's open conversations since message ``after``; the new end."""
    stmt = (
        select(Message.id, Message.conversation_id)
        .join(Conversation, col(Conversation.id) == col(Message.conversation_id))
        .where(col(Message.id) > after, Message.direction == "in")
        .where(Conversation.assignee_id == user_id, Conversation.status != "resolved")
        .order_by(col(Message.id))
    )
    found = [(f"message:{mid}", conv_id) for mid, conv_id in session.exec(stmt) if mid is not None]
    last = session.exec(select(func.max(Message.id))).one() or 0
    return found, max(after, last)


def _at_risk(session: Session, user_id: int, book: CharterBook, now: datetime) -> list[tuple[str, int]]:
    """The user's running clocks at risk or late, keyed by state and due time: a clock at risk that then runs
    late is told twice (at risk, then late); a new clock may warn again."""
    return [
        (
            f"{LATE if c.state == 'breached' else 'at_risk'}:{c.conversation_id}:{c.due_at.isoformat()}",
            c.conversation_id,
        )
        for c in open_clocks(session, book, now, assignee_id=user_id)
        if c.state != "on_track"
    ]


def _store(session: Session, user_id: int, kind: Kind, found: list[tuple[str, int]], now: datetime) -> None:
    user = session.get(User, user_id)
    if user is not None and found:  # none about a conversation on a channel they do not work
        seen = channel_scope.within(session, channel_scope.effective(session, user), [c for _, c in found])
        found = [(key, conv_id) for key, conv_id in found if conv_id in seen]
    if not found:
        return
    known = set(
        session.exec(
            select(AgentNotification.key).where(
                AgentNotification.user_id == user_id, col(AgentNotification.key).in_([k for k, _ in found])
            )
        )
    )
    urgencies = dict(
        session.exec(
            select(Conversation.id, Conversation.urgency).where(
                col(Conversation.id).in_([c for _, c in found])
            )
        ).all()
    )
    for key, conv_id in found:
        if key in known:
            continue
        row = AgentNotification(
            user_id=user_id,
            kind=kind,
            conversation_id=conv_id,
            key=key,
            critical=urgencies.get(conv_id) == CRITICAL,
            created_at=now,
        )
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # another tab stored it first
            continue


def poll(session: Session, user_id: int, user_name: str, book: CharterBook, now: datetime) -> list[Notice]:
    """Store what is new for the user since their cursor; return what no browser was handed yet (once)."""
    cursor, placed = _cursor(session, user_id)
    wanted = settings_of(session, user_id)
    assigned, mentioned, cursor.audit_id = _from_audit(session, user_id, user_name, cursor.audit_id)
    wrote, cursor.message_id = _customer_messages(session, user_id, cursor.message_id)
    session.add(cursor)
    if not placed:
        if wanted.assigned:
            _store(session, user_id, "assigned", assigned, now)
        if wanted.customer_wrote:
            _store(session, user_id, "customer_wrote", wrote, now)
        _store(session, user_id, "mentioned", mentioned, now)
    if wanted.at_risk:
        _store(session, user_id, "at_risk", _at_risk(session, user_id, book, now), now)
    session.flush()
    pending = session.exec(
        select(AgentNotification.id).where(
            AgentNotification.user_id == user_id, col(AgentNotification.delivered_at).is_(None)
        )
    ).all()
    mine = [nid for nid in pending if nid is not None and _take(session, nid, now)]
    return notices(session, user_id, ids=mine) if mine else []


def _take(session: Session, notification_id: int, now: datetime) -> bool:
    """Mark one notification delivered; False when another tab took it first."""
    done = session.execute(
        update(AgentNotification)
        .where(col(AgentNotification.id) == notification_id, col(AgentNotification.delivered_at).is_(None))
        .values(delivered_at=now)
    )
    return bool(done.rowcount)  # type: ignore[attr-defined]


def notices(
    session: Session, user_id: int, *, ids: list[int] | None = None, limit: int = RECENT
) -> list[Notice]:
    """The user's notifications, newest first (or exactly ``ids``), with what the screens show."""
    stmt = (
        select(AgentNotification, Channel.name, func.coalesce(Contact.handle, Contact.display_name))
        .join(Conversation, col(Conversation.id) == col(AgentNotification.conversation_id))
        .join(Channel, col(Channel.id) == col(Conversation.channel_id))
        .outerjoin(Contact, col(Contact.id) == col(Conversation.contact_id))
        .where(AgentNotification.user_id == user_id)
        .order_by(col(AgentNotification.id).desc())
    )
    stmt = stmt.where(_on_channels_now(session, user_id))
    stmt = stmt.where(col(AgentNotification.id).in_(ids)) if ids is not None else stmt.limit(limit)
    rows = list(session.exec(stmt))
    last = _last_inbound(session, [n.conversation_id for n, _, _ in rows])
    said = _notes(session, [n.key for n, _, _ in rows if n.kind == "mentioned"])
    authors = _display_names(session, {n.key.split(":", 2)[2] for n, _, _ in rows if n.kind == "mentioned"})
    return [
        Notice(
            id=n.id or 0,
            kind=n.kind,
            conversation_id=n.conversation_id,
            critical=n.critical,
            created_at=n.created_at,
            read=n.read_at is not None,
            channel=channel,
            handle=handle,
            excerpt=said.get(n.key, "") if n.kind == "mentioned" else last.get(n.conversation_id, ""),
            late=n.key.startswith(f"{LATE}:"),
            by=authors.get(n.key.split(":", 2)[2]) if n.kind == "mentioned" else None,
        )
        for n, channel, handle in rows
    ]


def _display_names(session: Session, names: set[str]) -> dict[str, str]:
    """User name -> the name colleagues see (the user name when there is none)."""
    if not names:
        return {}
    rows = session.exec(select(User.name, User.display_name).where(col(User.name).in_(names))).all()
    return {name: name for name in names} | {name: display or name for name, display in rows}


def _notes(session: Session, keys: list[str], width: int = 120) -> dict[str, str]:
    """The text of the notes behind "mentioned" notifications (``mention:<note id>:<author>``), by key."""
    ids = {key: int(key.split(":")[1]) for key in keys if key.split(":")[1].isdigit()}
    if not ids:
        return {}
    texts = dict(session.exec(select(Note.id, Note.text).where(col(Note.id).in_(set(ids.values())))).all())
    return {key: " ".join(texts.get(i, "").split())[:width] for key, i in ids.items()}


def _last_inbound(session: Session, conversation_ids: list[int], width: int = 120) -> dict[int, str]:
    if not conversation_ids:
        return {}
    stmt = (
        select(Message.conversation_id, Message.text)
        .where(col(Message.conversation_id).in_(set(conversation_ids)), Message.direction == "in")
        .order_by(col(Message.id))
    )
    out = {conv: " ".join(text.split())[:width] for conv, text in session.exec(stmt)}
    return out


def _on_channels_now(session: Session, user_id: int) -> ColumnElement[bool]:
    """A condition on ``Channel.name``: a channel the user works now (``channel_scope.effective``; none for an
    unknown user). Read each time the bell is drawn, so a notification told before a restriction changed
    never lists a conversation the user may not see now."""
    user = session.get(User, user_id)
    scope: Scope = channel_scope.effective(session, user) if user is not None else frozenset()
    return true() if scope is None else col(Channel.name).in_(sorted(scope))


def unread_count(session: Session, user_id: int) -> int:
    """The user's unread notifications about conversations on the channels they work now."""
    stmt = (
        select(func.count())
        .select_from(AgentNotification)
        .join(Conversation, col(Conversation.id) == col(AgentNotification.conversation_id))
        .join(Channel, col(Channel.id) == col(Conversation.channel_id))
        .where(AgentNotification.user_id == user_id, col(AgentNotification.read_at).is_(None))
        .where(_on_channels_now(session, user_id))
    )
    return int(session.exec(stmt).one())


def mark_read(session: Session, user_id: int, now: datetime, conversation_id: int | None = None) -> int:
    """Mark the user's notifications read: those of one conversation (opened), or all; how many."""
    stmt = (
        update(AgentNotification)
        .where(col(AgentNotification.user_id) == user_id, col(AgentNotification.read_at).is_(None))
        .values(read_at=now)
    )
    if conversation_id is not None:
        stmt = stmt.where(col(AgentNotification.conversation_id) == conversation_id)
    return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]
