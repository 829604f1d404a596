"""presence: an agent's status (available, away, offline) beside their last heartbeat

``away``: signed in but on a break, so auto-assignment and round-robin skip them; ``offline``: signed out,
so they are no longer counted online (before, a signed-out agent stayed online for ``ONLINE_TTL`` and could
be handed conversations). Existing rows are ``available``.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agent_activity") as batch:
        batch.add_column(sa.Column("status", sa.String(), nullable=False, server_default="available"))


def downgrade() -> None:
    with op.batch_alter_table("agent_activity") as batch:
        batch.drop_column("status")
