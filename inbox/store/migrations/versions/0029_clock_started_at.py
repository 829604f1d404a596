"""desk: where a conversation's running response clock started (``conversation.clock_started_at``)

The dashboard's share of the target elapsed and the conversation's colour were measured from the first
customer message after the last answer, which for a customer writing again after a resolved, unanswered
"thanks" is the thanks, though the running clock is due from their new message. The clock's start is now
stored with its due time; a conversation stored before has none and its start is derived as before.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversation") as batch:
        batch.add_column(sa.Column("clock_started_at", inbox.store.tables.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversation") as batch:
        batch.drop_column("clock_started_at")
