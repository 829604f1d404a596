"""Local accounts: argon2id hashes, users, sign-in. Session-taking, never commits (roles: inbox.access)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from babel import Locale
from sqlmodel import Session, col, func, select

from inbox.access import ROLES, Actor, require
from inbox.i18n import _
from inbox.store import records as store
from inbox.store.tables import AuditEvent, User, utcnow

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MIN_PASSWORD = 4
MAX_CAPACITY = 200  # open conversations an agent can hold before auto-assignment skips them
MAX_FAILURES, LOCKOUT_WINDOW = 5, timedelta(minutes=15)  # failed sign-ins per name before a pause
DEMO_USERS = (  # display names are what customers read in a reply's signature: a name, never a role
    ("agent", "agent", "agent", "Alex"),
    ("manager", "manager", "manager", "Morgan"),
    ("admin", "admin", "admin", "Ada"),
)

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY_HASH = _hasher.hash(
    "not a real password"
)  # verified when the name is unknown, so timing tells nothing


class AuthError(ValueError):
    """A user cannot be created as asked (bad name, role or password, or a name already taken)."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def user_by_name(session: Session, name: str) -> User | None:
    return session.exec(select(User).where(User.name == name.strip().lower())).first()


def spoken_languages(codes: Iterable[str]) -> list[str]:
    """The languages a person answers customers in, as ISO 639-1 codes (what the detector gives
    conversations, so auto-assignment can match them): trimmed, lower-cased, each once, in the order given.
    AuthError for anything else ("french", "fra", "f")."""
    known = Locale("en").languages
    out: list[str] = []
    for raw in codes:
        code = raw.strip().lower()
        if not code or code in out:
            continue
        if len(code) != 2 or code not in known:
            raise AuthError(
                _("{code} is not a language code (two letters, e.g. fr, en)").format(code=repr(code))
            )
        out.append(code)
    return out


def check_capacity(capacity: int) -> None:
    """AuthError unless ``capacity`` (open conversations before auto-assignment skips) is 1..MAX_CAPACITY."""
    if not 1 <= capacity <= MAX_CAPACITY:
        raise AuthError(_("the capacity is a number from 1 to {n}").format(n=MAX_CAPACITY))


def create_user(
    session: Session,
    name: str,
    password: str,
    role: str,
    *,
    actor: str,
    display_name: str | None = None,
    languages: Sequence[str] = (),
    capacity: int = 20,
) -> User:
    """Add a user with a hashed password; audited. Raises AuthError on a bad or taken name.

    For the operator (``inbox user add``, demo seeding); a signed-in user goes through ``add_user``."""
    name = name.strip().lower()
    if not NAME_RE.match(name):
        rule = _("a user name is 2-32 characters: letters a-z without accents, digits, '.', '_' or '-'")
        raise AuthError(rule)
    if role not in ROLES:
        raise AuthError(_("role must be one of {roles}").format(roles=", ".join(ROLES)))
    if len(password) < MIN_PASSWORD:
        raise AuthError(_("the password must have at least {n} characters").format(n=MIN_PASSWORD))
    check_capacity(capacity)
    if user_by_name(session, name) is not None:
        raise AuthError(_("a user named {name} already exists").format(name=repr(name)))
    user = User(
        name=name,
        display_name=display_name or name,
        password_hash=hash_password(password),
        role=role,
        languages=spoken_languages(languages),
        capacity=capacity,
    )
    session.add(user)
    session.flush()
    store.audit(session, actor, "user.created", target=("user", user.id), detail={"name": name, "role": role})
    return user


def add_user(
    session: Session,
    by: Actor,
    name: str,
    password: str,
    role: str,
    *,
    display_name: str | None = None,
    languages: Sequence[str] = (),
    capacity: int = 20,
) -> User:
    """``create_user`` for a signed-in user, who must be allowed to add users (PermissionDenied if not)."""
    require(by, "users")
    user = create_user(
        session,
        name,
        password,
        role,
        actor=by.name,
        display_name=display_name,
        languages=languages,
        capacity=capacity,
    )
    user.must_change_password = True  # the admin chose it: its owner chooses their own at first sign-in
    return user


def locked_out(session: Session, name: str, now: datetime) -> bool:
    """Too many failed sign-ins for this name lately: refuse even the right password for a while."""
    since = now - LOCKOUT_WINDOW
    failures = session.exec(
        select(func.count())
        .select_from(AuditEvent)
        .where(
            AuditEvent.action == "auth.sign_in_failed",
            AuditEvent.actor == _actor(name),
            col(AuditEvent.at) >= since,
        )
    ).one()
    return int(failures) >= MAX_FAILURES


def _actor(name: str) -> str:
    return name.strip().lower()[:64] or "?"


def authenticate(session: Session, name: str, password: str, *, now: datetime | None = None) -> User | None:
    """The active user with this name and password, or None (also past the account's end date, see
    ``inbox.desk.accounts``). Every attempt is audited."""
    now = now or utcnow()
    if locked_out(session, name, now):
        store.audit(
            session, _actor(name), "auth.sign_in_blocked", at=now, detail={"reason": "too many failures"}
        )
        return None
    user = user_by_name(session, name)
    ok = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    ended = user is not None and user.active_until is not None and now >= user.active_until
    if user is None or not ok or not user.active or ended:
        reason = "unknown user" if user is None else ("bad password" if not ok else "inactive")
        store.audit(session, _actor(name), "auth.sign_in_failed", at=now, detail={"reason": reason})
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    store.audit(session, user.name, "auth.signed_in", target=("user", user.id), at=now)
    return user


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(col(User.name))))


def user_count(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(User)).one())


def seed_demo_users(session: Session) -> list[str]:
    """Create the demo sign-ins (agent/agent, manager/manager, admin/admin) when there is no user at all."""
    if user_count(session) > 0:
        return []
    for name, password, role, display in DEMO_USERS:
        create_user(session, name, password, role, actor="demo", display_name=display, languages=("en", "fr"))
    return [name for name, *_ in DEMO_USERS]
