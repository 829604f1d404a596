"""Reply templates' history: one row per template created, edited, retired or restored in the editor.

Created by migration 0018. config/templates.toml is the templates in force; these rows say who changed which
template, when, from what to what (``inbox.replies.template_editor``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from inbox.store.tables.core import UTCDateTime


class TemplateVersion(SQLModel, table=True):
    """A template as one save left it (``after``; ``before`` is what it replaced, None when created)."""

    __tablename__ = "template_version"
    id: int | None = Field(default=None, primary_key=True)
    template: str = Field(index=True)  # the template's name
    action: str  # created | edited | retired | restored
    saved_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    saved_by: str
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    comment: str = Field(default="", sa_column=Column(Text, nullable=False))
