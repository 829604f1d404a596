"""outbound_reply: the window of attempts whose answer was lost (unsure_from, unsure_until), and who retried
an uncertain reply (checked_by): the outbox looks on the platform in that window before it posts again

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbound_reply") as batch:
        batch.add_column(sa.Column("unsure_from", inbox.store.tables.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("unsure_until", inbox.store.tables.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("checked_by", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbound_reply") as batch:
        batch.drop_column("checked_by")
        batch.drop_column("unsure_until")
        batch.drop_column("unsure_from")
