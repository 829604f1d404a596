"""The agents' notifications: what each user was told, where their feed was read up to, and their settings.

Created by migration 0018; the behaviour lives in ``inbox.desk.notifications``. A notification is unique per
(user, key), so a reload, a second tab or a second app instance never tells the same thing twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from inbox.store.tables.core import UTCDateTime, _when


class AgentNotification(SQLModel, table=True):
    """One thing a user was told: assigned to them, their customer wrote again, their conversation at risk."""

    __tablename__ = "agent_notification"
    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        Index("ix_agent_notification_unread", "user_id", "read_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id")
    kind: str  # assigned | customer_wrote | at_risk
    conversation_id: int = Field(foreign_key="conversation.id")
    # what makes it once: "assigned:<audit id>", "message:<id>", "at_risk:<conv>:<due>", "late:<conv>:<due>"
    key: str
    critical: bool = False  # a critical-urgency conversation: the browser also plays a sound
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    delivered_at: datetime | None = _when()  # shown by the browser (once, in one tab)
    read_at: datetime | None = _when()  # the user opened the conversation or marked it read


class NotificationCursor(SQLModel, table=True):
    """Where a user's feed was read up to: the last audit event and the last message looked at."""

    __tablename__ = "notification_cursor"
    user_id: int = Field(foreign_key="app_user.id", primary_key=True)
    audit_id: int = 0
    message_id: int = 0


class NotificationSettings(SQLModel, table=True):
    """What a user wants to be told, and how; no row means everything on."""

    __tablename__ = "notification_settings"
    user_id: int = Field(foreign_key="app_user.id", primary_key=True)
    assigned: bool = True
    customer_wrote: bool = True
    at_risk: bool = True
    browser: bool = True  # the browser's notification pop-up
    title_count: bool = True  # "(3) …" in the tab title
    sound: bool = True  # a short tone for critical ones
