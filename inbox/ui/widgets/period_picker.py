"""The report period picker (a widget, not a page): today, 7 days, 30 days or a range of local days."""

from __future__ import annotations

from datetime import timedelta, tzinfo

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from inbox.i18n import N_, _
from inbox.reports.period import Period, custom, local_day, rolling
from inbox.ui import streamlit_words
from inbox.ui.common import now

PERIODS = {"today": N_("Today"), "7d": N_("7 days"), "30d": N_("30 days"), "custom": N_("Custom")}


def period_picker(
    tz: tzinfo, where: DeltaGenerator, days_where: DeltaGenerator, key: str, days_key: str
) -> Period:
    """The period chosen (7 days at first); a custom range waits (``st.stop``) until both days are picked."""
    choice = where.segmented_control(
        _("Period"),
        list(PERIODS),
        format_func=lambda v: _(PERIODS[v]),
        key=key,
        default="7d",
        required=True,
    )
    if choice != "custom":
        return rolling(choice or "7d", now(), tz)
    today = local_day(now(), tz)
    picked = days_where.date_input(
        _("Days"),
        value=(today - timedelta(days=6), today),
        max_value=today,
        key=days_key,
        format=streamlit_words.date_format(),
    )
    if not isinstance(picked, tuple) or len(picked) != 2:
        st.info(_("Pick the last day of the period."))
        st.stop()
    return custom(picked[0], picked[1], tz)
