"""Web sign-in sessions kept on the server, and the server's own secrets (the session cookie's signing key).

Created by migration 0016; the behaviour lives in ``inbox.desk.web_sessions``. A session row holds a hash of
its id, never the id itself: a copy of the database does not sign anyone in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from inbox.store.tables.core import UTCDateTime


class WebSession(SQLModel, table=True):
    """One signed-in browser: valid until ``expires_at`` unless ``revoked_at`` is set (sign-out, account
    deactivated or ended, password changed)."""

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, index=True)  # sha256 of the session id carried by the cookie
    user_id: int = Field(foreign_key="app_user.id", index=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoked_why: str | None = None


class ServerSecret(SQLModel, table=True):
    """A secret the server generated on its first run and every instance shares (``name`` -> ``value``)."""

    __tablename__ = "server_secret"

    name: str = Field(primary_key=True)
    value: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
