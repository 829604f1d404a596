"""Sign-in throttling: by user name and by client address; audited without what was typed. Session-taking.

A failed sign-in is audited under the user's name only when such a user exists, else as ``unknown user`` with
no text of what was typed (a password typed into the name field must never be stored). Every failure notes the
client address, so one password tried across many names is throttled too. A locked-out name is recovered by
an admin (``unlock``: the web app's Team page, or ``inbox user unlock NAME``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from inbox.access import can
from inbox.desk.auth import _DUMMY_HASH, user_by_name, verify_password
from inbox.store import records as store
from inbox.store.tables import AuditEvent, User

MAX_PER_NAME, MAX_PER_CLIENT, WINDOW = 5, 20, timedelta(minutes=15)
UNKNOWN = "unknown user"
FAILED, BLOCKED, UNLOCKED = "auth.sign_in_failed", "auth.sign_in_blocked", "auth.unlocked"


class UnlockError(ValueError):
    """No such user, or the one unlocking is not an admin."""


def _last_unlock(session: Session, name: str) -> datetime | None:
    return session.exec(
        select(func.max(AuditEvent.at)).where(AuditEvent.action == UNLOCKED, AuditEvent.target_id == name)
    ).one()


def name_locked(session: Session, name: str, now: datetime) -> bool:
    """Too many failures lately for this existing user (since an admin last unlocked it)."""
    unlocked = _last_unlock(session, name)
    recent = col(AuditEvent.at) >= now - WINDOW
    if unlocked is not None:
        recent = recent & (col(AuditEvent.at) > unlocked)
    stmt = select(func.count()).where(AuditEvent.action == FAILED, AuditEvent.actor == name, recent)
    return int(session.exec(stmt).one()) >= MAX_PER_NAME


def client_locked(session: Session, client: str, now: datetime) -> bool:
    """Too many failures lately from this client address, whatever the names tried."""
    stmt = select(func.count()).where(
        AuditEvent.action == FAILED,
        AuditEvent.target_type == "client",
        AuditEvent.target_id == client,
        col(AuditEvent.at) >= now - WINDOW,
    )
    return int(session.exec(stmt).one()) >= MAX_PER_CLIENT


def sign_in(session: Session, name: str, password: str, *, client: str | None, now: datetime) -> User | None:
    """The active user with this name and password, or None. Every attempt is audited, never the text typed
    as a name unless it is a user's name. ``client``: the address the attempt came from (None: unknown)."""
    client = (client or "unknown")[:64]
    user = user_by_name(session, name)
    actor = user.name if user else UNKNOWN
    if client_locked(session, client, now) or (user is not None and name_locked(session, user.name, now)):
        detail = {"reason": "too many failures"}
        store.audit(session, actor, BLOCKED, target=("client", client), detail=detail, at=now)
        return None
    ok = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not ok or not user.active:
        reason = UNKNOWN if user is None else ("inactive" if ok else "bad password")
        store.audit(session, actor, FAILED, target=("client", client), detail={"reason": reason}, at=now)
        return None
    store.audit(session, user.name, "auth.signed_in", target=("user", user.id), at=now)
    return user


def locked(session: Session, name: str, client: str | None, now: datetime) -> bool:
    """Whether a sign-in as ``name`` from ``client`` is refused for now (for the page's message)."""
    user = user_by_name(session, name)
    by_name = user is not None and name_locked(session, user.name, now)
    return by_name or client_locked(session, (client or "unknown")[:64], now)


def unlock(session: Session, name: str, *, by: str, by_role: str, now: datetime) -> None:
    """An admin (or the operator, ``by_role="admin"``) lifts a name's lock-out at once; audited."""
    if not can(by_role, "users"):  # inbox.access: managing users is an admin's
        raise UnlockError("only an admin can unlock a user")
    user = user_by_name(session, name)
    if user is None:
        raise UnlockError(f"no user {name.strip().lower()!r}")
    store.audit(session, by, UNLOCKED, target=("user", user.name), detail={"name": user.name}, at=now)
