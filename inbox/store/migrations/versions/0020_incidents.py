"""incidents: one problem answered together (incident), its conversations (incident_member) and its approved
texts per language and visibility (incident_text)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = inbox.store.tables.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("since", _WHEN(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("declared_by", sa.String(), nullable=False),
        sa.Column("declared_at", _WHEN(), nullable=False),
        sa.Column("closed_by", sa.String(), nullable=True),
        sa.Column("closed_at", _WHEN(), nullable=True),
        sa.Column("scanned_to", _WHEN(), nullable=True),
    )
    op.create_index("ix_incident_status", "incident", ["status"])
    op.create_table(
        "incident_member",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("incident_id", sa.Integer(), sa.ForeignKey("incident.id"), nullable=False),
        sa.Column("conversation_id", sa.Integer(), sa.ForeignKey("conversation.id"), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("joined_by", sa.String(), nullable=False),
        sa.Column("joined_at", _WHEN(), nullable=False),
        sa.Column("reply_state", sa.String(), nullable=True),
        sa.Column("reply_note", sa.Text(), nullable=True),
        sa.Column("resolution_state", sa.String(), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.UniqueConstraint("incident_id", "conversation_id"),
    )
    op.create_index("ix_incident_member_incident_id", "incident_member", ["incident_id"])
    op.create_index("ix_incident_member_conversation_id", "incident_member", ["conversation_id"])
    op.create_table(
        "incident_text",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("incident_id", sa.Integer(), sa.ForeignKey("incident.id"), nullable=False),
        sa.Column("purpose", sa.String(), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("visibility", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.String(), nullable=False),
        sa.Column("approved_at", _WHEN(), nullable=False),
        sa.UniqueConstraint("incident_id", "purpose", "language", "visibility"),
    )


def downgrade() -> None:
    op.drop_table("incident_text")
    op.drop_index("ix_incident_member_conversation_id", "incident_member")
    op.drop_index("ix_incident_member_incident_id", "incident_member")
    op.drop_table("incident_member")
    op.drop_index("ix_incident_status", "incident")
    op.drop_table("incident")
