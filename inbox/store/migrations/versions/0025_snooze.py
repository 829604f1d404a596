"""desk: a conversation snoozed until a time (``conversation.snoozed_until``)

A snoozed conversation is pending (off the queue's open list and the running clocks) until that time, when
the automation tick opens it again, or until its customer writes, whichever comes first.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversation") as batch:
        batch.add_column(sa.Column("snoozed_until", inbox.store.tables.UTCDateTime(), nullable=True))
        batch.create_index("ix_conversation_snoozed_until", ["snoozed_until"])


def downgrade() -> None:
    with op.batch_alter_table("conversation") as batch:
        batch.drop_index("ix_conversation_snoozed_until")
        batch.drop_column("snoozed_until")
