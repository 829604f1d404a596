"""raw webhook events stored before acknowledging (owned by the webhook receiver work)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = inbox.store.tables.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "webhook_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), sa.ForeignKey("channel.id"), nullable=False),
        sa.Column("received_at", WHEN(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("processed_at", WHEN(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_webhook_event_channel_id", "webhook_event", ["channel_id"])
    op.create_index("ix_webhook_event_status", "webhook_event", ["status", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_webhook_event_status", table_name="webhook_event")
    op.drop_index("ix_webhook_event_channel_id", table_name="webhook_event")
    op.drop_table("webhook_event")
