"""channel stand-by (listening/sending paused), traffic spikes, agents' channel scopes, message.stream

``message.stream`` names the stream a message was read from (``search:<query>`` for listening), so spikes can
be measured per listening query; rows stored before this have none.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = inbox.store.tables.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("channel") as batch:
        batch.add_column(sa.Column("listening_paused_at", WHEN(), nullable=True))
        batch.add_column(sa.Column("listening_paused_by", sa.String(), nullable=True))
        batch.add_column(sa.Column("sending_paused_at", WHEN(), nullable=True))
        batch.add_column(sa.Column("sending_paused_by", sa.String(), nullable=True))
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("channels", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("message") as batch:
        batch.add_column(sa.Column("stream", sa.String(), nullable=True))
    op.create_table(
        "traffic_spike",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("open_key", sa.String(), nullable=True),
        sa.Column("opened_at", WHEN(), nullable=False),
        sa.Column("closed_at", WHEN(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("alert_status", sa.String(), nullable=False),
        sa.Column("alert_attempts", sa.Integer(), nullable=False),
        sa.Column("alert_error", sa.Text(), nullable=True),
        sa.Column("alert_sent_at", WHEN(), nullable=True),
        sa.Column("end_alert_status", sa.String(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("open_key"),
    )
    op.create_index("ix_traffic_spike_scope", "traffic_spike", ["scope", "opened_at"])


def downgrade() -> None:
    op.drop_index("ix_traffic_spike_scope", table_name="traffic_spike")
    op.drop_table("traffic_spike")
    with op.batch_alter_table("message") as batch:
        batch.drop_column("stream")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("channels")
    with op.batch_alter_table("channel") as batch:
        batch.drop_column("sending_paused_by")
        batch.drop_column("sending_paused_at")
        batch.drop_column("listening_paused_by")
        batch.drop_column("listening_paused_at")
