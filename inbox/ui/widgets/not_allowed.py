"""What a user gets at the address of a page their role does not open (an agent at /dashboard, a manager at
/channels): the page's title, who may open it, in their language, and a link back to the queue, instead of
Streamlit's English "Page not found". app.py registers these pages hidden from the menu.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from inbox.access import ROLES, can
from inbox.i18n import _
from inbox.ui.common import QUEUE_PAGE

NOTICE_KEY = "not-allowed"  # the notice's element key (tests find it by it)


def _for_whom(permission: str) -> str:
    if all(can(role, permission) for role in ROLES if role != "agent"):
        return _("This page is for community managers and admins: your account does not open it.")
    return _("This page is for admins: your account does not open it.")


def _show(title: str, permission: str) -> None:
    st.title(title)
    with st.container(key=NOTICE_KEY):
        st.info(_for_whom(permission), icon=":material/lock:")
        st.page_link(QUEUE_PAGE, label=_("Back to the queue"), icon=":material/arrow_back:")


def page(url_path: str, title: str, permission: str) -> st.Page:
    """A page hidden from the menu at ``url_path`` that says who may open ``title`` (needing
    ``permission``), and leads back to the queue."""
    return st.Page(partial(_show, title, permission), title=title, url_path=url_path, visibility="hidden")
