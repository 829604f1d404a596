"""What a user gets at an address no page answers (an old bookmark, a mistyped link): "Page not found" in
their language and a link back to the queue, instead of Streamlit's English dialog over the queue. app.py
adds this page, hidden from the menu, at the very address asked for; signed out, that address shows the
sign-in page and keeps it, so the same notice follows the sign-in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from inbox.i18n import _
from inbox.ui.common import QUEUE_PAGE

NOTICE_KEY = "not-found"  # the notice's element key (tests find it by it)
ADDRESS = re.compile(r"[^/`\s]{1,300}")  # no "/" (Streamlit refuses it) nor backtick (our code span)
SEEN_KEY = "unknown-addresses"
KEPT = 10  # the session's last unknown addresses that keep a page


def unknown_addresses(pages: Iterable[st.Page]) -> list[str]:
    """The page addresses asked for in this browser session that none of ``pages`` has: the one asked now,
    and the earlier ones, since a rerun (the sign-in's, a widget's) names its page by Streamlit's hash of
    the address only, and that page must still be there. Addresses Streamlit could not give a page are left
    out."""
    known = {p.url_path for p in pages}
    seen: list[str] = st.session_state.setdefault(SEEN_KEY, [])
    ctx = get_script_run_ctx()
    asked = getattr(getattr(ctx, "pages_manager", None), "intended_page_name", None)
    if isinstance(asked, str) and ADDRESS.fullmatch(asked) and asked not in known and asked not in seen:
        seen[:] = [*seen[-(KEPT - 1) :], asked]
    return [address for address in seen if address not in known]


def _show(address: str) -> None:
    st.title(_("Page not found"))
    with st.container(key=NOTICE_KEY):
        st.info(
            _("No page of the inbox is at the address {address}.").format(address=f"`/{address}`"),
            icon=":material/link_off:",
        )
        st.page_link(QUEUE_PAGE, label=_("Back to the queue"), icon=":material/arrow_back:")


def page(address: str) -> st.Page:
    """A page hidden from the menu at ``address`` that says no page is there and leads back to the queue."""
    return st.Page(partial(_show, address), title=_("Page not found"), url_path=address, visibility="hidden")
