"""search: message.search_text and contact.search_name, the folded forms the queue's text search compares

Filled for the rows stored before it (``inbox.store.folding``: casefold, NFKD, combining marks dropped), in
batches of rows read by id; from then on the store keeps them (inbox.store.tables.core).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from inbox.store.folding import fold, fold_name

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000

message = sa.table("message", sa.column("id", sa.Integer), sa.column("text", sa.Text))
contact = sa.table(
    "contact",
    sa.column("id", sa.Integer),
    sa.column("handle", sa.String),
    sa.column("display_name", sa.String),
)


def _fill(table: sa.TableClause, target: str, folded: Callable[[Any], str]) -> None:
    """Set ``target`` on every row, ``BATCH`` rows per read, in one executemany per batch."""
    bind = op.get_bind()
    sources = [c for c in table.c if c.name != "id"]
    written = sa.table(table.name, sa.column("id", sa.Integer), sa.column(target, sa.Text))
    update = (
        sa.update(written).where(written.c.id == sa.bindparam("row_id")).values({target: sa.bindparam("v")})
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(table.c.id, *sources).where(table.c.id > last).order_by(table.c.id).limit(BATCH)
        ).all()
        if rows:
            bind.execute(update, [{"row_id": r.id, "v": folded(r)} for r in rows])
        if len(rows) < BATCH:
            return
        last = rows[-1].id


def upgrade() -> None:
    with op.batch_alter_table("message") as batch:
        batch.add_column(sa.Column("search_text", sa.Text(), nullable=True))
    with op.batch_alter_table("contact") as batch:
        batch.add_column(sa.Column("search_name", sa.Text(), nullable=True))
    _fill(message, "search_text", lambda r: fold(r.text))
    _fill(contact, "search_name", lambda r: fold_name(r.handle, r.display_name))


def downgrade() -> None:
    with op.batch_alter_table("contact") as batch:
        batch.drop_column("search_name")
    with op.batch_alter_table("message") as batch:
        batch.drop_column("search_text")
