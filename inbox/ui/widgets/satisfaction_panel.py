"""The dashboard's satisfaction panel (not a page): CSAT, NPS and CES of the period's surveys, their response
rate, the figures per channel, agent and reply template, and the customers' verbatim replies.

Figures come from ``PeriodReport.satisfaction`` (``inbox.reports.satisfaction``), as ``inbox report`` prints
them. Customer text is shown as plain table cells, never as Markdown.
"""

from __future__ import annotations

import streamlit as st

from inbox import i18n
from inbox.i18n import N_, _, ngettext
from inbox.reports.figure_tables import satisfaction_tables
from inbox.reports.labels import SURVEYS
from inbox.reports.report import PeriodReport
from inbox.reports.satisfaction import SatisfactionGroup
from inbox.reports.table_base import Table
from inbox.ui.report_labels import table_frame, title
from inbox.ui.widgets.table_download import csv_download

TABS = {
    "satisfaction_by_channel": N_("Channel"),
    "satisfaction_by_agent": N_("Agent"),
    "satisfaction_by_template": N_("Template"),
    "survey_verbatims": N_("Verbatims"),
}


def _score(g: SatisfactionGroup) -> str:
    if g.kind == "csat":
        return i18n.percent(None if g.scores.csat is None else g.scores.csat / 100)
    if g.kind == "nps":
        return i18n.number(g.scores.nps, 1)
    return i18n.number(g.scores.ces, 2)


def _tile(column: st.delta_generator.DeltaGenerator, g: SatisfactionGroup) -> None:
    answered = ngettext(
        "{answered} answer of {sent} sent ({rate})", "{answered} answers of {sent} sent ({rate})", g.answered
    ).format(answered=g.answered, sent=g.sent, rate=i18n.percent(g.response_rate))
    column.metric(_(SURVEYS[g.kind]), _score(g), help=_("Response rate: answers ÷ surveys sent."))
    column.caption(answered)


def _table(table: Table) -> None:
    st.dataframe(table_frame(table), hide_index=True)
    csv_download(table, "dl-sat")


def satisfaction_panel(r: PeriodReport) -> None:
    """Tiles per survey kind, then one tab per grouping and the verbatims, each with its CSV."""
    overall = r.satisfaction.overall
    if not overall:
        st.caption(_("No survey sent in the period."))
        return
    for column, group in zip(st.columns(len(overall)), overall, strict=True):
        _tile(column, group)
    tables = {t.name: t for t in satisfaction_tables(r)}
    tabs = st.tabs([_(label) for label in TABS.values()])
    for tab, name in zip(tabs, TABS, strict=True):
        with tab:
            st.caption(_(title(tables[name])))
            _table(tables[name])
