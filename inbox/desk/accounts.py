"""Accounts managed by admins: deactivate, reactivate, change a role, the languages spoken or the capacity,
reset a password, end a temporary one; and each person's own password.

Session-taking, never commits; every change is audited (``user.*``). Rules:
- only an admin (or the operator at the command line, ``OPERATOR``) changes accounts;
- a deactivated account, or one past its end date (``active_until``: agency staff for a peak), cannot sign in,
  and its open sessions end at once: every page re-reads the user (``inbox.ui.common.current_user``) and its
  presence is dropped, so it is not shown online nor auto-assigned;
- the last active admin cannot be deactivated, demoted or given an end date, so someone can still manage;
- a password a person chooses has at least ``MIN_PASSWORD`` characters (only the demo seed has shorter ones);
- a password an admin chose (a user added on the Team page, a reset) is temporary: its owner must choose their
  own at their next sign-in (``must_change_password``; not when signing in through the identity provider);
- anyone changes their own password by giving the current one; their other browsers are signed out, the one
  they changed it in stays signed in (``change_own_password``);
- a session that survives a reload (``inbox.desk.web_sessions``) is resumed only for an account that may still
  sign in; deactivating, ending or resetting the password of an account revokes all of its sessions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from inbox.access import ROLES, Actor, require
from inbox.desk import presence, web_sessions
from inbox.desk.auth import (
    AuthError,
    check_capacity,
    hash_password,
    spoken_languages,
    user_by_name,
    verify_password,
)
from inbox.i18n import _
from inbox.store import records as store
from inbox.store.tables import User

MIN_PASSWORD = 12


@dataclass(frozen=True)
class Operator:
    """Whoever runs ``inbox user ...`` on the server: acts as an admin, audited as ``cli``."""

    name: str = "cli"
    role: str = "admin"
    active: bool = True


OPERATOR = Operator()


def check_password(password: str) -> None:
    """AuthError unless ``password`` is long enough for a person to choose it."""
    if len(password) < MIN_PASSWORD:
        raise AuthError(_("the password must have at least {n} characters").format(n=MIN_PASSWORD))


def may_sign_in(user: User, now: datetime) -> bool:
    """Active, and before its end date if it has one."""
    return bool(user.active) and (user.active_until is None or now < user.active_until)


def resume(session: Session, cookie: str, key: bytes, now: datetime) -> User | None:
    """The user a session cookie signs in again after a reload, or None; audited (``auth.session_resumed``).

    A live session of an account that may no longer sign in is revoked on the way."""
    row = web_sessions.find(session, cookie, key, now)
    if row is None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not may_sign_in(user, now):
        row.revoked_at, row.revoked_why = now, "account may not sign in"
        return None
    store.audit(session, user.name, "auth.session_resumed", target=("user", user.id), at=now)
    return user


def _end_sessions(session: Session, user: User, now: datetime, why: str) -> None:
    if user.id is not None:
        presence.signed_out(session, user.id, now)
        web_sessions.revoke_user(session, user.id, now, why)


def _user(session: Session, name: str) -> User:
    user = user_by_name(session, name)
    if user is None:
        raise AuthError(_("no user named {name}").format(name=repr(name.strip().lower())))
    return user


def _keeps_an_admin(session: Session, user: User, now: datetime) -> None:
    """AuthError if ``user`` is the only admin who can still sign in."""
    if user.role != "admin" or not may_sign_in(user, now):
        return
    admins = session.exec(
        select(User).where(User.role == "admin", col(User.active).is_(True), User.id != user.id)
    ).all()
    if not any(may_sign_in(a, now) for a in admins):
        raise AuthError(_("{name} is the last admin who can sign in").format(name=user.name))


def _audit(session: Session, by: Actor, action: str, user: User, now: datetime, **detail: object) -> None:
    store.audit(
        session, by.name, action, target=("user", user.id), detail={"name": user.name, **detail}, at=now
    )


def deactivate(session: Session, by: Actor, name: str, now: datetime) -> User:
    """The user can no longer sign in; their sessions end at their next page."""
    require(by, "users")
    user = _user(session, name)
    _keeps_an_admin(session, user, now)
    user.active = False
    _end_sessions(session, user, now, "deactivated")
    _audit(session, by, "user.deactivated", user, now)
    return user


def reactivate(session: Session, by: Actor, name: str, now: datetime) -> User:
    """The user can sign in again (an end date already past is cleared)."""
    require(by, "users")
    user = _user(session, name)
    user.active = True
    if user.active_until is not None and user.active_until <= now:
        user.active_until = None
    _audit(session, by, "user.reactivated", user, now)
    return user


def set_role(session: Session, by: Actor, name: str, role: str, now: datetime) -> User:
    require(by, "users")
    if role not in ROLES:
        raise AuthError(_("role must be one of {roles}").format(roles=", ".join(ROLES)))
    user = _user(session, name)
    if role != "admin":
        _keeps_an_admin(session, user, now)
    before, user.role = user.role, role
    _audit(session, by, "user.role", user, now, **{"from": before, "to": role})
    return user


def set_languages(session: Session, by: Actor, name: str, languages: Sequence[str], now: datetime) -> User:
    """The languages the user answers customers in (ISO 639-1 codes, ``auth.spoken_languages``):
    auto-assignment gives them conversations in these languages only."""
    require(by, "users")
    user = _user(session, name)
    before, user.languages = list(user.languages), spoken_languages(languages)
    _audit(session, by, "user.languages", user, now, **{"from": before, "to": user.languages})
    return user


def set_capacity(session: Session, by: Actor, name: str, capacity: int, now: datetime) -> User:
    """How many open conversations the user holds before auto-assignment and round-robin skip them
    (1 to ``auth.MAX_CAPACITY``): fewer for a part-time agent or one who also answers the phone."""
    require(by, "users")
    check_capacity(capacity)
    user = _user(session, name)
    before, user.capacity = user.capacity, capacity
    _audit(session, by, "user.capacity", user, now, **{"from": before, "to": capacity})
    return user


def reset_password(session: Session, by: Actor, name: str, password: str, now: datetime) -> User:
    """A new password, at least ``MIN_PASSWORD`` characters (never written to the audit)."""
    require(by, "users")
    check_password(password)
    user = _user(session, name)
    user.password_hash = hash_password(password)
    user.must_change_password = True  # chosen by an admin: its owner chooses their own at next sign-in
    _end_sessions(session, user, now, "password reset")
    _audit(session, by, "user.password_reset", user, now)
    return user


class WrongCurrentPassword(AuthError):
    """The current password given to change one's own is not right (record it: ``refused_own_password``)."""


