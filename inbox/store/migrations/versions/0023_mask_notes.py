"""privacy: agents' notes written before notes were masked are masked now

Card numbers, IBANs and NIRs in stored notes are masked as ``inbox.desk.notes`` masks a new note
(``inbox.bank_data.mask_text``: same length, last four kept, a NIR whole), in batches of rows read by id.
Idempotent: a masked note is left as it is. When any note changed, one ``privacy.notes_masked`` audit
event (actor ``migration``) gives the count. Not undone by the downgrade.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import inbox.store.tables
from inbox import bank_data

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500

note = sa.table("note", sa.column("id", sa.Integer), sa.column("text", sa.Text))
audit_event = sa.table(
    "audit_event",
    sa.column("at", inbox.store.tables.UTCDateTime()),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("detail", sa.JSON),
)


def _mask_notes() -> int:
    """Rewrite each note whose text changes when masked, ``BATCH`` rows per read; how many changed."""
    bind = op.get_bind()
    last, changed = 0, 0
    while True:
        rows = bind.execute(
            sa.select(note.c.id, note.c.text).where(note.c.id > last).order_by(note.c.id).limit(BATCH)
        ).all()
        for row in rows:
            masked = bank_data.mask_text(row.text)
            if masked != row.text:
                bind.execute(sa.update(note).where(note.c.id == row.id).values(text=masked))
                changed += 1
        if len(rows) < BATCH:
            return changed
        last = rows[-1].id


def upgrade() -> None:
    changed = _mask_notes()
    if changed:
        op.get_bind().execute(
            sa.insert(audit_event).values(
                at=datetime.now(UTC),
                actor="migration",
                action="privacy.notes_masked",
                detail={"notes": changed, "revision": revision},
            )
        )


def downgrade() -> None:
    pass
