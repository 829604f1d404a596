"""The notification bell in the sidebar: polls what is new for the user, tells the browser; list, settings.

Every ``POLL_SECONDS`` the fragment asks ``inbox.desk.notifications`` what is new for the user and injects a
small script into the page that shows each new one as a browser notification (Notification API; permission
is asked at the user's first click, as browsers require a gesture), keeps the unread count in the tab title
("(3) Queue") and plays a short tone, made with WebAudio (no file), for critical ones. Each can be turned off
by the user in the bell's menu; clicking a notification opens its conversation.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from inbox.charter.versions import LiveCharter
from inbox.desk import notifications, preferences
from inbox.desk.notifications import Notice
from inbox.i18n import N_, _
from inbox.settings import current_settings
from inbox.store.tables import NotificationSettings, User
from inbox.ui import database_down
from inbox.ui.common import (
    config_dir,
    engine,
    local_time,
    md_escape,
    md_name,
    now,
    open_conversation,
    reading,
    transaction,
)
from inbox.ui.widgets import page_script

POLL_SECONDS = 10
TITLES = {
    "assigned": N_("Assigned to you: {who} on {channel}"),
    "customer_wrote": N_("{who} wrote again on {channel}"),
    "at_risk": N_("At risk of missing the charter: {who} on {channel}"),
    "mentioned": N_("{by} mentioned you: {who} on {channel}"),
}
LATE = N_("Late on the charter: {who} on {channel}")
SETTINGS = {
    "assigned": N_("A conversation is assigned to me"),
    "customer_wrote": N_("My customer writes again"),
    "at_risk": N_("One of mine is at risk"),
    "browser": N_("Browser notifications"),
    "title_count": N_("Unread count in the tab title"),
    "sound": N_("A sound for critical ones"),
}
_SCRIPT = Path(__file__).with_name("notification_bell.js")


@st.cache_resource(show_spinner=False)
def _live(url: str, folder: str) -> LiveCharter:
    """The charter versions, re-read when one is saved (one per database, shared by every session)."""
    return LiveCharter(engine(), Path(folder), recheck_seconds=30)


def title(n: Notice) -> str:
    who = n.handle or _("a customer")
    said = LATE if n.kind == "at_risk" and n.late else TITLES.get(n.kind, "{who} on {channel}")
    return _(said).format(who=who, channel=n.channel, by=n.by or "")


def _data(new: list[Notice], unread: int, wanted: NotificationSettings) -> dict[str, object]:
    notices = [
        {"id": n.id, "title": title(n), "body": n.excerpt, "conv": n.conversation_id, "critical": n.critical}
        for n in new
    ]
    unread = unread if wanted.title_count else 0
    return {"notices": notices, "unread": unread, "browser": wanted.browser, "sound": wanted.sound}


def seen(user: User, conversation_id: int) -> None:
    """The user has the conversation open: its notifications are read."""
    assert user.id is not None
    with transaction() as session:
        notifications.mark_read(session, user.id, now(), conversation_id)


def sidebar(user: User) -> None:
    """The bell, for the signed-in user (called inside ``st.sidebar``)."""
    assert user.id is not None
    _bell(user.id, user.name)


def _mark_all(user_id: int) -> None:
    with transaction() as session:
        notifications.mark_read(session, user_id, now())


def _set(user_id: int, user_name: str, name: str) -> None:
    value = bool(st.session_state.get(f"notify-set-{name}"))
    with transaction() as session:
        preferences.set_notifications(session, user_id, {name: value}, by=user_name)


@st.fragment(run_every=POLL_SECONDS)
@database_down.quiet_while_down
def _bell(user_id: int, user_name: str) -> None:
    book = _live(current_settings().database_url, str(config_dir())).book()
    with transaction() as session:
        new = notifications.poll(session, user_id, user_name, book, now())
    with reading() as session:
        wanted = notifications.settings_of(session, user_id)
        unread = notifications.unread_count(session, user_id)
        recent = notifications.notices(session, user_id, limit=15)
    page_script.run(_SCRIPT, _data(new, unread, wanted))
    label = _("Notifications") + (f" ({unread})" if unread else "")
    with st.popover(label, icon=":material/notifications:", width="stretch", key="notify-menu"):
        _list(user_id, recent, unread)
        st.divider()
        st.caption(_("Tell me when"))
        for name, text in SETTINGS.items():
            st.session_state[f"notify-set-{name}"] = getattr(wanted, name)
            st.toggle(_(text), key=f"notify-set-{name}", on_change=_set, args=(user_id, user_name, name))


def _list(user_id: int, recent: list[Notice], unread: int) -> None:
    if not recent:
        st.caption(_("Nothing yet: you will be told here when a conversation needs you."))
        return
    if unread:
        st.button(_("Mark all read"), key="notify-read-all", on_click=_mark_all, args=(user_id,))
    for n in recent:
        dot = "" if n.read else ":blue[●] "
        bell = ":red[:material/priority_high:] " if n.critical else ""
        st.markdown(f"{dot}{bell}**{md_name(title(n))}**  \n:gray[{md_escape(n.excerpt)}]")
        cols = st.columns([2, 1])
        cols[0].caption(local_time(n.created_at))
        if cols[1].button(_("Open"), key=f"notify-open-{n.id}"):
            with transaction() as session:
                notifications.mark_read(session, user_id, now(), n.conversation_id)
            open_conversation(n.conversation_id)
