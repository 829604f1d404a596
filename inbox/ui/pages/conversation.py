"""The conversation page: the thread, who else is on it, the customer, notes, actions and the composer."""

from __future__ import annotations

import streamlit as st

from inbox.access import allowed
from inbox.charter.deadlines import CharterDue, DuePolicy, default_due
from inbox.config.platforms import platform_label
from inbox.desk import actions as desk
from inbox.desk import channel_reading, clocks, notes, people, presence
from inbox.desk.queue import STATUSES, clock_started, sla_state
from inbox.i18n import _, duration, pgettext
from inbox.ingest import listening_items
from inbox.replies import moderation
from inbox.store.tables import User
from inbox.ui import database_down, streamlit_words
from inbox.ui.common import (
    QUEUE_PAGE,
    SELECTED,
    SLA_COLOURS,
    charter,
    charter_book,
    current_user,
    local_time,
    md_escape,
    md_name,
    now,
    reading,
    time_left,
    transaction,
    zone_note,
)
from inbox.ui.labels import STATUS, label
from inbox.ui.labels import tag as tag_word
from inbox.ui.widgets import (
    access_reason,
    channel_standby,
    classification_panel,
    composer_panel,
    incident_notice,
    notification_bell,
    people_panel,
    queued_replies,
    redact_panel,
    reopen,
    snooze_panel,
    thread,
)

REFRESH_SECONDS = 8
TAG_SUGGESTIONS = ["delivery", "refund", "billing", "account", "complaint", "bug", "praise", "outage"]
CUSTOMER_TAG_SUGGESTIONS = ["vip", "influencer", "press", "at-risk", "employee"]


def _retry(reply_id: int) -> None:
    user = current_user()
    if user is not None:
        with transaction() as session:
            desk.retry_reply(session, reply_id, user, now())
        st.toast(_("The reply is back in the outbox."))


def _hide(message_id: int, hide: bool) -> None:
    user = current_user()
    if user is not None:
        with transaction() as session:
            desk.hide_comment(session, message_id, hide, user, now())
        st.toast(
            _("Queued: the comment will be hidden.") if hide else _("Queued: the comment will show again.")
        )


def _due() -> DuePolicy:
    current = charter()
    return CharterDue(current) if current is not None else default_due


def _unmark(conv_id: int) -> None:
    user = current_user()
    if user is not None:
        with transaction() as session:
            desk.unmark_moderated(session, conv_id, user, now(), _due())
        st.toast(_("Marked as not abuse: the conversation is open again."))


def _act(action: str, conv_id: int, key: str) -> None:
    user = current_user()
    if user is None:
        return
    value = st.session_state.get(key)
    if action == "status":
        reopen.change(conv_id, value or "open", user)  # a closed one asks why first
        return
    with transaction() as session:
        if action == "assign":
            desk.assign(session, conv_id, value or None, user, now())
        elif action == "tags":
            desk.set_tags(session, conv_id, value or [], user, now())
        elif action == "customer-tags":
            desk.set_customer_tags(session, conv_id, value or [], user, now())


def _dismiss(conv_id: int) -> None:
    user = current_user()
    if user is not None:
        with transaction() as session:
            listening_items.dismiss(session, conv_id, user, now())
        st.toast(_("Listening item dismissed: it left the queue."))


def _assign_me(conv_id: int, user_id: int) -> None:
    st.session_state[f"assignee-{conv_id}"] = user_id
    _act("assign", conv_id, f"assignee-{conv_id}")


def _select(conv_id: int) -> None:
    st.session_state[SELECTED] = conv_id


def _add_note(conv_id: int) -> None:
    user, text = current_user(), st.session_state.get(f"note-{conv_id}", "")
    if user is None or not text.strip():
        return
    with transaction() as session:
        notes.add_note(session, conv_id, user, text, now())
    st.session_state[f"note-{conv_id}"] = ""


