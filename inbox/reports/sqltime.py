"""``utc_hour(column)``: the start of a stored UTC timestamp's hour, in SQL on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import DateTime


class utc_hour(FunctionElement[datetime]):
    """Truncate a naive-UTC timestamp column to its hour, so GROUP BY counts per hour in the database."""

    type = DateTime()
    inherit_cache = True
    name = "utc_hour"


@compiles(utc_hour, "sqlite")
def _sqlite(element: utc_hour, compiler: SQLCompiler, **kw: Any) -> str:
    return f"strftime('%Y-%m-%d %H:00:00', {compiler.process(element.clauses, **kw)})"


@compiles(utc_hour)
def _default(element: utc_hour, compiler: SQLCompiler, **kw: Any) -> str:  # PostgreSQL
    return f"date_trunc('hour', {compiler.process(element.clauses, **kw)})"


def as_utc(value: Any) -> datetime:
    """A bucket read back: SQLite gives text, PostgreSQL a naive datetime; both are UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise TypeError(f"not a timestamp: {value!r}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
