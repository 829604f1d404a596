"""A report table (name, title, columns, rows) and the cell formats every table uses. Pure.

A sentence in a cell (the summary's detail column) is a ``Detail``: English text for the CSV and JSON that
scripts read, which says itself in the reader's language on the dashboard and in ``inbox report --language``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from inbox import i18n

Cell = str | int | float | None


class Detail(str):
    """``msgid`` (marked ``N_``, or a pair marked ``Nn_`` whose form follows ``values["n"]``) formatted with
    ``values``: English as a string, ``said()`` translated."""

    msgid: str | tuple[str, str]
    values: dict[str, Any]

    def __new__(cls, msgid: str | tuple[str, str], **values: Any) -> Detail:
        english = msgid if isinstance(msgid, str) else msgid[values["n"] != 1]
        text = super().__new__(cls, english.format(**values))
        text.msgid, text.values = msgid, values
        return text

    def __getnewargs__(self) -> tuple[str]:
        """Pickled (Streamlit's cache) as its text; ``msgid`` and ``values`` come back as its state."""
        return (str(self),)

    def said(self) -> str:
        """The sentence in the current language, its numbers written as the language writes them."""
        if isinstance(self.msgid, str):
            template = i18n._(self.msgid)
        else:
            template = i18n.ngettext(*self.msgid, self.values["n"])
        return template.format(**{k: _said(v) for k, v in self.values.items()})


def _said(value: Any) -> Any:
    if isinstance(value, Detail):
        return value.said()
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—" if value is None else value
    return i18n.number(value, 1)


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
