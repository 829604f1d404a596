"""moderation: an outbox row may hide or unhide a comment; a message records when it was hidden and how it
was moderated

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = inbox.store.tables.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("outbound_reply") as batch:
        batch.add_column(sa.Column("action", sa.String(), nullable=False, server_default="reply"))
    with op.batch_alter_table("message") as batch:
        batch.add_column(sa.Column("hidden_at", WHEN(), nullable=True))
        batch.add_column(sa.Column("moderation", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("message") as batch:
        batch.drop_column("moderation")
        batch.drop_column("hidden_at")
    with op.batch_alter_table("outbound_reply") as batch:
        batch.drop_column("action")
