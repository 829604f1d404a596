"""CSV cells a spreadsheet would run as formulas are kept as text; every other cell is left exactly."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from inbox.privacy.audit_log import to_csv
from inbox.spreadsheet import FORMULA_START, safe_cell, safe_row


@given(st.text())
def test_no_cell_starts_like_a_formula_and_nothing_else_changes(text: str) -> None:
    safe = safe_cell(text)
    assert isinstance(safe, str) and not safe.startswith(FORMULA_START)
    assert safe == text or safe == "'" + text


def test_numbers_and_empty_cells_are_left_alone() -> None:
    assert safe_row({"n": -3, "x": None, "t": "-5 € off", "s": ""}) == {
        "n": -3,
        "x": None,
        "t": "'-5 € off",
        "s": "",
    }


def test_the_audit_log_csv_keeps_what_people_typed_as_text() -> None:
    row = {
        "at": datetime(2026, 3, 1, 10, tzinfo=UTC),
        "actor": "alice",
        "action": "privacy.erase",
        "target": "contact:7",
        "detail": '=HYPERLINK("https://evil.example","ok")',
    }
    [read] = csv.DictReader(io.StringIO(to_csv([row])))
    assert read["detail"] == "'" + row["detail"] and read["actor"] == "alice"
