"""The reason asked before a closed conversation is shown (not a page); the rule and the audit are
``inbox.desk.access_reasons``'."""

from __future__ import annotations

import streamlit as st

from inbox.desk import access_reasons
from inbox.desk.actions import ConversationView, ReasonRequired
from inbox.i18n import _
from inbox.store.tables import User
from inbox.ui.common import current_user, now, transaction

GRANTED = "closed-access-granted"  # session_state: conversations this page may show without asking again
VIEWED = "audited-view"  # session_state: the conversation whose view is audited (the page's own key)


def _open(conv_id: int) -> None:
    user = current_user()
    if user is None:
        return
    try:
        with transaction() as session:
            access_reasons.record_access(
                session, conv_id, user, st.session_state.get(f"access-reason-{conv_id}") or "", now()
            )
    except ReasonRequired:
        st.session_state[f"access-flash-{conv_id}"] = True
        return
    st.session_state.setdefault(GRANTED, set()).add(conv_id)
    st.session_state[VIEWED] = conv_id  # audited here, with the reason


def gate(view: ConversationView, user: User) -> bool:
    """True when the page may show the conversation; else the form asking why is shown."""
    conv_id = view.conversation.id or 0
    granted: set[int] = st.session_state.setdefault(GRANTED, set())
    if conv_id in granted or not access_reasons.needs_reason(view.conversation, user.id):
        granted.add(conv_id)  # seen open, or one's own: resolving it later does not lock the page
        return True
    with st.container(border=True):
        st.markdown(
            _("**This conversation is closed.** Say why you open it: the audit log keeps who, when and why.")
        )
        if st.session_state.pop(f"access-flash-{conv_id}", False):
            st.error(_("A reason is needed to open a closed conversation."))
        st.text_input(
            _("Reason for opening"),
            key=f"access-reason-{conv_id}",
            placeholder=_("e.g. the customer called about this order"),
        )
        st.button(
            _("Open the conversation"),
            key=f"access-go-{conv_id}",
            type="primary",
            on_click=_open,
            args=(conv_id,),
            icon=":material/lock_open:",
        )
    return False
