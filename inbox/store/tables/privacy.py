"""Privacy state of a customer account: opted out of automatic messages, under legal hold.

Created by migration 0011; the behaviour lives in ``inbox.privacy``. One row per contact that has any.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from inbox.store.tables.core import UTCDateTime


class ContactPrivacy(SQLModel, table=True):
    """``opted_out_at``: the customer asked for no more surveys or automatic messages (STOP...);
    ``legal_hold``: why their data must be kept (erasure refuses while it is set)."""

    __tablename__ = "contact_privacy"

    contact_id: int = Field(foreign_key="contact.id", primary_key=True)
    opted_out_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    opt_out_message_id: int | None = None  # the message that said it
    legal_hold: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    hold_by: str | None = None
    hold_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
