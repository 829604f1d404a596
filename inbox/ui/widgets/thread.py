"""Rendering a conversation (not a page): messages, outbox, profile, notes. Customer text: st.text only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import streamlit as st

from inbox.config.platforms import platform_label
from inbox.desk import channel_reading
from inbox.desk.actions import EARLIER_SHOWN, ConversationView, EarlierConversation
from inbox.desk.notes import NoteView
from inbox.i18n import N_, _, duration, ngettext, number
from inbox.ingest.edits import earlier_versions
from inbox.outbox.delivery import HIDE_ACTIONS
from inbox.outbox.unsure import RetryOutcome
from inbox.replies import moderation
from inbox.replies.composer import pii_words
from inbox.store.gone import TOMBSTONE
from inbox.store.tables import Contact, Message, OutboundReply
from inbox.ui.common import local_time, md_escape, md_name, person
from inbox.ui.labels import STATUS, URGENCY, VISIBILITY, label, rule, stored_text
from inbox.ui.widgets import send_failure

VISIBILITY_BADGE = {
    "public": (":blue-badge[:material/public: {}]", N_("Public")),
    "private": (":violet-badge[:material/lock: {}]", N_("Private DM")),
}
REPLY_STATUS = {
    "pending": (":orange-badge[:material/schedule: {}]", N_("Queued")),
    "sending": (":orange-badge[:material/outbox: {}]", N_("Sending")),
    "failed": (":red-badge[:material/error: {}]", N_("Failed")),
    "sent": (":green-badge[:material/done_all: {}]", N_("Delivered")),
    "cancelled": (":gray-badge[:material/cancel: {}]", N_("Cancelled")),
}
HIDE_LABELS = {"hide": N_("Hide comment"), "unhide": N_("Show comment")}


def _badge(table: dict[str, tuple[str, str]], value: str) -> str:
    """A coloured badge in the current language (an unknown value as a grey one)."""
    badge, word = table.get(value, (":gray-badge[{}]", value.replace("_", " ")))
    return badge.format(_(word))


OnHide = Callable[[int, bool], None]  # (message id, hide?) -> queue it in the outbox


def _when(at: datetime | None, now: datetime) -> str:
    return _("{when} ({ago} ago)").format(when=local_time(at), ago=duration(now - at)) if at else ""


# What a person's Retry of an uncertain reply found, shown under the delivered reply (one place, to translate)
RETRY_FOUND = N_("Retry by {by}: found on {platform} at {time}, recorded (not posted again)")
RETRY_NOT_FOUND = N_("Retry by {by}: not found on {platform} at {time}, posted again")


def retry_note(outcome: RetryOutcome | None, platform: str | None) -> str | None:
    """The line under a delivered reply that a person's Retry looked for (None for any other message)."""
    if outcome is None:
        return None
    text = RETRY_FOUND if outcome.found else RETRY_NOT_FOUND
    return _(text).format(by=person(outcome.by), platform=_label(platform), time=local_time(outcome.at))


FOLD_AT = 600  # characters: a longer message shows its start, the rest one click away (composer stays near)


