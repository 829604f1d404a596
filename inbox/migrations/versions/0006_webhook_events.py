"""raw webhook events stored before acknowledging (owned by the webhook receiver work)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Reserved in the revision chain; filled in by the work that owns it."""


def downgrade() -> None:
    """Nothing to undo yet."""
