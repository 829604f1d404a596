"""An agent's correction of a message's classification: who, when, which field, old value, new value.

Created by migration 0017; the behaviour lives in ``inbox.desk.corrections`` (applied to the message and its
conversation, audited) and ``inbox train`` reads the rows as labelled examples that outrank the original.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from inbox.store.tables.core import UTCDateTime, utcnow


class ClassificationCorrection(SQLModel, table=True):
    """``field`` is language, sentiment, urgency or reason; ``old`` what the classifier (or an earlier
    correction) said, ``new`` what the agent chose. The newest row per (message, field) is in force."""

    __tablename__ = "classification_correction"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime | None = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True)
    )
    message_id: int = Field(foreign_key="message.id", index=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    actor: str  # the agent's user name, kept if the account goes
    field: str
    old: str | None = None
    new: str
