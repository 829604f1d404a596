"""A dashboard table downloaded as CSV opens in the user's spreadsheet (audit r20, UI finding 8): in French,
French headers and values, ``;`` between cells, decimal commas, and a byte-order mark for the accents."""

from __future__ import annotations

import csv
import io

from inbox import i18n
from inbox.reports.table_base import Table
from inbox.reports.tables import CLOCK_COLUMNS, to_csv
from inbox.ui.widgets.table_download import spreadsheet_csv

AT_RISK = Table(
    "at_risk",
    "At risk",
    CLOCK_COLUMNS,
    [(7, "x-acme", "ann", "low", None, "2026-12-07 10:00", 2.4, 80.5, "@AcmeCare où est mon colis ?")],
)


def test_a_french_manager_gets_a_csv_french_excel_reads() -> None:
    with i18n.use_language("fr"):
        text = spreadsheet_csv(AT_RISK)
    assert text.startswith("\ufeff")
    header, row = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert "urgency" not in header and len(header) == len(CLOCK_COLUMNS)
    assert "Basse" in row and "2,4" in row and "80,5" in row
    assert "'@AcmeCare où est mon colis ?" in row  # still kept from being read as a formula


def test_in_english_it_is_a_plain_csv_and_the_stable_export_is_unchanged() -> None:
    with i18n.use_language("en"):
        header, row = list(csv.reader(io.StringIO(spreadsheet_csv(AT_RISK).lstrip("\ufeff"))))
    assert "2.4" in row and len(header) == len(CLOCK_COLUMNS)
    assert to_csv(AT_RISK).splitlines()[0] == ",".join(CLOCK_COLUMNS)  # the CLI's stable names


def test_an_agents_replies_per_day_download_is_a_french_spreadsheet_too() -> None:
    """My figures' CSV was ``day,replies_sent`` in every language (walk of 8 Dec.): a French agent's
    Excel read one column of English words; it now reads as the dashboard's tables do."""
    from datetime import date

    from inbox.ui.widgets.table_download import replies_per_day

    table = replies_per_day({date(2026, 12, 7): 0, date(2026, 12, 8): 4})
    with i18n.use_language("fr"):
        text = spreadsheet_csv(table)
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")) == [
        ["Jour", "Réponses envoyées"],
        ["2026-12-07", "0"],
        ["2026-12-08", "4"],
    ]
