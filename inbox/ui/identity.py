"""The browser's side of signing in through the team's identity provider (``st.login``, OpenID Connect).

Offered beside local accounts when the app has an ``[auth]`` section in its Streamlit secrets (the provider,
as Streamlit's docs describe) and ``INBOX_OIDC_DOMAIN`` says whose addresses are the team's; the rule that
maps an identity to an account is ``inbox.desk.identity``'s. Once mapped, the sign-in is a session like any
other (``session_cookie``): it survives a reload, and ends with sign-out, deactivation or a password reset.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from inbox.desk import identity
from inbox.i18n import _
from inbox.settings import Settings
from inbox.ui import session_cookie
from inbox.ui.common import USER, now, transaction

REFUSED = "identity-refused"  # session_state: the provider's identity opens no account here


def configured() -> bool:
    """Whether sign-in through the identity provider is offered."""
    try:
        return "auth" in st.secrets and bool(Settings().oidc_domain)
    except StreamlitSecretNotFoundError:
        return False


def _logged_in() -> bool:
    return configured() and bool(st.user.get("is_logged_in", False))


def adopt() -> None:
    """After the provider's redirect: sign in the local account its identity opens (once per page load)."""
    session_cookie.restore()
    if USER in st.session_state or REFUSED in st.session_state or not _logged_in():
        return
    email = st.user.get("email")
    with transaction() as session:
        user = identity.sign_in(
            session, email if isinstance(email, str) else None, Settings().oidc_domain or "", now()
        )
        user_id = user.id if user else None
    if user_id is None:
        st.session_state[REFUSED] = True
        return
    st.session_state[USER] = user_id
    session_cookie.start(user_id)


def offer() -> None:
    """The sign-in page's part: the provider's button, or why its identity opens nothing here."""
    if not configured():
        return
    if st.session_state.get(REFUSED) and st.user.get("is_logged_in", False):
        st.error(_("Your organisation's account opens no active account here: ask an admin."))
        st.button(_("Sign out of your organisation's account"), key="oidc-logout", on_click=st.logout)
        return
    st.button(
        _("Sign in with your organisation's account"),
        key="oidc-login",
        on_click=st.login,
        icon=":material/badge:",
        width="stretch",
    )
    st.caption(_("or with a local account:"))


def sign_out() -> None:
    """Also leave the provider's session in this browser, else its cookie would sign the user in again."""
    if _logged_in():
        st.logout()
    else:
        st.rerun()
