"""privacy: bank data a number before it hid from the masking, stored in clear, masked

Until now a card number right after a short number (``Order 3 4111 1111 1111 1111``, ``le 25 …``), a card
after another card's expiry, a second IBAN, RIB or NIR right after a first, or one whose digits with a
neighbour's read as another number by chance, was stored in clear: the masking read the neighbour and the
number as one candidate, found it invalid, and went on past the number. The same rewrite as migration 0032
(message texts with their search column and payloads, quarantined payloads and errors, webhook bodies, notes,
delivered replies with their template's parameters) runs again with the masking as it now is
(``inbox.bank_data``). In batches of rows read by id; idempotent. Not undone by the downgrade.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-08
"""

from collections.abc import Sequence
from importlib import import_module

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Every stored value masked again by ``inbox.bank_data`` as it is today (migration 0032's rewrite)."""
    import_module("inbox.store.migrations.versions.0032_mask_separators").upgrade()


def downgrade() -> None:
    """Nothing to undo: masked data stays masked."""
