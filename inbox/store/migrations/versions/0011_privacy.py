"""privacy: bank data already stored is masked; contact_privacy (opt-out, legal hold)

Card numbers, IBANs and NIRs in stored message texts and raw payloads, quarantined payloads and webhook bodies
are masked as ingestion now masks them (``inbox.bank_data``: same length, last four kept), in batches of
rows read by id. Idempotent: a masked value is left as it is. Not undone by the downgrade.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import inbox.store.tables
from inbox import bank_data

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500

message = sa.table(
    "message", sa.column("id", sa.Integer), sa.column("text", sa.Text), sa.column("raw", sa.JSON)
)
quarantined = sa.table("quarantined_item", sa.column("id", sa.Integer), sa.column("raw", sa.JSON))
webhook_event = sa.table("webhook_event", sa.column("id", sa.Integer), sa.column("body", sa.LargeBinary))

Masker = Callable[[Any], Any]


def _mask_table(table: sa.TableClause, maskers: dict[str, Masker]) -> None:
    """Rewrite each row whose columns change when masked, ``BATCH`` rows per read."""
    bind = op.get_bind()
    columns = [table.c[name] for name in maskers]
    last = 0
    while True:
        rows = bind.execute(
            sa.select(table.c.id, *columns).where(table.c.id > last).order_by(table.c.id).limit(BATCH)
        ).all()
        for row in rows:
            changed = {name: mask(row._mapping[name]) for name, mask in maskers.items()}
            changed = {name: value for name, value in changed.items() if value != row._mapping[name]}
            if changed:
                bind.execute(sa.update(table).where(table.c.id == row.id).values(**changed))
        if len(rows) < BATCH:
            return
        last = rows[-1].id


def upgrade() -> None:
    op.create_table(
        "contact_privacy",
        sa.Column("contact_id", sa.Integer(), sa.ForeignKey("contact.id"), primary_key=True),
        sa.Column("opted_out_at", inbox.store.tables.UTCDateTime(), nullable=True),
        sa.Column("opt_out_message_id", sa.Integer(), nullable=True),
        sa.Column("legal_hold", sa.Text(), nullable=True),
        sa.Column("hold_by", sa.String(), nullable=True),
        sa.Column("hold_at", inbox.store.tables.UTCDateTime(), nullable=True),
    )
    _mask_table(message, {"text": bank_data.mask_text, "raw": bank_data.mask_payload})
    _mask_table(quarantined, {"raw": bank_data.mask_payload})
    _mask_table(webhook_event, {"body": lambda body: bank_data.mask_body(bytes(body))})


def downgrade() -> None:
    op.drop_table("contact_privacy")
