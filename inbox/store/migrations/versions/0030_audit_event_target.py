"""store: an index on what an audit event is about (``audit_event (target_type, target_id)``)

A conversation's clock recomputed from its messages (a message stored late, a correction) replays its
audited status changes too, so that a resolution in between stops the clock as it did. Without this index
each recompute would read the whole audit trail.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_event_target", "audit_event", ["target_type", "target_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_target", table_name="audit_event")
