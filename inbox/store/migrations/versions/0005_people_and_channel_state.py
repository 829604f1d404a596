"""linked contacts across channels (person), platform templates on outbound replies

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = inbox.store.tables.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(), nullable=True),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outbound_reply") as batch:
        batch.add_column(sa.Column("platform_template", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbound_reply") as batch:
        batch.drop_column("platform_template")
    op.drop_table("person")
