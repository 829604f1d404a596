"""The composer's check before a reply in another language than the customer's goes out (issue #14.3).

When the draft reads as another language than the conversation's (``inbox.replies.reply_language``), a
warning names both and the agent ticks "send it in this language anyway" before Send is enabled (not a
page).
"""

from __future__ import annotations

import streamlit as st

from inbox.i18n import _
from inbox.replies.composer import TemplatesFile
from inbox.replies.reply_language import other_language
from inbox.ui.common import language_detector, templates
from inbox.ui.labels import language


def _key(conv_id: int, code: str) -> str:
    return f"composer-{conv_id}-send-in-{code}"


def unconfirmed(conv_id: int, text: str, customer: str | None, template: str | None) -> bool:
    """Whether the draft reads as another language than the customer's and the agent has not ticked
    "send it anyway" (checked again at the click on Send, nothing drawn)."""
    files = templates()
    used = files.get(template or "") if isinstance(files, TemplatesFile) else None
    ours = other_language(text, customer, language_detector(), used.language if used else None)
    return ours is not None and not st.session_state.get(_key(conv_id, ours))


def confirmed(conv_id: int, text: str, customer: str | None, template: str | None) -> bool:
    """Whether the draft may go out as far as its language goes: the same as the customer's (or either
    unknown), or another one the agent confirmed. ``template``: the name of the template used, if any."""
    files = templates()
    used = files.get(template or "") if isinstance(files, TemplatesFile) else None
    ours = other_language(text, customer, language_detector(), used.language if used else None)
    if ours is None:
        for stale in [k for k in st.session_state if str(k).startswith(f"composer-{conv_id}-send-in-")]:
            del st.session_state[stale]  # a later draft in another language asks again
        return True
    st.warning(
        _("Your reply's language: {reply} · the customer's: {customer}. Check it before sending.").format(
            reply=language(ours), customer=language(customer)
        ),
        icon=":material/translate:",
    )
    return bool(st.checkbox(_("Send it in this language anyway"), key=_key(conv_id, ours)))
