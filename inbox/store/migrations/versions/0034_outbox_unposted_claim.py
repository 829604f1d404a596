"""outbound_reply: when a sender claimed a reply it has not started posting yet (``unposted_claim_at``)

A sender killed after it claimed a reply, before it posted (during its claim, or while it looked for an
earlier attempt), left the reply ``sending`` like one killed mid-POST: on a platform that cannot be
searched (Telegram, Meta's private messages) it was marked uncertain for a person, though nothing was
posted. A claim is now marked until its POST starts; a claim that never reached it goes again. Rows
written before have none: they may have posted, and are looked for as before.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbound_reply") as batch:
        batch.add_column(sa.Column("unposted_claim_at", inbox.store.tables.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbound_reply") as batch:
        batch.drop_column("unposted_claim_at")
