"""first-response due time kept at arrival, and a covering index for message volumes: the reports count
SLA attainment and volumes in SQL

Conversations stored before this revision keep NULL; the reports judge those few in Python from the charter.
On a large PostgreSQL database, create the index first by hand with ``CREATE INDEX CONCURRENTLY`` (same name
and columns) to avoid locking writes; this migration then skips it (see docs/deployment.md).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VOLUME = ["direction", "created_at", "channel_id", "sentiment"]  # customer messages per hour and sentiment


def upgrade() -> None:
    with op.batch_alter_table("conversation") as batch:
        batch.add_column(sa.Column("first_response_due_at", inbox.store.tables.UTCDateTime(), nullable=True))
    op.create_index("ix_message_volume", "message", VOLUME, if_not_exists=True)


def downgrade() -> None:
    op.drop_index("ix_message_volume", table_name="message", if_exists=True)
    with op.batch_alter_table("conversation") as batch:
        batch.drop_column("first_response_due_at")