def _header(view: desk.ConversationView) -> None:
    conv, at = view.conversation, now()
    contact = view.contact
    handle = f"@{contact.handle}" if contact and contact.handle else None
    unknown = _("Erased customer") if thread.is_erased(contact) else _("Unknown customer")
    handle = handle or (contact.display_name if contact else None) or unknown
    number = _("conversation #{id}").format(id=conv.id)
    st.markdown(f"## {md_name(handle)} :gray[· {number}]")
    started, book = clock_started(conv, view.messages), charter_book()
    state = (
        sla_state(conv.sla_due_at, started, at)
        if book is None
        else clocks.colour(book, conv, view.channel.name, view.channel.platform, contact, started, at)
    )
    if conv.sla_due_at is None:
        sla = ":gray-badge[{}]".format(_("No SLA clock running"))
    elif conv.status == "pending" and conv.snoozed_until is not None:  # waiting on purpose: no countdown
        back = _("Snoozed until {when}").format(when=local_time(conv.snoozed_until))
        sla = f":gray-badge[:material/snooze: {md_escape(back)}]"
    else:
        left = conv.sla_due_at - at
        text = (
            _("Overdue {time}").format(time=duration(left))
            if state == "red"
            else time_left(left, to_answer=True)
        )
        sla = f":{SLA_COLOURS[state]}-badge[:material/timer: {text}]"
    kind = (
        ":blue-badge[:material/public: {}]".format(_("Public thread"))
        if conv.visibility == "public"
        else ":violet-badge[:material/lock: {}]".format(_("Private DM"))
    )
    if view.group_title:
        group = _("Group “{name}”").format(name=md_name(view.group_title))
        kind += f" :blue-badge[:material/groups: {group}]"
    if conv.kind == listening_items.LISTENING:
        kind = ":orange-badge[:material/hearing: {}] ".format(_("Listening")) + kind
    moderated = moderation.moderated_as(conv.tags)
    if moderated:
        flag = _("Moderated: {reason}").format(reason=md_escape(moderated))
        kind = f":red-badge[:material/block: {flag}] " + kind
    status = label(STATUS, conv.status)
    where = f"{platform_label(view.channel.platform)} · {view.channel.name}"
    assigned = (  # not "assigned to nobody", « attribuée à personne »: the queue says « Non attribuée »
        _("assigned to {who}").format(who=md_escape(view.assignee.display_name or view.assignee.name))
        if view.assignee
        else _("not assigned")
    )
    st.markdown(f"{kind} :gray-badge[{md_escape(where)}] {sla} :gray-badge[{status}] · {assigned}")
    st.caption(zone_note())


@st.fragment(run_every=REFRESH_SECONDS)
@database_down.said_in_place
def live_thread(conv_id: int, user: User) -> None:
    """The thread and who else is here, refreshed; also this agent's presence heartbeat."""
    at = now()
    draft = st.session_state.get(composer_panel.Keys(conv_id).draft, "")
    assert user.id is not None
    with transaction() as session:
        presence.touch(session, conv_id, user.id, "composing" if draft.strip() else "viewing", at)
    notification_bell.seen(user, conv_id)  # its notifications are read
    with reading() as session:
        view = desk.load(session, conv_id)
        others = presence.viewers(session, [conv_id], at, exclude_user=user.id).get(conv_id, [])
        idle = channel_reading.idle_since(session, view.channel.id or 0, at)
    _header(view)
    for v in others:
        doing = _("**{name}** is writing a reply.") if v.activity == "composing" else None
        doing = doing or _("**{name}** is viewing this conversation.")
        st.warning(doing.format(name=md_escape(v.name)), icon=":material/visibility:")
    thread.thread(view, at, _retry, _hide, details=user.role == "admin", idle=idle)  # raw errors: admins


def _actions(view: desk.ConversationView, user: User, agents: list[User]) -> None:
    conv_id = view.conversation.id or 0
    st.session_state[f"status-{conv_id}"] = view.conversation.status
    st.segmented_control(
        _("Status"),
        list(STATUSES),
        format_func=lambda v: label(STATUS, v),
        key=f"status-{conv_id}",
        required=True,
        on_change=_act,
        args=("status", conv_id, f"status-{conv_id}"),
    )
    reopen.form(conv_id)
    snooze_panel.panel(view.conversation, user)
    names = {a.id or 0: a.display_name or a.name for a in agents}
    key = f"assignee-{conv_id}"
    st.session_state[key] = view.conversation.assignee_id or 0
    st.selectbox(
        _("Assignee"),
        [0, *names],
        key=key,
        on_change=_act,
        args=("assign", conv_id, key),
        format_func=lambda i: names.get(i, f"#{i}") if i else pgettext("conversation", "Unassigned"),
        placeholder=streamlit_words.choose(),
    )
    st.button(
        _("Assign to me"),
        key=f"assign-me-{conv_id}",
        on_click=_assign_me,
        args=(conv_id, user.id or 0),
        disabled=view.conversation.assignee_id == user.id,
        icon=":material/person_add:",
    )
    if view.conversation.kind == listening_items.LISTENING and view.conversation.status != "resolved":
        st.button(
            _("Dismiss"),
            key=f"dismiss-{conv_id}",
            on_click=_dismiss,
            args=(conv_id,),
            icon=":material/do_not_disturb_on:",
            help=_("Not for us: close this listening item without answering (audited)."),
        )
    if moderation.moderated_as(view.conversation.tags) and allowed(user, "moderate"):
        st.button(
            _("Not abuse — reopen"),
            key=f"unmark-{conv_id}",
            on_click=_unmark,
            args=(conv_id,),
            icon=":material/undo:",
            help=_("Remove the moderation mark and put the conversation back in the queue (audited)."),
        )
    tags = list(view.conversation.tags)
    st.session_state[f"tags-{conv_id}"] = tags
    st.multiselect(
        _("Conversation tags"),
        list(dict.fromkeys([*tags, *TAG_SUGGESTIONS])),
        key=f"tags-{conv_id}",
        format_func=tag_word,  # "livraison", stored as "delivery"
        placeholder=_("Choose or add tags"),
        select_all=False,  # Streamlit's English "Select all"
        accept_new_options=True,
        on_change=_act,
        args=("tags", conv_id, f"tags-{conv_id}"),
    )


