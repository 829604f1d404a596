"""Redact part of a customer message by hand (not a page): the rule and the audit are
``inbox.desk.redaction``'s; this picks the message and the text, and says what happened."""

from __future__ import annotations

import streamlit as st

from inbox.access import PermissionDenied
from inbox.desk import redaction
from inbox.desk.actions import ConversationView
from inbox.i18n import _, number
from inbox.ui import streamlit_words
from inbox.ui.common import current_user, now, transaction

PREVIEW = 70  # characters of a message shown in the picker


def _key(what: str, conv_id: int) -> str:
    return f"redact-{what}-{conv_id}"


def _redact(conv_id: int) -> None:
    user = current_user()
    message_id = st.session_state.get(_key("message", conv_id))
    part = st.session_state.get(_key("part", conv_id)) or ""
    if user is None or message_id is None:
        return
    try:
        with transaction() as session:
            redaction.redact(session, int(message_id), part, user, now())
    except (redaction.RedactionError, PermissionDenied) as exc:
        st.session_state[_key("flash", conv_id)] = ("error", str(exc))
        return
    st.session_state[_key("part", conv_id)] = ""
    done = _("Redacted: {n} characters hidden for good (audited).").format(n=number(len(part)))
    st.session_state[_key("flash", conv_id)] = ("success", done)


def panel(view: ConversationView) -> None:
    """Pick a customer message of the thread and the text to hide in it."""
    conv_id = view.conversation.id or 0
    texts = {m.id: m.text for m in view.messages if m.direction == "in" and m.id is not None}
    if not texts:
        return
    with st.expander(_("Redact part of a message"), icon=":material/ink_eraser:"):
        flash = st.session_state.pop(_key("flash", conv_id), None)
        if flash:
            (st.success if flash[0] == "success" else st.error)(flash[1])
        st.caption(_("Personal data the masking missed (an address, a password): hidden in the stored copy."))
        st.selectbox(
            _("Message"),
            list(texts),
            key=_key("message", conv_id),
            format_func=lambda i: " ".join(texts[i].split())[:PREVIEW],
            placeholder=streamlit_words.choose(),
        )
        st.text_input(_("Text to redact, exactly as written"), key=_key("part", conv_id))
        st.button(
            _("Redact"),
            key=_key("go", conv_id),
            on_click=_redact,
            args=(conv_id,),
            icon=":material/ink_eraser:",
        )
