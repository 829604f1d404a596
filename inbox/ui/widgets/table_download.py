"""A report table's CSV download button, named in the user's words (the file keeps its stable name), its
content as the user's spreadsheet reads it (``spreadsheet_csv``)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from inbox import i18n
from inbox.i18n import N_, _
from inbox.reports.labels import for_people
from inbox.reports.table_base import Cell, Table
from inbox.reports.tables import to_csv
from inbox.ui.report_labels import title


def spreadsheet_csv(table: Table) -> str:
    """The table as a person opens it in their spreadsheet: headers and values in their language; in
    French, ``;`` between cells and decimal commas; a byte-order mark so Excel reads the accents."""
    shown = for_people(table)
    if i18n.current() == "fr":
        return "\ufeff" + to_csv(shown, delimiter=";", decimal=",")
    return "\ufeff" + to_csv(shown)


def replies_per_day(by_day: dict[date, int]) -> Table:
    """My figures' replies sent per day as a report table, so that it downloads as the dashboard's do."""
    rows: list[tuple[Cell, ...]] = [(day.isoformat(), n) for day, n in by_day.items()]
    return Table("replies_by_day", N_("Replies sent per day"), ("day", "replies_sent"), rows)


def csv_download(table: Table, key_prefix: str = "dl") -> None:
    """``Download “<title>” (CSV)``, the file ``<table name>.csv``; key ``<key_prefix>-<table name>``."""
    st.download_button(
        _("Download “{table}” (CSV)").format(table=_(title(table))),
        spreadsheet_csv(table),
        file_name=f"{table.name}.csv",
        mime="text/csv",
        key=f"{key_prefix}-{table.name}",
        icon=":material/download:",
        on_click="ignore",
    )
