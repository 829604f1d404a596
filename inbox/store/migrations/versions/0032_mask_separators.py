"""privacy: bank data grouped by no-break spaces, dots or dashes, stored before the masking knew them, masked

Until now a card number grouped by no-break spaces or dots (``4111 1111 1111 1111`` as French typography
and bank apps write it), an IBAN with dashes or dots, or one written ``FR 76 ...``, was stored in clear.
Message texts (their search column follows) and raw payloads (the earlier versions of edits with them),
quarantined payloads and their errors, webhook bodies, notes, and delivered replies with their template's
parameters are masked as ingestion now masks them (``inbox.bank_data``); a reply still waiting keeps its
text, as the outbox sends it. In batches of rows read by id; idempotent. Not undone by the downgrade.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from inbox import bank_data
from inbox.store.folding import fold

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500
Masker = Callable[[Any], Any]

message = sa.table(
    "message",
    sa.column("id", sa.Integer),
    sa.column("text", sa.Text),
    sa.column("search_text", sa.Text),
    sa.column("raw", sa.JSON),
)
quarantined = sa.table(
    "quarantined_item", sa.column("id", sa.Integer), sa.column("error", sa.Text), sa.column("raw", sa.JSON)
)
webhook_event = sa.table("webhook_event", sa.column("id", sa.Integer), sa.column("body", sa.LargeBinary))
note = sa.table("note", sa.column("id", sa.Integer), sa.column("text", sa.Text))
reply = sa.table(
    "outbound_reply",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("text", sa.Text),
    sa.column("platform_template", sa.JSON),
)


def _mask_table(table: sa.TableClause, maskers: dict[str, Masker], where: Any = None) -> None:
    """Rewrite each row whose columns change when masked, ``BATCH`` rows per read."""
    bind = op.get_bind()
    columns = [table.c[name] for name in maskers]
    last = 0
    while True:
        stmt = sa.select(table.c.id, *columns).where(table.c.id > last)
        if where is not None:
            stmt = stmt.where(where)
        rows = bind.execute(stmt.order_by(table.c.id).limit(BATCH)).all()
        for row in rows:
            changed = {name: mask(row._mapping[name]) for name, mask in maskers.items()}
            changed = {name: value for name, value in changed.items() if value != row._mapping[name]}
            if "text" in changed and "search_text" in table.c:
                changed["search_text"] = fold(changed["text"])
            if changed:
                bind.execute(sa.update(table).where(table.c.id == row.id).values(**changed))
        if len(rows) < BATCH:
            return
        last = rows[-1].id


def _template(value: Any) -> Any:
    return bank_data.mask_payload(value) if value else value


def upgrade() -> None:
    text = bank_data.mask_text
    _mask_table(message, {"text": text, "raw": bank_data.mask_payload})
    _mask_table(quarantined, {"error": text, "raw": bank_data.mask_payload})
    _mask_table(webhook_event, {"body": lambda body: bank_data.mask_body(bytes(body))})
    _mask_table(note, {"text": text})
    _mask_table(reply, {"text": text, "platform_template": _template}, reply.c.status == "sent")


def downgrade() -> None:
    """Nothing to undo: masked data stays masked."""
