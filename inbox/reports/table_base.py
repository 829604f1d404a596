"""A report table (name, title, columns, rows) and the cell formats every table uses. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

Cell = str | int | float | None
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]

    def records(self) -> list[dict[str, Cell]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def one_decimal(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def local(at: datetime, tz: tzinfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return at.astimezone(tz).strftime(fmt)
