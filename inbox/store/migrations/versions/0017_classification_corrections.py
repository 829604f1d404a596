"""classification_correction: an agent's correction of a message's language, sentiment, urgency or reason

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "classification_correction",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", inbox.store.tables.UTCDateTime(), nullable=False),
        sa.Column("message_id", sa.Integer(), sa.ForeignKey("message.id"), nullable=False),
        sa.Column("conversation_id", sa.Integer(), sa.ForeignKey("conversation.id"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("old", sa.String(), nullable=True),
        sa.Column("new", sa.String(), nullable=False),
    )
    op.create_index("ix_classification_correction_at", "classification_correction", ["at"])
    op.create_index("ix_classification_correction_message_id", "classification_correction", ["message_id"])
    op.create_index(
        "ix_classification_correction_conversation_id", "classification_correction", ["conversation_id"]
    )


def downgrade() -> None:
    for column in ("conversation_id", "message_id", "at"):
        op.drop_index(f"ix_classification_correction_{column}", table_name="classification_correction")
    op.drop_table("classification_correction")
