"""Traffic spikes and the peak plan's alerts: one row per spike of a scope, from its start to its end.

``open_key`` holds the scope while the spike is open and NULL once it ended: a unique column, so two listeners
can never open the same spike twice (the second insert fails); several ended spikes of a scope coexist.
Created by migration 0019.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from inbox.store.tables.core import _when


class TrafficSpike(SQLModel, table=True):
    """A spike of inbound messages on a scope (``channel:<name>``, ``listening:<name>:<query>``) or the peak
    plan (``peak``), and its alert (posted once, at the start; the peak plan's also at the end)."""

    __tablename__ = "traffic_spike"
    __table_args__ = (Index("ix_traffic_spike_scope", "scope", "opened_at"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str
    open_key: str | None = Field(default=None, unique=True)
    opened_at: datetime | None = _when(nullable=False)
    closed_at: datetime | None = _when()
    count: int = 0  # messages in the window when it opened
    threshold: int = 0  # the level it had to reach
    expected: float = 0.0  # the usual count for that window at that hour of the week
    alert_status: str = "sending"  # sending | pending (retry) | sent | failed
    alert_attempts: int = 0
    alert_error: str | None = Field(default=None, sa_column=Column(Text))
    alert_sent_at: datetime | None = _when()
    end_alert_status: str | None = None  # the peak plan's end alert: sending | sent | failed
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