def folded(text: str, limit: int = FOLD_AT) -> tuple[str, str | None]:
    """``(shown, rest)``: the text cut at the last space before ``limit`` (rest None when it fits)."""
    if len(text) <= limit:
        return text, None
    cut = text.rfind(" ", limit // 2, limit)
    cut = cut if cut > 0 else limit
    return text[:cut].rstrip() + " …", text[cut:].lstrip()


def body(text: str) -> None:
    """A message's text as plain text, never Markdown or HTML; a long one folded behind "Show more"."""
    shown, rest = folded(stored_text(text))
    st.text(shown, width="stretch")
    if rest is not None:
        more = _("Show more ({n} more characters)").format(n=number(len(rest)))
        with st.expander(more, icon=":material/unfold_more:"):
            st.text(rest, width="stretch")


def message(m: Message, now: datetime, customer_name: str | None = None, retried: str | None = None) -> None:
    inbound = m.direction == "in"
    with st.chat_message(
        "user" if inbound else "assistant",
        avatar=":material/person:" if inbound else ":material/support_agent:",
    ):
        author = (
            f"@{m.author_handle}"
            if m.author_handle
            else (customer_name or _("customer") if inbound else _("brand"))
        )
        head = f"**{md_name(author)}** · {_badge(VISIBILITY_BADGE, m.visibility)}"
        if not inbound:
            head += f" · {_badge(REPLY_STATUS, 'sent')}"
        st.markdown(f"{head} · :gray[{_when(m.created_at, now)}]")
        body(m.text)
        _edits(m, now)
        notes = []
        if m.pii:
            kinds = sorted({str(p.get("kind", "?")) for p in m.pii if isinstance(p, dict)})
            notes.append(_("contains personal data: {kinds}").format(kinds=pii_words(kinds)))
        if m.urgency and m.urgency not in ("normal", "low"):
            notes.append(_("urgency: {urgency}").format(urgency=label(URGENCY, m.urgency).lower()))
        if m.moderation and m.moderation != moderation.SKIPPED:
            notes.append(_("moderation rule: {rule}").format(rule=rule(m.moderation)))
        if retried:
            notes.append(retried)
        if notes:
            st.caption(md_escape(" · ".join(notes)))


def _edits(m: Message, now: datetime) -> None:
    """A message the customer edited: what it said before, one click away."""
    versions = earlier_versions(m)
    if not versions:
        return
    n = len(versions)
    title = ngettext(
        "Edited by the customer · {n} earlier version", "Edited by the customer · {n} earlier versions", n
    ).format(n=number(n))
    with st.expander(title, icon=":material/edit_note:"):
        for at, text in versions:
            if at is not None:
                st.caption(_when(at, now))
            st.text(stored_text(text), width="stretch")


def hide_control(m: Message, platform_label: str, busy: bool, on_hide: OnHide) -> None:
    """The comment's hidden state on the platform and the button that hides or shows it (via the outbox)."""
    if m.hidden_at is not None:
        hidden = _("Hidden on {platform}").format(platform=md_escape(platform_label))
        st.markdown(f":gray-badge[:material/visibility_off: {hidden}]")
    hide = m.hidden_at is None
    st.button(
        _(HIDE_LABELS["hide" if hide else "unhide"]),
        key=f"hide-{m.id}",
        icon=":material/visibility_off:" if hide else ":material/visibility:",
        on_click=on_hide,
        args=(m.id or 0, hide),
        disabled=busy,
        help=_("Others no longer see the comment; its author still does (audited).")
        if hide
        else _("Show the comment to everyone again (audited)."),
        type="tertiary",
    )


def _hide_row(r: OutboundReply, now: datetime) -> None:
    status = _badge(REPLY_STATUS, r.status)
    action = _(HIDE_LABELS[r.action]) if r.action in HIDE_LABELS else r.action.replace("_", " ")
    head = f":material/visibility_off: **{action}** · {status}"
    by = md_escape(person(r.created_by) if r.created_by else _("agent"))
    st.markdown(f"{head} · {by} · :gray[{_when(r.created_at, now)}]")


def outbox_reply(
    r: OutboundReply,
    now: datetime,
    on_retry: Callable[[int], None],
    details: bool = False,
    idle: datetime | None = None,
) -> None:
    """An undelivered outbox row; ``details``: a failure's raw error too (admins); ``idle``: when its
    channel was last read, if no listener has read it lately (a queued reply then says it waits)."""
    if r.action in HIDE_ACTIONS:
        with st.chat_message("assistant", avatar=":material/visibility_off:"):
            _hide_row(r, now)
            _failure(r, on_retry, details)
        return
    with st.chat_message("assistant", avatar=":material/outgoing_mail:"):
        by = md_escape(person(r.created_by) if r.created_by else _("agent"))
        head = f"**{by}** · {_badge(VISIBILITY_BADGE, r.visibility)}"
        st.markdown(f"{head} · {_badge(REPLY_STATUS, r.status)} · :gray[{_when(r.created_at, now)}]")
        body(r.text)
        _failure(r, on_retry, details)
        if idle is not None and channel_reading.waits_for_a_listener(r.created_at, r.status, idle, now):
            st.caption(
                _(WAITS_FOR_A_LISTENER if details else WAITS_FOR_AN_ADMIN).format(time=local_time(idle))
            )


# The admin runs the server: the command and what to check. The others are told whom to tell, without
# "the listener" (our word; to agents « Écoute » is the queue's listening source) or a command line.
WAITS_FOR_A_LISTENER = N_(
    ":orange[:material/hourglass_empty:] Not sent yet: this channel has not been read since {time}. "
    "Replies wait until `inbox listen` runs it again (check the channel's credentials and the "
    "listener's channels)."
)
WAITS_FOR_AN_ADMIN = N_(
    ":orange[:material/hourglass_empty:] Not sent yet: this channel has not been read since {time}. "
    "It goes as soon as it is read again: tell an admin."
)


def _failure(r: OutboundReply, on_retry: Callable[[int], None], details: bool) -> None:
    if r.status == "failed":
        send_failure.show(r.last_error, details)
        if send_failure.refused(r.last_error):
            return  # the platform refused the request itself: a retry would be refused again
        st.button(
            _("Retry sending") if r.action not in HIDE_ACTIONS else _("Retry"),
            key=f"retry-{r.id}",
            icon=":material/refresh:",
            on_click=on_retry,
            args=(r.id or 0,),
        )
    elif r.last_error:
        st.caption(
            _("Last attempt failed, retrying automatically: {error}").format(error=md_escape(r.last_error))
        )


def thread(
    view: ConversationView,
    now: datetime,
    on_retry: Callable[[int], None],
    on_hide: OnHide | None = None,
    details: bool = False,
    idle: datetime | None = None,
) -> None:
    """The messages then the undelivered outbox rows; ``on_hide``: customer comments get Hide/Show;
    ``details``: a failed send's raw error too (admins); ``idle``: see ``outbox_reply``."""
    if not view.messages and not view.replies:
        st.info(_("No message in this conversation yet."))
    hideable = on_hide is not None and moderation.can_hide(view.channel.platform, view.conversation.kind)
    busy = {r.in_reply_to for r in view.replies if r.action in HIDE_ACTIONS and r.status != "failed"}
    for m in view.messages:
        retried = retry_note(view.retries.get(m.platform_id), view.channel.platform)
        message(m, now, view.contact.display_name if view.contact else None, retried)
        if hideable and on_hide is not None and m.direction == "in":
            hide_control(m, _label(view.channel.platform), m.platform_id in busy, on_hide)
    for r in view.replies:
        outbox_reply(r, now, on_retry, details, idle)


def profile(contact: Contact | None, channel: str, platform: str | None = None) -> None:
    if contact is None:
        st.caption(_("Unknown customer."))
        return
    handle = f"@{contact.handle}" if contact.handle else customer_id(contact)
    st.markdown(f"**{md_name(handle)}**")
    if contact.display_name and contact.display_name.lower() != (contact.handle or "").lower():
        st.text(contact.display_name)
    if contact.followers is None:
        followers = _("followers unknown")
    else:
        count = ngettext("{n} follower", "{n} followers", contact.followers)
        followers = count.format(n=number(contact.followers))
    where = f"{_label(platform)} · {channel}" if platform else channel
    st.caption(f"{md_escape(where)} · {followers}")


def is_erased(contact: Contact | None) -> bool:
    """Whether the customer's data was erased (their platform id is ``erased:12`` since)."""
    return contact is not None and contact.platform_id.startswith(TOMBSTONE)


def customer_id(contact: Contact) -> str:
    """A customer without a handle: "Erased customer" once erased (never the ``erased:12`` left in place of
    their platform id), else the platform's id for them (a phone number on WhatsApp)."""
    return _("Erased customer") if is_erased(contact) else contact.platform_id


def _label(platform: str | None) -> str:
    return platform_label(platform)


def earlier(
    items: list[EarlierConversation], open_: Callable[[int], None], platforms: dict[str, str] | None = None
) -> None:
    """The customer's other conversations with their platform and channel (``platforms``: name → platform)."""
    if not items:
        st.caption(_("No earlier conversation."))
        return
    for e in items:  # one under the other: the side column is too narrow for an Open button beside the text
        platform = (platforms or {}).get(e.channel)
        where = f":gray-badge[{md_escape(_label(platform))}] " if platform else ""
        said = [local_time(e.started, "d MMM y")] if e.started else []  # no "?" for a date not known
        said += [md_escape(e.channel), label(VISIBILITY, e.visibility), label(STATUS, e.status).lower()]
        st.caption(where + " · ".join(said))
        st.text(stored_text(e.snippet) if e.snippet else _("(empty)"))
        st.button(_("Open"), key=f"earlier-{e.id}", on_click=open_, args=(e.id,))
    if len(items) >= EARLIER_SHOWN:
        st.caption(
            _("The {n} most recent; search the queue for this customer to see every one.").format(
                n=len(items)
            )
        )


def notes(items: list[NoteView], now: datetime) -> None:
    if not items:
        st.caption(_("No internal note yet. Notes are never sent to the customer."))
    for n in items:
        with st.container(border=True):
            st.caption(f":material/sticky_note_2: {md_escape(n.author)} · {_when(n.at, now)}")
            st.text(stored_text(n.text), width="stretch")
