"""contact reasons: message.reason and reason_scores, conversation.reason (the queue's reason filter)

Rows stored before this have no reason (NULL) until ``inbox reclassify`` runs: the classifier is not
loaded in a migration.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("message") as batch:
        batch.add_column(sa.Column("reason", sa.String(), nullable=True))
        batch.add_column(sa.Column("reason_scores", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("conversation") as batch:
        batch.add_column(sa.Column("reason", sa.String(), nullable=True))
        batch.create_index("ix_conversation_reason", ["reason"])


def downgrade() -> None:
    with op.batch_alter_table("conversation") as batch:
        batch.drop_index("ix_conversation_reason")
        batch.drop_column("reason")
    with op.batch_alter_table("message") as batch:
        batch.drop_column("reason_scores")
        batch.drop_column("reason")
