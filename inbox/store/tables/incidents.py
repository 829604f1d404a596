"""The incidents' tables: one problem many customers write about, answered together.

Created by migration 0020; the behaviour lives in ``inbox.desk.incidents``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from inbox.store.tables.core import UTCDateTime, _when


class Incident(SQLModel, table=True):
    """A problem declared by a manager ("Box outage in Lyon"): its matching rule and its life."""

    __tablename__ = "incident"
    id: int | None = Field(default=None, primary_key=True)
    title: str
    description: str = Field(default="", sa_column=Column(Text, nullable=False))  # compared with messages
    status: str = Field(default="open", index=True)  # open | closed
    since: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))  # customer messages from then on
    threshold: float = 0.3  # the similarity from which a conversation belongs
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    channels: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # []: all
    declared_by: str
    declared_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    closed_by: str | None = None
    closed_at: datetime | None = _when()
    scanned_to: datetime | None = _when()  # customer messages up to here were looked at for joining


class IncidentMember(SQLModel, table=True):
    """A conversation in an incident, and what the incident's reply and resolution message did for it.

    A state is None until done: "queued" (in the outbox, under the member's own key) or "skipped" (the
    note says why: already answered, or the platform refuses that reply now)."""

    __tablename__ = "incident_member"
    __table_args__ = (UniqueConstraint("incident_id", "conversation_id"),)
    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    score: float | None = None  # the similarity when it joined (None: added by hand)
    joined_by: str
    joined_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    reply_state: str | None = None
    reply_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    resolution_state: str | None = None
    resolution_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class IncidentText(SQLModel, table=True):
    """An incident's approved reply or resolution message, for one language and visibility."""

    __tablename__ = "incident_text"
    __table_args__ = (UniqueConstraint("incident_id", "purpose", "language", "visibility"),)
    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id")
    purpose: str  # reply | resolution
    language: str
    visibility: str  # public | private
    text: str = Field(sa_column=Column(Text, nullable=False))
    approved_by: str
    approved_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
