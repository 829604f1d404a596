"""On a conversation in an open incident: which incident, and whether its reply went to this customer (so the
agent answers only what the incident's reply does not cover)."""

from __future__ import annotations

import streamlit as st

from inbox.desk.incidents import lookup
from inbox.i18n import _
from inbox.ui.common import md_escape, reading


def notice(conversation_id: int) -> None:
    with reading() as session:
        found = lookup.membership(session, conversation_id)
    if found is None:
        return
    incident, member = found
    head = _("Part of incident #{id} “{title}”.").format(id=incident.id, title=md_escape(incident.title))
    if member.reply_state == "queued":
        state = _("The incident's reply was sent to this customer.")
    elif member.reply_state == "skipped":
        why = md_escape(_(member.reply_note) if member.reply_note else "")
        state = _("The incident's reply was not sent to this customer: {why}.").format(why=why)
    else:
        state = _("The incident's reply goes to this customer once a manager approves it.")
    st.info(f"{head} {state}", icon=":material/crisis_alert:")


def badges(conversation_ids: list[int]) -> dict[int, str]:
    """A queue badge for each of these conversations that is in an open incident (Markdown)."""
    with reading() as session:
        found = lookup.open_incidents_of(session, conversation_ids)
    word = _("Incident #{id}")
    return {c: f":red-badge[:material/crisis_alert: {word.format(id=i)}]" for c, i in found.items()}
