"""the channels a role works (role_scope): every account of the role is restricted to them

No row, or an empty list, means every channel; an account's own ``app_user.channels`` narrows it further
(``inbox.desk.channel_scope.effective``).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = inbox.store.tables.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "role_scope",
        sa.Column("role", sa.String(), primary_key=True),
        sa.Column("channels", sa.JSON(), nullable=False, server_default="[]"),
        sa.Column("changed_by", sa.String(), nullable=False),
        sa.Column("changed_at", _WHEN(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("role_scope")
