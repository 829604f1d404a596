"""charter enforcement: charter versions, escalation alerts, satisfaction surveys, peak plan state

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = inbox.store.tables.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "charter_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("saved_at", WHEN(), nullable=False),
        sa.Column("saved_by", sa.String(), nullable=False),
        sa.Column("toml", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "escalation_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), sa.ForeignKey("conversation.id"), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", WHEN(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.Column("sent_at", WHEN(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_id", "key"),
    )
    op.create_index("ix_escalation_alert_conversation_id", "escalation_alert", ["conversation_id"])
    op.create_index("ix_escalation_alert_due", "escalation_alert", ["status", "next_attempt_at"])
    op.create_table(
        "survey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), sa.ForeignKey("conversation.id"), nullable=False),
        sa.Column("channel_id", sa.Integer(), sa.ForeignKey("channel.id"), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("due_at", WHEN(), nullable=True),
        sa.Column("reply_key", sa.String(), nullable=True),
        sa.Column("recipient_id", sa.String(), nullable=True),
        sa.Column("sent_at", WHEN(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("answered_at", WHEN(), nullable=True),
        sa.Column("answer_message_id", sa.Integer(), sa.ForeignKey("message.id"), nullable=True),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_id"),
    )
    op.create_index("ix_survey_status_due", "survey", ["status", "due_at"])
    peak = op.create_table(
        "peak_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("since", WHEN(), nullable=True),
        sa.Column("backlog", sa.Integer(), nullable=False),
        sa.Column("forecast_breaches", sa.Integer(), nullable=False),
        sa.Column("checked_at", WHEN(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(peak, [{"id": 1, "active": False, "backlog": 0, "forecast_breaches": 0}])


def downgrade() -> None:
    op.drop_table("peak_state")
    op.drop_index("ix_survey_status_due", table_name="survey")
    op.drop_table("survey")
    op.drop_index("ix_escalation_alert_due", table_name="escalation_alert")
    op.drop_index("ix_escalation_alert_conversation_id", table_name="escalation_alert")
    op.drop_table("escalation_alert")
    op.drop_table("charter_version")