def change_own_password(
    session: Session, user_id: int, current: str, new: str, now: datetime, *, keep: int | None = None
) -> User:
    """The signed-in person's new password: ``current`` must be theirs and ``new`` long enough and different.

    Every other session of theirs ends (a password changed because it leaked signs the intruder out); the
    session whose id is ``keep`` (the browser they changed it in) stays. A wrong ``current`` raises
    ``WrongCurrentPassword``; the caller records it with ``refused_own_password`` in its own transaction."""
    user = session.get(User, user_id)
    if user is None:
        raise AuthError(_("no such user"))
    if not verify_password(user.password_hash, current):
        raise WrongCurrentPassword(_("the current password is not right"))
    check_password(new)
    if new == current:
        raise AuthError(_("the new password is the same as the current one"))
    user.password_hash = hash_password(new)
    user.must_change_password = False
    ended = web_sessions.revoke_user(session, user_id, now, "password changed", keep=keep)
    _audit(session, user, "user.password_changed", user, now, other_sessions_ended=ended)
    return user


def refused_own_password(session: Session, user_id: int, now: datetime) -> None:
    """Audit a wrong current password (``user.password_change_refused``): someone at an unlocked screen
    trying passwords leaves a trace."""
    user = session.get(User, user_id)
    if user is not None:
        _audit(session, user, "user.password_change_refused", user, now, reason="wrong current password")


def sign_out_everywhere(session: Session, by: Actor, name: str, now: datetime) -> User:
    """End every session of the user at once (a lost laptop, a shared screen); they may sign in again."""
    require(by, "users")
    user = _user(session, name)
    ended = web_sessions.revoke_user(session, user.id, now, "signed out everywhere") if user.id else 0
    if user.id is not None:
        presence.signed_out(session, user.id, now)
    _audit(session, by, "user.signed_out_everywhere", user, now, sessions=ended)
    return user


def set_end_date(session: Session, by: Actor, name: str, until: datetime | None, now: datetime) -> User:
    """From ``until`` on (None: no end) the account cannot sign in; a date already past ends it now."""
    require(by, "users")
    if until is not None and until.tzinfo is None:
        raise ValueError("until must be timezone-aware")
    user = _user(session, name)
    if until is not None and until <= now:
        _keeps_an_admin(session, user, now)
    user.active_until = until
    if until is not None and until <= now:
        _end_sessions(session, user, now, "account ended")
    _audit(session, by, "user.end_date", user, now, until=until.isoformat() if until else None)
    return user


def active_admins(session: Session) -> int:
    stmt = select(func.count()).select_from(User).where(User.role == "admin", col(User.active).is_(True))
    return int(session.exec(stmt).one())
