"""The incidents page (managers and admins): declare an incident, confirm its conversations, answer them all
at once in each language and visibility, close it with the resolution message; its figures."""

from __future__ import annotations

import streamlit as st

from inbox.access import can
from inbox.desk.incidents import lookup
from inbox.desk.incidents.figures import Figures, figures
from inbox.desk.incidents.texts import REPLY, RESOLUTION
from inbox.i18n import _, duration, number
from inbox.store.tables import Incident
from inbox.ui import relabel, streamlit_words
from inbox.ui.common import current_user, local_time, md_escape, person, reading, zone_note
from inbox.ui.widgets import flash, incident_declare, incident_members, incident_texts
from inbox.ui.widgets.incident_declare import FLASH, PICK

HISTORY = 50  # incidents listed with their figures


def _label(incident: Incident) -> str:
    state = _("open") if incident.status == "open" else _("closed")
    return f"#{incident.id} · {incident.title} ({state})"


def _figures(incident: Incident, f: Figures) -> None:
    cols = st.columns(4)
    cols[0].metric(_("Conversations"), number(f.size))
    cols[1].metric(_("Customers"), number(f.customers))
    cols[2].metric(_("First reply"), duration(f.first_reply) if f.first_reply is not None else "—")
    cols[3].metric(_("Resolution time"), duration(f.resolution) if f.resolution is not None else "—")
    channels = ", ".join(f"{md_escape(name)} {number(n)}" for name, n in f.by_channel.items()) or "—"
    median = duration(f.median_first_response) if f.median_first_response is not None else "—"
    sent, failed = f.deliveries.get("sent", 0), f.deliveries.get("failed", 0)
    waiting = f.deliveries.get("pending", 0) + f.deliveries.get("sending", 0)
    st.caption(
        _(
            "Started {started} (first customer message) · by channel: {channels} · median first "
            "response {median} · messages delivered {sent}, waiting {waiting}, failed {failed}, "
            "customers skipped {skipped}"
        ).format(
            started=local_time(f.started),
            channels=channels,
            median=median,
            sent=number(sent),
            waiting=number(waiting),
            failed=number(failed),
            skipped=number(f.skipped),
        )
    )
    declared = _("Declared by {name} on {at}").format(
        name=md_escape(person(incident.declared_by)), at=local_time(incident.declared_at)
    )
    if incident.closed_at is not None:
        declared += " · " + _("closed by {name} on {at}").format(
            name=md_escape(person(incident.closed_by) if incident.closed_by else ""),
            at=local_time(incident.closed_at),
        )
    st.caption(f"{declared}. {zone_note()}")


def _history(incidents: list[Incident]) -> None:
    """The latest incidents with their figures, newest first: to compare one outage with the last."""
    rows = []
    with reading() as session:
        for incident in incidents[:HISTORY]:
            f = figures(session, incident.id or 0)
            rows.append(
                {
                    _("Incident"): _label(incident),
                    _("Declared"): local_time(incident.declared_at),
                    _("Conversations"): f.size,
                    _("Customers"): f.customers,
                    _("First reply"): duration(f.first_reply) if f.first_reply is not None else "—",
                    _("Resolution time"): duration(f.resolution) if f.resolution is not None else "—",
                }
            )
    with st.expander(_("All incidents")):
        st.dataframe(rows, hide_index=True)


def main() -> None:
    user = current_user()
    assert user is not None
    st.title(_("Incidents"))
    if not can(user.role, "incidents"):
        st.warning(_("Incidents are for community managers and admins."))
        st.stop()
    flash.show(FLASH)
    incident_declare.form(user)
    with reading() as session:
        incidents = lookup.listed(session)
    if not incidents:
        st.info(_("No incident yet. Declare one when many customers write about the same problem."))
        return
    by_id = {i.id: i for i in incidents}
    if st.session_state.get(PICK) not in by_id:
        st.session_state[PICK] = incidents[0].id
    picked = st.selectbox(
        _("Incident"),
        list(by_id),
        format_func=lambda v: _label(by_id[v]),
        key=relabel.keep(PICK),
        placeholder=streamlit_words.choose(),
    )
    incident = by_id[picked]
    with reading() as session:
        _figures(incident, figures(session, incident.id or 0))
    if incident.status == "open":
        tabs = st.tabs([_("Proposed conversations"), _("In the incident"), _("Reply"), _("Close")])
        with tabs[0]:
            incident_members.proposals(incident, user)
        with tabs[1]:
            incident_members.members_table(incident, user)
        with tabs[2]:
            incident_texts.panel(incident, user, REPLY)
        with tabs[3]:
            incident_texts.panel(incident, user, RESOLUTION)
    else:
        incident_members.members_table(incident, user)
    _history(incidents)


main()
