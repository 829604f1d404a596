"""ingest: until when the read budget share holds a stream back (``listening_cursor.held_until``)

X's DMs cost reads even when nothing is new, so the listener reads them only within the monthly budget spread
over the month (``inbox.ingest.read_budget``). The Channels page said "Next try: now" for a stream held that
way; the listener now records until when it holds it, and the page shows that time.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("listening_cursor") as batch:
        batch.add_column(sa.Column("held_until", inbox.store.tables.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("listening_cursor") as batch:
        batch.drop_column("held_until")
