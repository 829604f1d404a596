"""indexes for scale: report cohorts by first customer message, the queue's language options

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

On a large PostgreSQL database, create them first by hand with ``CREATE INDEX CONCURRENTLY`` (same names)
to avoid locking writes; this migration then skips them (see docs/deployment.md).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_conversation_first_inbound_at", "conversation", ["first_inbound_at"]),
    ("ix_conversation_language", "conversation", ["language"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, if_not_exists=True)


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table, if_exists=True)
