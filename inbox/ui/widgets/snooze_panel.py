"""The conversation page's "Snooze" menu: pending until a time, then back in the queue (or as soon as the
customer writes). The rules are ``inbox.desk.snooze``; the times offered are in the team's time zone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import streamlit as st
from babel.dates import format_time

from inbox import i18n
from inbox.desk import snooze
from inbox.desk.actions import DeskError
from inbox.i18n import N_, _
from inbox.store.tables import Conversation, User
from inbox.ui import streamlit_words
from inbox.ui.common import current_user, local_time, now, team_zone, transaction

MORNING = time(9, 0)
CHOICES = {  # key -> words; the time each one means is ``until``
    "1h": N_("In 1 hour"),
    "3h": N_("In 3 hours"),
    "tomorrow": N_("Tomorrow {time}"),  # MORNING in the language's short time: "09:00", "9:00 AM"
    "monday": N_("Next Monday {time}"),
}


def until(choice: str, at: datetime) -> datetime:
    """The time a quick choice means, from ``at`` (team's time zone for the mornings)."""
    if choice == "1h":
        return at + timedelta(hours=1)
    if choice == "3h":
        return at + timedelta(hours=3)
    today = at.astimezone(team_zone()).date()
    ahead = 1 if choice == "tomorrow" else (7 - today.weekday()) or 7
    return datetime.combine(today + timedelta(days=ahead), MORNING, tzinfo=team_zone())


def _snooze(conv_id: int, choice: str) -> None:
    user, at, s = current_user(), now(), st.session_state
    if user is None:
        return
    if choice == "custom":
        day: date | None = s.get(f"snooze-day-{conv_id}")
        hour: time = s.get(f"snooze-time-{conv_id}") or MORNING
        if day is None:
            s[f"snooze-flash-{conv_id}"] = _("Choose a day.")
            return
        wanted = datetime.combine(day, hour, tzinfo=team_zone())
    else:
        wanted = until(choice, at)
    try:
        with transaction() as session:
            snooze.snooze(session, conv_id, user, wanted, at)
    except DeskError as exc:
        s[f"snooze-flash-{conv_id}"] = _("Not snoozed: {error}").format(error=exc)
        return
    st.toast(_("Snoozed until {when}: it comes back to the queue then.").format(when=local_time(wanted)))


def panel(conv: Conversation, user: User) -> None:
    """The menu (not for a resolved conversation) and, when snoozed, until when."""
    conv_id = conv.id or 0
    if conv.status == "pending" and conv.snoozed_until is not None:
        when = local_time(conv.snoozed_until)
        st.caption(_("Snoozed until {when}, or until the customer writes.").format(when=when))
    if conv.status == "resolved":
        return
    with st.popover(_("Snooze"), icon=":material/snooze:", key=f"snooze-menu-{conv_id}"):
        problem = st.session_state.pop(f"snooze-flash-{conv_id}", None)
        if problem:
            st.error(problem)
        for choice, words in CHOICES.items():
            said = _(words).format(time=format_time(MORNING, "short", locale=i18n.current()))
            st.button(said, key=f"snooze-{choice}-{conv_id}", on_click=_snooze, args=(conv_id, choice))
        today = now().astimezone(team_zone()).date()
        st.date_input(
            _("Or a day"),
            value=today
            + timedelta(days=1),  # a day shown, not Streamlit's English "dd/mm/yyyy" of an empty one
            min_value=today,
            key=f"snooze-day-{conv_id}",
            format=streamlit_words.date_format(),
        )
        st.time_input(_("at"), value=MORNING, key=f"snooze-time-{conv_id}", step=timedelta(minutes=15))
        st.button(
            _("Snooze until then"), key=f"snooze-custom-{conv_id}", on_click=_snooze, args=(conv_id, "custom")
        )
