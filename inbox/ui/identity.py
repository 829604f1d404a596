"""The browser's side of signing in through the team's identity provider (``st.login``, OpenID Connect).

Offered beside local accounts when the app has an ``[auth]`` section in its Streamlit secrets (the provider,
as Streamlit's docs describe) and ``INBOX_OIDC_DOMAIN`` says whose addresses are the team's; the rule that
maps an identity to an account is ``inbox.desk.identity``'s. Once mapped, the sign-in is a session like any
other (``session_cookie``): it survives a reload, and ends with sign-out, deactivation or a password reset.

The provider sends the browser back to the app's root: a page asked for while signed out
(``/conversation?id=42``) is kept for the round trip in a short-lived signed cookie (``inbox.desk.return_to``
says what it may name) and opened once the provider's identity has signed the user in.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from inbox.desk import identity, return_to
from inbox.i18n import _
from inbox.settings import current_settings
from inbox.ui import session_cookie
from inbox.ui.common import USER, now, transaction

REFUSED = "identity-refused"  # session_state: the provider's identity opens no account here
ADOPTED = "identity-adopted"  # session_state: just signed in through the provider (the return is to follow)


def configured() -> bool:
    """Whether sign-in through the identity provider is offered."""
    try:
        return "auth" in st.secrets and bool(current_settings().oidc_domain)
    except StreamlitSecretNotFoundError:
        return False


def _logged_in() -> bool:
    return configured() and bool(st.user.get("is_logged_in", False))


def through_provider() -> bool:
    """Whether this browser is signed in through the identity provider (its password is not the inbox's)."""
    return _logged_in()


def adopt() -> None:
    """After the provider's redirect: sign in the local account its identity opens (once per page load)."""
    session_cookie.restore()
    if USER in st.session_state or REFUSED in st.session_state or not _logged_in():
        return
    email = st.user.get("email")
    with transaction() as session:
        user = identity.sign_in(
            session, email if isinstance(email, str) else None, current_settings().oidc_domain or "", now()
        )
        user_id = user.id if user else None
    if user_id is None:
        st.session_state[REFUSED] = True
        return
    st.session_state[USER] = user_id
    st.session_state[ADOPTED] = True
    session_cookie.start(user_id)


def _kept() -> str | None:
    value = st.context.cookies.get(return_to.COOKIE)
    return value if isinstance(value, str) and value else None


def _keep(value: str, expires: datetime) -> None:
    st.html(session_cookie.script(return_to.COOKIE, value, expires, "Lax"), unsafe_allow_javascript=True)


def remember(page: str, pages: Collection[str]) -> None:
    """Signed out at a page's address: keep it (and its known query keys) for the provider's round trip; at
    the root, forget one kept before. Lax, not Strict: the browser comes back from the provider's site."""
    if not configured():
        return
    where = return_to.target(page, st.query_params.to_dict(), pages)
    if where is not None:
        _keep(return_to.encode(where, session_cookie.key(), now()), now() + return_to.LIFETIME)
    elif _kept() is not None:
        _keep("", session_cookie.GONE)


def follow(current: st.Page, pages: Sequence[st.Page]) -> None:
    """Just signed in through the provider, at the root: open the page kept by ``remember`` (once), and
    delete the browser's cookie."""
    adopted, value = st.session_state.pop(ADOPTED, False), _kept()
    if value is None:
        return
    with st.sidebar:
        _keep("", session_cookie.GONE)
    if not adopted or current.url_path != "":
        return
    known = {p.url_path: p for p in pages if p.url_path}
    where = return_to.decode(value, session_cookie.key(), now(), known)
    if where is not None:
        st.switch_page(known[where.page], query_params=where.query)


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
