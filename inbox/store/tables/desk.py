"""The desk's tables: internal notes, people (one customer across networks), presence, reply guards and the
channels a role works.

Created by migrations 0002 (notes, presence), 0005 (people) and 0021 (role scopes); the behaviour lives in
``inbox.desk``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from inbox.store.tables.core import UTCDateTime, _json, _when


class Note(SQLModel, table=True):
    """A note an agent left on a conversation for colleagues."""

    __tablename__ = "note"
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    author_id: int = Field(foreign_key="app_user.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Person(SQLModel, table=True):
    """A customer known by several contacts (``Contact.person_id``), e.g. @kim on X and on Mastodon."""

    id: int | None = Field(default=None, primary_key=True)
    display_name: str | None = None
    created_by: str
    created_at: datetime | None = _when(nullable=False)


class Presence(SQLModel, table=True):
    """An agent has a conversation open (viewing it, or writing a reply)."""

    __tablename__ = "presence"
    __table_args__ = (UniqueConstraint("conversation_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id")
    user_id: int = Field(foreign_key="app_user.id", index=True)
    activity: str = "viewing"
    seen_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))


class AgentActivity(SQLModel, table=True):
    """When a user was last seen in the app, their status (available, away on a break, offline after signing
    out: ``inbox.desk.presence``), and when last handed a conversation (for round-robin)."""

    __tablename__ = "agent_activity"
    user_id: int = Field(foreign_key="app_user.id", primary_key=True)
    seen_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    status: str = Field(default="available", sa_column_kwargs={"server_default": "available"})
    last_assigned_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ReplyGuard(SQLModel, table=True):
    """One row per conversation, written by every send: two agents' sends on it run one after the other."""

    __tablename__ = "reply_guard"
    conversation_id: int = Field(foreign_key="conversation.id", primary_key=True)
    version: int = 0
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class RoleScope(SQLModel, table=True):
    """The channels every account of a role works (``inbox.desk.channel_scope``); no row or an empty list:
    every channel. An account's own restriction (``User.channels``) narrows it further."""

    __tablename__ = "role_scope"
    role: str = Field(primary_key=True)  # agent | manager | admin
    channels: list[str] = _json([])
    changed_by: str
    changed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
