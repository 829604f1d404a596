"""Channel stand-by on screen: the Channels page's pause/resume buttons, the queue's notice of held sending.

The rule lives in ``inbox.ingest.standby``; this shows the state and collects the admin's choice.
"""

from __future__ import annotations

import streamlit as st

from inbox.access import can
from inbox.config.channels import ChannelConfig
from inbox.i18n import N_, _, ngettext, number
from inbox.ingest import standby
from inbox.store import records as store
from inbox.store.tables import Channel
from inbox.ui.common import current_user, local_time, md_escape, now, person, reading, transaction
from inbox.ui.widgets import confirm

FLASH = "standby-flash"


# per direction: running, paused, the button that pauses, the button that resumes
LABELS = {
    "listening": (N_("Listening on"), N_("Listening paused"), N_("Pause listening"), N_("Resume listening")),
    "sending": (N_("Sending on"), N_("Sending paused"), N_("Pause sending"), N_("Resume sending")),
}
QUESTIONS = {
    "listening": N_("Pause listening on {channel}? Its new messages wait unread until you resume."),
    "sending": N_("Pause sending on {channel}? Agents' replies wait in the outbox until you resume."),
}


def _switch(cfg: ChannelConfig, what: standby.What, paused: bool) -> None:
    user = current_user()
    if user is None or not can(user.role, "channels"):
        return
    with transaction() as session:
        act = standby.pause if paused else standby.resume
        act(session, user, cfg, what, now())
    state = _(LABELS[what][1] if paused else LABELS[what][0])
    st.session_state[FLASH] = _("{channel}: {state}.").format(channel=cfg.name, state=state.lower())


def _state(pause: standby.Pause | None, what: str) -> str:
    if pause is None:
        return f":green-badge[{_(LABELS[what][0])}]"
    since = local_time(pause.since, "d MMM HH:mm")
    badge = f":orange-badge[{_(LABELS[what][1])}]"
    return badge + " " + _("by {who} since {when}").format(who=md_escape(person(pause.by)), when=since)


def controls(cfg: ChannelConfig) -> None:
    """Pause or resume the channel's listening and sending (the page shows it to admins only)."""
    with reading() as session:
        channel = store.channel_by_name(session, cfg.name)
        paused = {p.what: p for p in standby.pauses(channel)} if channel else {}
    flash = st.session_state.get(FLASH)
    if flash and flash.startswith(f"{cfg.name}:"):
        st.session_state.pop(FLASH)
        st.toast(flash)
    cols = st.columns(2, vertical_alignment="center")
    for col, what in zip(cols, standby.WHAT, strict=True):
        pause = paused.get(what)
        col.markdown(_state(pause, what))
        key = f"standby-{what}-{cfg.name}"
        col.button(
            _(LABELS[what][3] if pause else LABELS[what][2]),
            key=key,
            icon=":material/play_arrow:" if pause else ":material/pause:",
            on_click=_switch if pause else confirm.ask,  # pausing asks first; resuming does not
            args=(cfg, what, False) if pause else (key,),
            help=_(
                "Listening paused: the channel is not read, and what the platform pushes waits unread. "
                "Sending paused: replies wait in the outbox."
            ),
        )
        with col:
            question = _(QUESTIONS[what]).format(channel=md_escape(cfg.name))
            confirm.prompt(key, question, _("Yes, pause"), _switch, (cfg, what, True))


def queue_notice() -> dict[str, str]:
    """The queue's notice while a channel's sending is paused (replies to its conversations are held); returns
    the badge for the rows of each such channel (channel name -> Markdown)."""
    with reading() as session:
        paused = standby.paused_sending(session)
        held = standby.held_replies(session) if paused else {}
    for pause in paused:
        count = held.get(pause.channel, 0)
        replies = ngettext(
            "{n} reply is held in the outbox", "{n} replies are held in the outbox", count
        ).format(n=number(count))
        st.warning(
            _(
                "Sending is paused on {channel} (by {who}): replies to its conversations wait in the outbox "
                "and go once an admin resumes it; {replies}."
            ).format(channel=md_escape(pause.channel), who=md_escape(person(pause.by)), replies=replies),
            icon=":material/pause_circle:",
        )
    badge = ":orange-badge[:material/pause_circle: {}]".format(_("Sending paused"))
    return {pause.channel: badge for pause in paused}


def conversation_notice(channel: Channel) -> None:
    """Above the composer while the conversation's channel has its sending paused: a reply waits."""
    if channel.sending_paused_at is None:
        return
    st.info(
        _(
            "Sending is paused on {channel} (by {who}): a reply written now waits in the outbox and goes "
            "once an admin resumes it."
        ).format(
            channel=md_escape(channel.name),
            who=md_escape(person(channel.sending_paused_by) if channel.sending_paused_by else "?"),
        ),
        icon=":material/pause_circle:",
    )
