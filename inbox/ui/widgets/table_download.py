"""A report table's CSV download button, named in the user's words (the file keeps its stable name), its
content as the user's spreadsheet reads it (``spreadsheet_csv``)."""

from __future__ import annotations

import streamlit as st

from inbox import i18n
from inbox.i18n import _
from inbox.reports.labels import for_people
from inbox.reports.table_base import Table
from inbox.reports.tables import to_csv
from inbox.ui.report_labels import title


def spreadsheet_csv(table: Table) -> str:
    """The table as a person opens it in their spreadsheet: headers and values in their language; in
    French, ``;`` between cells and decimal commas; a byte-order mark so Excel reads the accents."""
    shown = for_people(table)
    if i18n.current() == "fr":
        return "\ufeff" + to_csv(shown, delimiter=";", decimal=",")
    return "\ufeff" + to_csv(shown)


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
