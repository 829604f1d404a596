"""Plain-text rendering of report tables for a terminal or a scheduled e-mail, numbers written as the
current language writes them ("12 345,6" in French). Pure."""

from __future__ import annotations

from collections.abc import Iterable

from inbox import i18n
from inbox.i18n import _
from inbox.reports.tables import Cell, Table

MAX_CELL = 60


def cell_text(cell: Cell) -> str:
    if cell is None:
        return "—"
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, int):
        return i18n.number(cell)
    if isinstance(cell, float):  # as many decimals as the table kept: 0.0 stays "0,0"
        written = repr(cell)
        decimals = len(written.split(".")[1]) if "." in written and "e" not in written else 0
        return i18n.number(cell, decimals, fixed=True)
    text = " ".join(str(cell).split())  # one line per row, whatever the customer typed
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def render(table: Table) -> str:
    head = [table.title, "=" * len(table.title)]
    if not table.rows:
        return "\n".join([*head, _("(none)")])
    cells = [list(table.columns), *([cell_text(c) for c in row] for row in table.rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(table.columns))]
    numeric = [
        all(isinstance(row[i], int | float) or row[i] is None for row in table.rows)
        for i in range(len(widths))
    ]

    def line(row: list[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(row, widths, numeric, strict=True)]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([*head, line(cells[0]), rule, *(line(r) for r in cells[1:])])


def render_all(tables: Iterable[Table], heading: str) -> str:
    return "\n\n".join([heading, *(render(t) for t in tables)]) + "\n"
