"""The browser's side of a sign-in that survives a reload (the rules: ``inbox.desk.web_sessions``).

Streamlit cannot set a cookie from the server: the cookie is written by a one-line script in the page
(``st.html``, SameSite=Strict, Secure over HTTPS) and read back from the next page load's request through
``st.context.cookies``. The session itself lives on the server, so signing out, deactivating an account or
resetting its password ends it even where the browser keeps the cookie.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import streamlit as st

from inbox.desk import accounts, presence, web_sessions
from inbox.settings import current_settings
from inbox.store import records as store
from inbox.store.tables import User
from inbox.ui.common import USER, current_user, now, reading, transaction

SESSION = "web_session_cookie"  # session_state: this browser's cookie value
EXPIRES = "web_session_expires"  # session_state: when it expires (to write the cookie)
TRIED = "web_session_tried"  # session_state: a cookie already refused on this page load
FORGET = "web_session_forget"  # session_state: the browser's cookie is to be deleted (after a sign-out)
GONE = datetime(1970, 1, 1, tzinfo=UTC)  # a cookie's expiry that deletes it


@st.cache_resource
def _key(url: str, configured: str | None) -> bytes:
    with transaction() as session:
        return web_sessions.cookie_key(session, configured, now())


def key() -> bytes:
    settings = current_settings()
    configured = settings.session_secret.get_secret_value() if settings.session_secret else None
    return _key(settings.database_url, configured)


def start(user_id: int) -> None:
    """A new server-side session for the user who just signed in; the cookie is written by ``write``."""
    lifetime = timedelta(hours=current_settings().session_hours)
    with transaction() as session:
        cookie, expires = web_sessions.start(session, user_id, key(), now(), lifetime)
    st.session_state[SESSION], st.session_state[EXPIRES] = cookie, expires


def _browser_cookie() -> str | None:
    value = st.context.cookies.get(web_sessions.COOKIE)
    return value if isinstance(value, str) and value else None


def restore() -> None:
    """Sign in again from the browser's cookie after a reload, when its session is still live."""
    cookie = _browser_cookie()
    if USER in st.session_state or cookie is None or st.session_state.get(TRIED) == cookie:
        return
    with transaction() as session:
        user = accounts.resume(session, cookie, key(), now())
        user_id = user.id if user else None
    if user_id is None:
        st.session_state[TRIED] = cookie
        return
    st.session_state[USER], st.session_state[SESSION] = user_id, cookie


def live() -> bool:
    """Whether this page's session is still live (a session started outside the browser has no cookie)."""
    cookie = st.session_state.get(SESSION)
    if cookie is None:
        return True
    with reading() as session:
        return web_sessions.find(session, cookie, key(), now()) is not None


def signed_in_user() -> User | None:
    """The signed-in user of this page: restored from the cookie after a reload, and only while the
    account may sign in and its session is live (revoked elsewhere: signed out at once)."""
    restore()
    user = current_user()
    if user is not None and not live():
        for name in (USER, SESSION, EXPIRES):
            st.session_state.pop(name, None)
        return None
    return user


def sign_out(user: User) -> None:
    """End this page's session on the server, leave every conversation, and delete the browser's cookie."""
    cookie = st.session_state.get(SESSION)
    with transaction() as session:
        if cookie is not None:
            web_sessions.revoke(session, cookie, key(), now(), "signed out")
        assert user.id is not None
        presence.signed_out(session, user.id, now())
        store.audit(session, user.name, "auth.signed_out", target=("user", user.id))
    st.session_state.clear()
    st.session_state[FORGET] = True


def script(name: str, value: str, expires: datetime, same_site: str = "Strict") -> str:
    """The page script that writes a cookie (``Secure`` over HTTPS); an expiry in the past deletes it."""
    cookie = f"{name}={value}; Path=/; Expires={format_datetime(expires, usegmt=True)}"
    cookie += f"; SameSite={same_site}"
    return (
        f"<script>document.cookie = {json.dumps(cookie)}"
        ' + (location.protocol === "https:" ? "; Secure" : "");</script>'
    )


def write() -> None:
    """Write (or delete) the browser's cookie to match this page's session."""
    cookie, expires = st.session_state.get(SESSION), st.session_state.get(EXPIRES)
    if cookie is not None and expires is not None:
        st.html(script(web_sessions.COOKIE, cookie, expires), unsafe_allow_javascript=True)
    elif cookie is None and (st.session_state.get(FORGET) or _browser_cookie() is not None):
        st.html(script(web_sessions.COOKIE, "", GONE), unsafe_allow_javascript=True)
