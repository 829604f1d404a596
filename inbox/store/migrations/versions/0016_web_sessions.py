"""web_session (sign-in sessions that survive a reload, revocable) and server_secret (the cookie's key)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_session",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("created_at", inbox.store.tables.UTCDateTime(), nullable=False),
        sa.Column("expires_at", inbox.store.tables.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", inbox.store.tables.UTCDateTime(), nullable=True),
        sa.Column("revoked_why", sa.String(), nullable=True),
    )
    op.create_index("ix_web_session_token_hash", "web_session", ["token_hash"], unique=True)
    op.create_index("ix_web_session_user_id", "web_session", ["user_id"])
    op.create_table(
        "server_secret",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("created_at", inbox.store.tables.UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("server_secret")
    op.drop_index("ix_web_session_user_id", table_name="web_session")
    op.drop_index("ix_web_session_token_hash", table_name="web_session")
    op.drop_table("web_session")