def _customer(view: desk.ConversationView, user: User) -> None:
    thread.profile(view.contact, view.channel.name, view.channel.platform)
    people_panel.panel(view.contact, user)
    redact_panel.panel(view)
    if view.contact and view.contact.id:
        key = f"ctags-{view.contact.id}"
        tags = list(view.contact.tags)
        st.session_state[key] = tags
        st.multiselect(
            _("Customer tags"),
            list(dict.fromkeys([*tags, *CUSTOMER_TAG_SUGGESTIONS])),
            key=key,
            format_func=tag_word,
            placeholder=_("Choose or add tags"),
            select_all=False,
            accept_new_options=True,
            on_change=_act,
            args=("customer-tags", view.contact.id, key),
        )
    linked = " :gray[· {}]".format(_("every linked channel")) if view.contact else ""
    st.markdown("**{}**".format(_("Earlier conversations")) + linked)
    with reading() as session:
        platforms = people.channel_platforms(session)
    thread.earlier(view.earlier, _select, platforms)


def main() -> None:
    user = current_user()
    assert user is not None and user.id is not None
    asked = st.query_params.get("id", "")
    if asked.isdigit():  # a shared link or an alert: /conversation?id=123
        st.session_state[SELECTED] = int(asked)
    conv_id = st.session_state.get(SELECTED)
    if conv_id is not None:
        st.query_params["id"] = str(conv_id)  # the address bar is a link to this conversation
    if st.button(_("Back to the queue"), icon=":material/arrow_back:", key="back", type="tertiary"):
        st.switch_page(QUEUE_PAGE)
    if conv_id is None:
        st.info(_("Pick a conversation in the queue."), icon=":material/inbox:")
        st.stop()
    with reading() as session:
        try:
            view = desk.load(session, conv_id, user)  # refused on a channel the user does not work
        except desk.DeskError as exc:
            st.error(str(exc))
            st.stop()
        agents = desk.agents(session, view.channel.name)  # those who work its channel
        if view.assignee is not None and view.assignee.id not in {a.id for a in agents}:
            agents.append(view.assignee)
        note_list = notes.notes_for(session, conv_id)
    if not access_reason.gate(view, user):  # a closed conversation: why open it?
        st.stop()
    if st.session_state.get("audited-view") != conv_id:
        with transaction() as session:
            desk.record_view(session, conv_id, user, now())
        st.session_state["audited-view"] = conv_id
    left, right = st.columns([2.3, 1], gap="large")
    with left:
        live_thread(conv_id, user)
        queued_replies.panel(view, user)  # waiting replies: why, and Edit or Cancel
        st.divider()
        incident_notice.notice(conv_id)  # part of an open incident: its reply covers the problem
        channel_standby.conversation_notice(view.channel)  # sending paused: a reply waits in the outbox
        moderated = moderation.moderated_as(view.conversation.tags)
        if moderated:
            st.warning(moderation.refusal(moderated), icon=":material/block:")
        else:
            composer_panel.panel(view, user)
    with right:
        with st.container(border=True):
            _actions(view, user, agents)
        with st.container(border=True):
            classification_panel.panel(view, _due())
        with st.container(border=True):
            _customer(view, user)
        with st.container(border=True):
            st.markdown("**{}**".format(_("Internal notes")))
            thread.notes(note_list, now())
            st.text_area(
                _("Add a note for your colleagues"),
                key=f"note-{conv_id}",
                height=80,
                help=_("Write @ and a colleague's name (@morgan) to tell them."),
            )
            st.button(_("Add note"), key=f"add-note-{conv_id}", on_click=_add_note, args=(conv_id,))


main()
