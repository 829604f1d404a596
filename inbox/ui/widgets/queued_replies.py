"""The conversation's replies still waiting in the outbox: why each waits, and Edit or Cancel for its author
or a manager or admin (``inbox.replies.queued``: a sender that took it first wins, and the agent is told)."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from inbox.access import PermissionDenied
from inbox.desk import actions as desk
from inbox.desk.actions import ConversationView
from inbox.i18n import _
from inbox.ingest.standby import pauses
from inbox.replies import queued
from inbox.store.tables import OutboundReply, User
from inbox.ui.common import current_user, language_detector, local_time, now, pii_patterns, transaction
from inbox.ui.labels import language
from inbox.ui.widgets import confirm, send_failure


def _key(reply_id: int, what: str) -> str:
    return f"queued-{reply_id}-{what}"


def why_waiting(r: OutboundReply, paused: bool, at: datetime) -> str:
    """What the reply waits for, in the page's language."""
    if r.unsure_from is not None:
        return _(
            "An earlier attempt may have reached the platform: it is looked for before any new attempt. "
            "It can no longer be edited or cancelled."
        )
    if paused:
        return _("Waiting: sending is paused on this channel. It goes when an admin resumes it.")
    if r.next_attempt_at is not None and r.next_attempt_at > at and r.last_error:
        return _("Waiting: next attempt at {time} ({why})").format(
            time=local_time(r.next_attempt_at), why=send_failure.explained(r.last_error)
        )
    return _("Waiting to be sent: you can still edit or cancel it.")


def _done(reply_id: int, message: str, kind: str = "success") -> None:
    st.session_state[_key(reply_id, "said")] = (kind, message)


def _cancel(conv_id: int, reply_id: int, seen: str) -> None:
    user = current_user()
    if user is None:
        return
    try:
        with transaction() as session:
            desk.workable(session, conv_id, user)
            queued.cancel(session, reply_id, user, now(), seen_text=seen)
    except (queued.NotWaiting, PermissionDenied, desk.DeskError) as exc:
        _done(reply_id, str(exc), "error")
        return
    _done(reply_id, _("Reply cancelled: it will not be sent."))


def _save(conv_id: int, reply_id: int, seen: str) -> None:
    user, text = current_user(), st.session_state.get(_key(reply_id, "text"), "") or ""
    if user is None:
        return
    try:
        with transaction() as session:
            desk.workable(session, conv_id, user)
            result = queued.edit(
                session,
                reply_id,
                user,
                text,
                now(),
                seen_text=seen,
                pii_patterns=pii_patterns(),
                detect=language_detector(),
                language_confirmed=bool(st.session_state.get(_key(reply_id, "language"))),
            )
    except (queued.NotWaiting, PermissionDenied, desk.DeskError) as exc:
        _done(reply_id, str(exc), "error")
        st.session_state[_key(reply_id, "editing")] = False
        return
    if result.verdict is not None:
        _done(reply_id, " ".join(result.verdict.problems), "error")
    elif result.language is not None:
        st.session_state[_key(reply_id, "asks")] = result.language
        _done(
            reply_id,
            _("Check your reply's language: tick “Send it in this language anyway”, then save."),
            "warning",
        )
    else:
        st.session_state[_key(reply_id, "editing")] = False
        _done(reply_id, _("Reply changed: the new text will be sent."))


def _editor(view: ConversationView, r: OutboundReply, rid: int) -> None:
    st.text_area(_("New text"), value=r.text, key=_key(rid, "text"), height=100)
    asks = st.session_state.get(_key(rid, "asks"))
    if asks:
        st.checkbox(
            _("Send it in this language anyway ({reply}; the customer's: {customer})").format(
                reply=language(asks), customer=language(view.conversation.language)
            ),
            key=_key(rid, "language"),
        )
    row = st.container(horizontal=True)
    conv = view.conversation.id or 0
    row.button(
        _("Save the change"), key=_key(rid, "save"), type="primary", on_click=_save, args=(conv, rid, r.text)
    )
    row.button(_("Keep it as it was"), key=_key(rid, "keep"), on_click=_stop_editing, args=(rid,))


def _stop_editing(reply_id: int) -> None:
    st.session_state[_key(reply_id, "editing")] = False


def _start_editing(reply_id: int) -> None:
    st.session_state[_key(reply_id, "editing")] = True
    st.session_state.pop(_key(reply_id, "text"), None)  # starts from the text as it is now


def _one(view: ConversationView, r: OutboundReply, user: User, paused: bool, at: datetime) -> None:
    rid = r.id or 0
    waiting = (  # two waiting, a public reply and a private message: each says which it is
        _("**Private message waiting** since {when}")
        if r.visibility == "private"
        else _("**Public reply waiting** since {when}")
    )
    st.markdown(waiting.format(when=local_time(r.created_at) if r.created_at else ""))
    st.caption(why_waiting(r, paused, at))
    said = st.session_state.pop(_key(rid, "said"), None)
    if said is not None:
        getattr(st, said[0])(said[1])
    if not queued.changeable(r) or not queued.may_change(user, r):
        return
    if st.session_state.get(_key(rid, "editing")):
        _editor(view, r, rid)
        return
    row = st.container(horizontal=True)
    if not r.platform_template:  # an approved template's words are the platform's: cancel, write another
        row.button(
            _("Edit"), key=_key(rid, "edit"), icon=":material/edit:", on_click=_start_editing, args=(rid,)
        )
    row.button(
        _("Cancel this reply"),
        key=_key(rid, "cancel"),
        icon=":material/cancel:",
        on_click=confirm.ask,
        args=(_key(rid, "cancel"),),
    )
    confirm.prompt(
        _key(rid, "cancel"),
        _("Cancel this reply? It will not be sent."),
        _("Yes, cancel it"),
        _cancel,
        (view.conversation.id or 0, rid, r.text),
        no=_("No, keep it"),
    )


def panel(view: ConversationView, user: User) -> None:
    """The waiting replies, each with its state and (when allowed) Edit and Cancel."""
    waiting = [r for r in view.replies if r.status == "pending" and r.action == "reply"]
    said = [k for k in st.session_state if str(k).startswith("queued-") and str(k).endswith("-said")]
    if not waiting and not said:
        return
    paused = any(p.what == "sending" for p in pauses(view.channel))
    at = now()
    with st.container(border=True):
        for r in waiting:
            _one(view, r, user, paused, at)
        for (
            key
        ) in said:  # a reply that just left the list (cancelled, or taken by a sender): say what happened
            left = st.session_state.pop(key, None)
            if left is not None:
                getattr(st, left[0])(left[1])
