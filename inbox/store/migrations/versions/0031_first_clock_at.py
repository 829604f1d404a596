"""reports: where a conversation's first-response clock started (``conversation.first_clock_at``)

A first message resolved unanswered (a "thanks", spam) is not judged: the customer's next message starts the
first-response clock, and the stored first-response due time already follows it. The first-response time
(median, 90th percentile, business time), the service-level goals and the incident figures were still
counted from the very first message. The clock's start is now stored; a conversation stored before has none
and its wait counts from its first message, as before.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversation") as batch:
        batch.add_column(sa.Column("first_clock_at", inbox.store.tables.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversation") as batch:
        batch.drop_column("first_clock_at")
