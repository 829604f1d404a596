"""The raw webhook events table: every verified POST is stored here before it is acknowledged."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, Text
from sqlmodel import Field, SQLModel

from inbox.store.tables.core import UTCDateTime, utcnow

PENDING, DONE, FAILED = "pending", "done", "failed"


class WebhookEvent(SQLModel, table=True):
    """One verified webhook POST, byte for byte, and what ingesting it gave.

    ``status``: ``pending`` (stored, not yet ingested: a crash in between leaves it so, and it is replayed),
    ``done``, or ``failed`` with ``error`` (replayed by ``inbox webhooks --replay-pending`` and on start).
    """

    __tablename__ = "webhook_event"
    __table_args__ = (Index("ix_webhook_event_status", "status", "received_at"),)

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channel.id", index=True)
    received_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    headers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    status: str = PENDING
    attempts: int = 0
    error: str | None = Field(default=None, sa_column=Column(Text))
    items: int = 0  # new customer messages it brought
    processed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
