"""the agents' desk: internal notes, presence, agent activity, reply guard

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), sa.ForeignKey("conversation.id"), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", inbox.store.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_note_conversation_id", "note", ["conversation_id"])
    op.create_table(
        "presence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), sa.ForeignKey("conversation.id"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("activity", sa.String(), nullable=False),
        sa.Column("seen_at", inbox.store.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_id", "user_id"),
    )
    op.create_index("ix_presence_user_id", "presence", ["user_id"])
    op.create_index("ix_presence_seen_at", "presence", ["seen_at"])
    op.create_table(
        "agent_activity",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("seen_at", inbox.store.tables.UTCDateTime(), nullable=False),
        sa.Column("last_assigned_at", inbox.store.tables.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "reply_guard",
        sa.Column("conversation_id", sa.Integer(), sa.ForeignKey("conversation.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", inbox.store.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id"),
    )


def downgrade() -> None:
    op.drop_table("reply_guard")
    op.drop_table("agent_activity")
    op.drop_index("ix_presence_seen_at", table_name="presence")
    op.drop_index("ix_presence_user_id", table_name="presence")
    op.drop_table("presence")
    op.drop_index("ix_note_conversation_id", table_name="note")
    op.drop_table("note")
