"""The dashboard's tables for people as data frames (the words: inbox.reports.labels)."""

from __future__ import annotations

import pandas as pd

from inbox.reports.labels import UNCLASSIFIED, column, for_people, title
from inbox.reports.tables import Table

__all__ = ["UNCLASSIFIED", "column", "people_frame", "title"]


def people_frame(table: Table) -> pd.DataFrame:
    """The table with translated headers and values (the CSV keeps the stable names)."""
    shown = for_people(table)
    return pd.DataFrame(shown.rows, columns=list(shown.columns))
