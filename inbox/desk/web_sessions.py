"""Sign-in sessions that survive a reload: a signed cookie naming a server-side session. Session-taking.

Rules:
- the cookie is ``<session id>.<signature>``: a random 256-bit id and its HMAC-SHA256 under the server's key
  (``INBOX_SESSION_SECRET``, else a key generated on the first run and kept in ``server_secret``, shared by
  every app instance); a cookie whose signature does not match is refused without a database read;
- the server keeps only a hash of the id, with the user, an expiry (``INBOX_SESSION_HOURS``, 12 by default)
  and a revocation: signing out revokes that session; deactivating an account, ending it or resetting its
  password revokes all of that user's sessions (``inbox.desk.accounts``);
- whether the account may still sign in is checked by ``inbox.desk.accounts.resume``, the one entry point.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from inbox.store.tables import ServerSecret, WebSession

COOKIE = "inbox_session"
KEY_NAME = "session-cookie"


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _sign(key: bytes, session_id: str) -> str:
    digest = hmac.new(key, session_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def cookie_key(session: Session, configured: str | None, now: datetime) -> bytes:
    """The signing key: ``configured`` (``INBOX_SESSION_SECRET``) or the one stored on the first run.

    Two instances starting together insert at most one key (insert-or-ignore, then read back)."""
    if configured:
        return configured.encode()
    row = session.get(ServerSecret, KEY_NAME)
    if row is None:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        table = ServerSecret.__table__  # type: ignore[attr-defined]
        values = {"name": KEY_NAME, "value": secrets.token_hex(32), "created_at": now}
        session.execute(insert(table).values(**values).on_conflict_do_nothing(index_elements=["name"]))
        row = session.get(ServerSecret, KEY_NAME)
    assert row is not None
    return row.value.encode()


def start(
    session: Session, user_id: int, key: bytes, now: datetime, lifetime: timedelta
) -> tuple[str, datetime]:
    """A new session for ``user_id``: the cookie value and when it expires."""
    session_id = secrets.token_urlsafe(32)
    expires = now + lifetime
    session.add(WebSession(token_hash=_hash(session_id), user_id=user_id, created_at=now, expires_at=expires))
    session.flush()
    return f"{session_id}.{_sign(key, session_id)}", expires


def _session_id(cookie: str, key: bytes) -> str | None:
    session_id, _dot, signature = cookie.partition(".")
    if not session_id or not hmac.compare_digest(signature, _sign(key, session_id)):
        return None
    return session_id


def find(session: Session, cookie: str, key: bytes, now: datetime) -> WebSession | None:
    """The live session this cookie names: signed by ``key``, known, neither expired nor revoked."""
    session_id = _session_id(cookie, key)
    if session_id is None:
        return None
    row = session.exec(select(WebSession).where(WebSession.token_hash == _hash(session_id))).first()
    if row is None or row.revoked_at is not None or now >= row.expires_at:
        return None
    return row


def revoke(session: Session, cookie: str, key: bytes, now: datetime, why: str) -> bool:
    """End the session this cookie names (sign-out); False when it was not live."""
    row = find(session, cookie, key, now)
    if row is None:
        return False
    row.revoked_at, row.revoked_why = now, why
    return True


def revoke_user(session: Session, user_id: int, now: datetime, why: str, *, keep: int | None = None) -> int:
    """End every live session of ``user_id`` but the one whose id is ``keep``; how many ended."""
    stmt = (
        update(WebSession)
        .where(col(WebSession.user_id) == user_id, col(WebSession.revoked_at).is_(None))
        .where(col(WebSession.expires_at) > now)
    )
    if keep is not None:
        stmt = stmt.where(col(WebSession.id) != keep)
    result = session.execute(stmt.values(revoked_at=now, revoked_why=why))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
