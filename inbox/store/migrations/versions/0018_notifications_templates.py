"""Agents' notifications (feed, cursor, settings), reply templates' history, outbound_reply.template

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = inbox.store.tables.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "agent_notification",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), sa.ForeignKey("conversation.id"), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("critical", sa.Boolean(), nullable=False),
        sa.Column("created_at", _WHEN(), nullable=False),
        sa.Column("delivered_at", _WHEN(), nullable=True),
        sa.Column("read_at", _WHEN(), nullable=True),
        sa.UniqueConstraint("user_id", "key"),
    )
    op.create_index("ix_agent_notification_unread", "agent_notification", ["user_id", "read_at"])
    op.create_table(
        "notification_cursor",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), primary_key=True),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
    )
    op.create_table(
        "notification_settings",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), primary_key=True),
        *(sa.Column(name, sa.Boolean(), nullable=False) for name in _SETTINGS),
    )
    op.create_table(
        "template_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("template", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("saved_at", _WHEN(), nullable=False),
        sa.Column("saved_by", sa.String(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
    )
    op.create_index("ix_template_version_template", "template_version", ["template"])
    with op.batch_alter_table("outbound_reply") as batch:
        batch.add_column(sa.Column("template", sa.String(), nullable=True))
        batch.create_index("ix_outbound_reply_template", ["template"])


_SETTINGS = ("assigned", "customer_wrote", "at_risk", "browser", "title_count", "sound")


def downgrade() -> None:
    with op.batch_alter_table("outbound_reply") as batch:
        batch.drop_index("ix_outbound_reply_template")
        batch.drop_column("template")
    op.drop_index("ix_template_version_template", "template_version")
    op.drop_table("template_version")
    op.drop_table("notification_settings")
    op.drop_table("notification_cursor")
    op.drop_index("ix_agent_notification_unread", "agent_notification")
    op.drop_table("agent_notification")
