"""The dashboard's tables for people as data frames (the words: inbox.reports.labels, inbox.reports.trends).

Headers and stored values become words in the user's language, and an empty cell shows a dash, never
"None"; the CSV downloads keep the stable names and values.
"""

from __future__ import annotations

import pandas as pd

from inbox import i18n
from inbox.i18n import _
from inbox.reports.labels import UNCLASSIFIED, column, for_people, title
from inbox.reports.tables import Table
from inbox.reports.trends import COLUMNS as TREND_COLUMNS
from inbox.ui.labels import REASON, label
from inbox.ui.widgets.charter_form import DAY_LABELS

__all__ = ["UNCLASSIFIED", "column", "people_frame", "table_frame", "title"]
EMPTY = "—"


def people_frame(table: Table) -> pd.DataFrame:
    """The table with translated headers and values (the CSV keeps the stable names)."""
    shown = for_people(table)
    return pd.DataFrame(shown.rows, columns=list(shown.columns))


def header(name: str) -> str:
    return _(TREND_COLUMNS[name]) if name in TREND_COLUMNS else column(name)


def _reason(value: str) -> str:
    return _(UNCLASSIFIED) if value == "unclassified" else label(REASON, value)


def _text(cell: object) -> str:
    if cell is None:
        return EMPTY
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        return str(cell)
    return i18n.number(cell, 1)


def table_frame(table: Table) -> pd.DataFrame:
    """``people_frame`` with every header in words, weekdays named, and a dash in empty cells (a column
    with an empty cell is shown as text, its numbers in the user's format, so no column mixes types)."""
    days = [_(d) for d in DAY_LABELS.values()]
    shown = for_people(table)
    columns: list[list[object]] = [list(col) for col in zip(*shown.rows, strict=True)] or [
        [] for _name in table.columns
    ]
    for n, name in enumerate(table.columns):
        if name == "weekday":
            columns[n] = [days[c] if isinstance(c, int) and 0 <= c < 7 else c for c in columns[n]]
        if name == "reason":
            columns[n] = [_reason(c) if isinstance(c, str) else c for c in columns[n]]
        if any(c is None for c in columns[n]):
            columns[n] = [_text(c) for c in columns[n]]
    rows = list(zip(*columns, strict=True))
    return pd.DataFrame(rows, columns=[header(name) for name in table.columns])
