"""The dashboard's live lists (at risk, breached): one row per conversation, as the queue shows it.

The customer is named as in the queue: "@handle · Name", the name alone where the platform gives no handle
(a Facebook comment), "unknown customer" only when neither is known. The row's columns keep its badges and
"Ouvrir" whole on a 1280 px laptop.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo

import streamlit as st
from sqlmodel import col, select

from inbox import i18n
from inbox.i18n import _, pgettext
from inbox.reports.sla_kpis import LiveClock
from inbox.store.tables import Contact, Conversation
from inbox.ui.common import md_escape, md_name, open_conversation, reading, time_left
from inbox.ui.labels import URGENCY, label, stored_text

Names = Mapping[int, str | None]  # conversation id -> its customer's display name


def customer_markdown(handle: str | None, display_name: str | None) -> str:
    """The customer in Markdown: "**@handle** · Name" (the name when it says more than the handle), the name
    alone without a handle, else "unknown customer"."""
    who = f"@{handle}" if handle else (display_name or _("unknown customer"))
    shown = handle and display_name and display_name.lower() != handle.lower()
    name = f" · {md_name(display_name or '')}" if shown else ""
    return f"**{md_name(who)}**{name}"


def display_names(ids: Sequence[int]) -> Names:
    """The display name of each conversation's customer."""
    if not ids:
        return {}
    stmt = (
        select(Conversation.id, Contact.display_name)
        .join(Contact, col(Contact.id) == col(Conversation.contact_id))
        .where(col(Conversation.id).in_(list(ids)))
    )
    with reading() as session:
        return {conv_id: name for conv_id, name in session.exec(stmt) if conv_id is not None}


def clock_row(c: LiveClock, at: datetime, tz: tzinfo, names: Names) -> None:
    """One conversation of a live list: its clock, channel and urgency, customer and text, assignee, Open."""
    conv = c.conversation
    with st.container(border=True, key=f"dash-row-{conv.id}"):
        cols = st.columns([2.1, 1.6, 3.5, 1.3, 1.3], vertical_alignment="center")
        breached = c.state == "breached"
        badge = (
            _("Overdue {time}").format(time=i18n.duration(c.due - at)) if breached else time_left(c.due - at)
        )
        cols[0].badge(badge, color="red" if breached else "orange")
        cols[0].caption(_("Due {when} · #{id}").format(when=i18n.when(c.due, tz), id=conv.id))
        urgency = md_escape(label(URGENCY, conv.urgency))
        cols[1].markdown(f":gray-badge[{md_escape(conv.channel)}] :gray-badge[{urgency}]")
        cols[2].markdown(customer_markdown(conv.handle, names.get(conv.id)))
        cols[2].text(stored_text(conv.snippet) if conv.snippet else _("(no message)"))  # never Markdown
        cols[3].caption(md_escape(conv.assignee) if conv.assignee else pgettext("conversation", "Unassigned"))
        if cols[4].button(_("Open"), key=f"dash-open-{conv.id}", type="primary"):
            open_conversation(conv.id)
