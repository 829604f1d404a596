"""indexes and columns for scale (owned by the scale work)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Reserved in the revision chain; filled in by the work that owns it."""


def downgrade() -> None:
    """Nothing to undo yet."""
