"""linked contacts across channels, channel settings state (owned by the channels/people work)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Reserved in the revision chain; filled in by the work that owns it."""


def downgrade() -> None:
    """Nothing to undo yet."""
