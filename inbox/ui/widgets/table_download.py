"""A report table's CSV download button, named in the user's words (the file keeps its stable name)."""

from __future__ import annotations

import streamlit as st

from inbox.i18n import _
from inbox.reports.table_base import Table
from inbox.reports.tables import to_csv
from inbox.ui.report_labels import title


def csv_download(table: Table, key_prefix: str = "dl") -> None:
    """``Download “<title>” (CSV)``, the file ``<table name>.csv``; key ``<key_prefix>-<table name>``."""
    st.download_button(
        _("Download “{table}” (CSV)").format(table=_(title(table))),
        to_csv(table),
        file_name=f"{table.name}.csv",
        mime="text/csv",
        key=f"{key_prefix}-{table.name}",
        icon=":material/download:",
        on_click="ignore",
    )
