"""agent teams: a named group of accounts (agent_team) and who belongs to it (agent_team_member), for routing
by contact reason (the charter's ``[reasons.<reason>] teams``)

Not the charter's ``[teams.*]`` (opening hours and time zones): a team of agents is a list of accounts.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inbox.store.tables

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = inbox.store.tables.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "agent_team",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False, unique=True),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", _WHEN(), nullable=False),
    )
    op.create_table(
        "agent_team_member",
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("agent_team.id"), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), primary_key=True),
    )
    op.create_index("ix_agent_team_member_user_id", "agent_team_member", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_agent_team_member_user_id", "agent_team_member")
    op.drop_table("agent_team_member")
    op.drop_table("agent_team")
