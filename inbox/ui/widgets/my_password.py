"""The sidebar's "My password": the signed-in person changes their own password.

The rule lives in ``inbox.desk.accounts.change_own_password``: the current password first, then a new one of
at least ``MIN_PASSWORD`` characters, typed twice here. This browser stays signed in; the others end.
"""

from __future__ import annotations

import streamlit as st

from inbox.desk import accounts, web_sessions
from inbox.desk.auth import AuthError
from inbox.i18n import _
from inbox.store.tables import User
from inbox.ui import session_cookie
from inbox.ui.common import now, transaction
from inbox.ui.widgets import flash

FLASH = "my-password-flash"
FIELDS = ("my-password-current", "my-password-new", "my-password-again")


def _change(user_id: int) -> None:
    s = st.session_state
    current, new, again = (str(s.get(k) or "") for k in FIELDS)
    if new != again:
        s[FLASH] = ("error", _("Not changed: the two new passwords differ."))
        return
    cookie = s.get(session_cookie.SESSION)
    at = now()
    try:
        with transaction() as session:
            row = web_sessions.find(session, cookie, session_cookie.key(), at) if cookie else None
            accounts.change_own_password(session, user_id, current, new, at, keep=row.id if row else None)
    except AuthError as exc:
        if isinstance(exc, accounts.WrongCurrentPassword):
            with transaction() as session:
                accounts.refused_own_password(session, user_id, at)
        s[FLASH] = ("error", _("Not changed: {error}").format(error=exc))
        return
    s[FLASH] = _("Your password is changed. Your other browsers are signed out.")
    st.toast(s[FLASH])


def sidebar(user: User) -> None:
    """The popover with its form; the outcome shows inside it."""
    assert user.id is not None
    with st.popover(_("My password"), icon=":material/key:", width="stretch"):
        form(user.id)


def form(user_id: int) -> None:
    """The form (current password, the new one twice) and its last outcome."""
    flash.show(FLASH)
    with st.form("my-password", clear_on_submit=True, border=False):
        st.text_input(_("Current password"), type="password", key=FIELDS[0])
        st.text_input(
            _("New password"),
            type="password",
            key=FIELDS[1],
            help=_("At least {n} characters.").format(n=accounts.MIN_PASSWORD),
        )
        st.text_input(_("New password again"), type="password", key=FIELDS[2])
        st.form_submit_button(_("Change my password"), on_click=_change, args=(user_id,))
