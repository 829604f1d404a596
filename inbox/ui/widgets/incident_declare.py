"""The "Declare an incident" form of the incidents page: title, what it is about, start, keywords, channels
and the similarity threshold. The start is typed in the team's time zone."""

from __future__ import annotations

from datetime import datetime, timedelta

import streamlit as st
from sqlmodel import Session, col, select

from inbox.access import PermissionDenied
from inbox.desk.incidents import lifecycle
from inbox.desk.incidents.lookup import IncidentError
from inbox.i18n import _
from inbox.store.tables import Channel, Incident, User
from inbox.ui import streamlit_words
from inbox.ui.common import local_time, now, reading, team_zone, transaction
from inbox.ui.widgets import flash

PICK = "incident-pick"  # the incident the page shows
FLASH = "incident-flash"  # (kind, text) said once at the top of the page
DECLARED = "incident-declared"  # (kind, text) said under the Declare button
TYPED = ("inc-title", "inc-desc", "inc-keywords", "inc-channels")  # emptied once declared
RECENT = timedelta(minutes=30)  # the same title declared this recently, still open: a second click


def keywords(raw: str) -> list[str]:
    """Comma-separated keywords as typed."""
    return [k.strip() for k in raw.split(",") if k.strip()]


def channel_names() -> list[str]:
    with reading() as session:
        return sorted(session.exec(select(Channel.name)))


def _twin(session: Session, title: str) -> Incident | None:
    """An open incident with the same title (case and spaces aside) declared in the last RECENT."""
    same = " ".join(title.split()).casefold()
    recent = session.exec(
        select(Incident).where(Incident.status == "open", col(Incident.declared_at) >= now() - RECENT)
    )
    return next((i for i in recent if " ".join(i.title.split()).casefold() == same), None)


def _declare(user: User) -> None:
    s = st.session_state
    zone = team_zone()
    since = datetime.combine(s["inc-since-date"], s["inc-since-time"], tzinfo=zone)
    try:
        with transaction() as session:
            twin = _twin(session, s["inc-title"] or "")
            if twin is not None:
                raise IncidentError(
                    _("incident #{id} “{title}” is already open, declared at {time}.").format(
                        id=twin.id, title=twin.title, time=local_time(twin.declared_at, "HH:mm")
                    )
                )
            incident = lifecycle.declare(
                session,
                user,
                title=s["inc-title"],
                description=s["inc-desc"],
                since=since,
                now=now(),
                keywords=keywords(s["inc-keywords"]),
                channels=s["inc-channels"],
                threshold=s["inc-threshold"] / 100,  # the slider is in percent
            )
    except (IncidentError, PermissionDenied) as exc:
        s[DECLARED] = ("error", _("Not declared: {error}").format(error=exc))
        return
    for key in TYPED:  # a second click finds an empty form, not the same incident again
        s[key] = [] if key == "inc-channels" else ""
    s[PICK] = incident.id
    s[FLASH] = ("success", _("Incident declared: confirm the conversations it proposes."))


def form(user: User) -> None:
    """The form, folded unless no incident is open."""
    start = now().astimezone(team_zone()) - timedelta(hours=2)
    # A form: the fields reach the app together with the click (typed fields each rerunning the page could
    # swallow a click made while a rerun was under way).
    with (
        st.expander(_("Declare an incident"), icon=":material/campaign:"),
        st.form("inc-declare-form", border=False, enter_to_submit=False),
    ):
        st.text_input(_("Title"), key="inc-title", placeholder=_("Box outage in Lyon"))
        st.text_area(
            _("What customers write about"),
            key="inc-desc",
            help=_("Compared with the customers' messages to propose the conversations that belong."),
        )
        cols = st.columns(2)
        cols[0].date_input(
            _("Since (date)"), value=start.date(), key="inc-since-date", format=streamlit_words.date_format()
        )
        cols[1].time_input(
            _("Since (time)"), value=start.time().replace(second=0, microsecond=0), key="inc-since-time"
        )
        st.text_input(
            _("Keywords (comma-separated)"), key="inc-keywords", placeholder=_("outage, no connection")
        )
        st.multiselect(
            _("Channels (none: all)"),
            channel_names(),
            key="inc-channels",
            placeholder=_("Choose channels"),
            select_all=False,  # Streamlit's English "Select all" (none is all)
        )
        st.slider(  # in percent: "20 %" in any language (Streamlit writes a decimal with a point)
            _("Similarity threshold"),
            5,
            90,
            round(lifecycle.DEFAULT_THRESHOLD * 100),
            5,
            format="%d %%",
            key="inc-threshold",
            help=_("Lower proposes more conversations, higher only the closest ones."),
        )
        st.form_submit_button(
            _("Declare"), key="inc-declare", type="primary", on_click=_declare, args=(user,)
        )
        flash.show(DECLARED)  # a refusal right under the button
