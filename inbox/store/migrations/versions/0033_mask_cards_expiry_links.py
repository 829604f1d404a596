"""privacy: card numbers before their expiry, or inside a link, stored before the masking knew them, masked

Until now a card number written right before its expiry (``4970 1012 3456 7890/12/27``) or inside a link
(``https://pay.example/?card=…``), a French RIB (``30006 00001 12345678901 89``) or a card's security code
(``cvv 123``) was stored in clear. The same rewrite as migration 0032 (message texts with
their search column and payloads, quarantined payloads and errors, webhook bodies, notes, delivered replies
with their template's parameters) runs again with the masking as it now is (``inbox.bank_data``); a post's id
in its link stays. In batches of rows read by id; idempotent. Not undone by the downgrade.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    path = Path(__file__).with_name("0032_mask_separators.py")
    spec = importlib.util.spec_from_file_location("inbox_migration_0032", path)
    assert spec is not None and spec.loader is not None
    rewrite = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rewrite)
    rewrite.upgrade()  # every stored value masked again by inbox.bank_data as it is today


def downgrade() -> None:
    """Nothing to undo: masked data stays masked."""
