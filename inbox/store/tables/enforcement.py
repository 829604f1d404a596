"""Tables of what the charter enforces: charter versions, escalation alerts, surveys, the peak plan's state.

The schema is created by migration 0004. Unique keys make every automatic action happen once, even when two
listeners run: a second process that tries the same insert gets an IntegrityError and moves on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from inbox.store.tables.core import UTCDateTime, utcnow


def _when(*, nullable: bool = True) -> Any:
    column: Column[datetime] = Column(UTCDateTime(), nullable=nullable)
    return (
        Field(default=None, sa_column=column) if nullable else Field(default_factory=utcnow, sa_column=column)
    )


class CharterVersion(SQLModel, table=True):
    """One saved charter: the TOML text as the editor saved it. The newest row is the charter in force."""

    __tablename__ = "charter_version"

    id: int | None = Field(default=None, primary_key=True)
    saved_at: datetime | None = _when(nullable=False)
    saved_by: str
    toml: str = Field(sa_column=Column(Text, nullable=False))
    comment: str = Field(default="", sa_column=Column(Text, nullable=False))


class EscalationAlert(SQLModel, table=True):
    """An alert posted to the escalation webhook; unique per (conversation, key) so it is posted once."""

    __tablename__ = "escalation_alert"
    __table_args__ = (
        UniqueConstraint("conversation_id", "key"),
        Index("ix_escalation_alert_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    key: str  # alert_key(): critical, at_risk, breached, at_risk#2 ...
    status: str = "sending"  # sending | pending (retry) | sent | failed | cancelled
    attempts: int = 0
    next_attempt_at: datetime | None = _when()
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime | None = _when(nullable=False)
    sent_at: datetime | None = _when()


class SurveyRequest(SQLModel, table=True):
    """The satisfaction survey of one resolved conversation (at most one), and its answer."""

    __tablename__ = "survey"
    __table_args__ = (Index("ix_survey_status_due", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", unique=True)
    channel_id: int = Field(foreign_key="channel.id")
    kind: str  # nps | csat | ces
    status: str = "waiting"  # waiting | queued | sent | answered | unanswered | expired | failed | opted_out
    due_at: datetime | None = _when()  # when to send it (resolution seen + send_after_minutes)
    reply_key: str | None = None  # the outbox idempotency key of the survey message
    recipient_id: str | None = None  # the customer's platform id the survey went to
    sent_at: datetime | None = _when()
    score: int | None = None
    answered_at: datetime | None = _when(nullable=True)
    answer_message_id: int | None = Field(default=None, foreign_key="message.id")
    created_at: datetime | None = _when(nullable=False)


class PeakState(SQLModel, table=True):
    """The peak plan as the listener last measured it: one row, id 1, created by the migration."""

    __tablename__ = "peak_state"

    id: int | None = Field(default=None, primary_key=True)
    active: bool = False
    since: datetime | None = _when()
    backlog: int = 0
    forecast_breaches: int = 0
    checked_at: datetime | None = _when()
