"""The sidebar's break switch for agents: "On a break" keeps auto-assignment and round-robin from handing
them conversations (``inbox.desk.presence.take_break``); what they hold stays theirs."""

from __future__ import annotations

import streamlit as st

from inbox.desk import presence
from inbox.i18n import _
from inbox.store.tables import User
from inbox.ui.common import now, reading, transaction

KEY = "my-break"


def _switch(user_id: int) -> None:
    away = bool(st.session_state.get(KEY))
    with transaction() as session:
        user = session.get(User, user_id)
        if user is not None:
            presence.take_break(session, user, away, now())


def sidebar(user: User) -> None:
    """The switch, for agents (the only ones auto-assignment hands work to)."""
    if user.role != "agent" or user.id is None:
        return
    with reading() as session:
        away = presence.status_of(session, user.id) == "away"
    st.session_state[KEY] = away
    st.toggle(
        _("On a break"),
        key=KEY,
        on_change=_switch,
        args=(user.id,),
        help=_("No conversation is assigned to you automatically while on a break; yours stay yours."),
    )
    if away:
        st.caption(_("On a break: no new conversation comes to you."))
