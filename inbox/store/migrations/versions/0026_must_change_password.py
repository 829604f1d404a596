"""accounts: a password an admin chose must be changed by its owner at their next sign-in

``app_user.must_change_password`` is set when an admin adds a user on the Team page or resets a password,
and cleared when the person chooses their own (``inbox.desk.accounts``). Existing accounts are not flagged.
The default is the literal "0" (false on SQLite and PostgreSQL): an expression default would make SQLite
copy and drop ``app_user``, which the tables pointing at it forbid.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("must_change_password")
