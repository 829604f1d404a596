"""Teams of agents: a named group of accounts, for routing by contact reason (``[reasons.<reason>] teams``).

Not the charter's ``[teams.*]``, which are opening hours. Created by migration 0022; the behaviour lives in
``inbox.desk.teams``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from inbox.store.tables.core import UTCDateTime


class AgentTeam(SQLModel, table=True):
    """A team of agents ("billing", "recovery"): its members are ``AgentTeamMember`` rows."""

    __tablename__ = "agent_team"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)  # lower-case, as the charter names it
    created_by: str
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class AgentTeamMember(SQLModel, table=True):
    """One account in one team (an account may be in several)."""

    __tablename__ = "agent_team_member"
    team_id: int = Field(foreign_key="agent_team.id", primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", primary_key=True, index=True)
