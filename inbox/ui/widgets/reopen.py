"""A status change from the conversation page (not a page); re-opening a closed conversation first asks why.

The rule and the audit are ``inbox.desk.actions.set_status``'s: a resolved conversation goes back to open or
pending only with a reason (``ReasonRequired``), which the audit log keeps beside who and when.
"""

from __future__ import annotations

import streamlit as st

from inbox.desk import actions as desk
from inbox.i18n import _
from inbox.store.tables import User
from inbox.ui.common import current_user, now, transaction
from inbox.ui.labels import STATUS, label


def _to(conv_id: int) -> str:
    return f"reopen-to-{conv_id}"


def _reason(conv_id: int) -> str:
    return f"reopen-reason-{conv_id}"


def change(conv_id: int, status: str, user: User, reason: str | None = None) -> bool:
    """Set the status; on a closed conversation without a reason, ask for one (the form below)."""
    try:
        with transaction() as session:
            desk.set_status(session, conv_id, status, user, now(), reason=reason)
    except desk.ReasonRequired:
        st.session_state[_to(conv_id)] = status
        return False
    return True


def _reopen(conv_id: int) -> None:
    user, status = current_user(), st.session_state.get(_to(conv_id))
    if user is None or status is None:
        return
    if change(conv_id, status, user, st.session_state.get(_reason(conv_id), "")):
        st.session_state.pop(_to(conv_id), None)
        st.session_state[_reason(conv_id)] = ""
        st.toast(_("Conversation reopened."))
    else:
        st.session_state[f"reopen-flash-{conv_id}"] = True


def _cancel(conv_id: int) -> None:
    st.session_state.pop(_to(conv_id), None)


def form(conv_id: int) -> None:
    """The reason asked before a closed conversation is reopened, while a reopening waits for one."""
    status = st.session_state.get(_to(conv_id))
    if status is None:
        return
    with st.container(border=True):
        st.markdown(_("**This conversation is closed.** Say why you reopen it: the audit log keeps it."))
        if st.session_state.pop(f"reopen-flash-{conv_id}", False):
            st.error(_("A reason is needed to reopen a closed conversation."))
        st.text_input(  # the status it goes back to is said here: the button says only « Rouvrir »
            _("Reason for reopening as {status}").format(status=label(STATUS, status)),
            key=_reason(conv_id),
            placeholder=_("e.g. the customer called back about the same order"),
        )
        row = st.container(horizontal=True)  # two half columns cut « Rouvrir en « Ouverte » » to « Rou… »
        row.button(
            _("Reopen"),
            key=f"reopen-go-{conv_id}",
            type="primary",
            on_click=_reopen,
            args=(conv_id,),
            icon=":material/undo:",
        )
        row.button(_("Cancel"), key=f"reopen-cancel-{conv_id}", on_click=_cancel, args=(conv_id,))
