"""The sign-in page: local accounts (argon2 hashes). Names the demo accounts in demo mode.

Also shown at any page's address while signed out (app.py), so the address survives the sign-in.
"""

from __future__ import annotations

import streamlit as st

from inbox.desk import sign_in
from inbox.i18n import _
from inbox.ui import identity, session_cookie
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
    identity.offer()  # the team's identity provider, when the app has one
    with st.form("sign-in", border=True):
        name = st.text_input(_("User name"), key="sign-in-name", autocomplete="username")
        password = st.text_input(
            _("Password"), type="password", key="sign-in-password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(_("Sign in"), type="primary", width="stretch")
    if submitted:
        address = st.context.ip_address  # None behind some proxies; not a string outside a browser session
        client = address if isinstance(address, str) else None
        with transaction() as session:
            user = sign_in.sign_in(session, name or "", password or "", client=client, now=now())
            user_id = user.id if user else None
            locked = user_id is None and sign_in.locked(session, name or "", client, now())
        if locked:
            st.error(_("Too many failed attempts: wait 15 minutes, or ask an admin to unlock your name."))
        elif user_id is None:
            st.error(_("Wrong user name or password."))
        else:
            st.session_state[USER] = user_id
            session_cookie.start(user_id)
            st.rerun()  # on the page the address asked for: a deep link opens its conversation
