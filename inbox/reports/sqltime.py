"""Time arithmetic in SQL on SQLite and PostgreSQL: hour and quarter-hour buckets, durations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import DateTime, Float, Integer


class utc_hour(FunctionElement[datetime]):
    """Truncate a naive-UTC timestamp column to its hour, so GROUP BY counts per hour in the database."""

    type = DateTime()
    inherit_cache = True
    name = "utc_hour"


@compiles(utc_hour, "sqlite")
def _sqlite(element: utc_hour, compiler: SQLCompiler, **kw: Any) -> str:
    # the stored text is 'YYYY-MM-DD HH:MM:SS.ffffff': cutting it is cheaper than strftime on every row
    return f"(substr({compiler.process(element.clauses, **kw)}, 1, 13) || ':00:00')"


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


QUARTER = 900  # seconds: every time zone's offset is a whole number of quarter hours


class quarter_hour(FunctionElement[int]):
    """A naive-UTC timestamp column as its quarter hour since the epoch (an integer), so GROUP BY buckets
    can be summed into local days of any time zone afterwards (``from_quarter``)."""

    type = Integer()
    inherit_cache = True
    name = "quarter_hour"


@compiles(quarter_hour, "sqlite")
def _sqlite_quarter(element: quarter_hour, compiler: SQLCompiler, **kw: Any) -> str:
    # whole seconds only: SQLite rounds a fraction to milliseconds, which can carry into the next quarter
    column = compiler.process(element.clauses, **kw)
    return f"(CAST(strftime('%s', substr({column}, 1, 19)) AS INTEGER) / {QUARTER})"


@compiles(quarter_hour)
def _default_quarter(element: quarter_hour, compiler: SQLCompiler, **kw: Any) -> str:  # PostgreSQL
    column = compiler.process(element.clauses, **kw)
    return f"CAST(floor(extract(epoch FROM {column}) / {QUARTER}) AS BIGINT)"


def from_quarter(value: int) -> datetime:
    """The start of quarter hour ``value`` (as ``quarter_hour`` counts them), aware UTC."""
    return datetime.fromtimestamp(int(value) * QUARTER, UTC)


class seconds_between(FunctionElement[float]):
    """``later - earlier`` in seconds as a float, for ORDER BY (exact values are recomputed in Python)."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between, "sqlite")
def _sqlite_seconds(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


@compiles(seconds_between)
def _default_seconds(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:  # PostgreSQL
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"extract(epoch FROM ({later} - {earlier}))"


def quarter_of(at: datetime) -> datetime:
    """The start of the quarter hour holding ``at`` (aware UTC), as ``quarter_hour`` buckets it."""
    return from_quarter(int(at.timestamp()) // QUARTER)
