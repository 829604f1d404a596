"""The sign-in page: local accounts (argon2 hashes). Names the demo accounts in demo mode."""

from __future__ import annotations

import streamlit as st

from inbox.desk import auth
from inbox.i18n import _
from inbox.ui.common import USER, demo_mode, now, transaction

_left, middle, _right = st.columns([1, 1.2, 1])
with middle:
    st.title(":material/forum: " + _("Social-care inbox"))
    st.caption(_("Sign in to answer your customers on social media."))
    if demo_mode():
        st.info(
            _(
                "**Demo mode.** Sign in as agent **agent** / password **agent**, "
                "as community manager **manager** / **manager**, or as admin **admin** / **admin**."
            ),
            icon=":material/info:",
        )
    with st.form("sign-in", border=True):
        name = st.text_input(_("User name"), key="sign-in-name", autocomplete="username")
        password = st.text_input(
            _("Password"), type="password", key="sign-in-password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(_("Sign in"), type="primary", width="stretch")
    if submitted:
        with transaction() as session:
            user = auth.authenticate(session, name or "", password or "", now=now())
            user_id = user.id if user else None
            locked = user_id is None and auth.locked_out(session, name or "", now())
        if locked:
            st.error(_("Too many failed attempts for this user name: wait 15 minutes, or ask an admin."))
        elif user_id is None:
            st.error(_("Wrong user name or password."))
        else:
            st.session_state[USER] = user_id
            st.rerun()
