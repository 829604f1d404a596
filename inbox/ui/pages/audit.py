"""The audit log (community managers and admins): who did what, when, to whom; filters and CSV export.

Each distinct view and each download is itself audited (``inbox.privacy.audit_log.view``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd
import streamlit as st
from sqlmodel import select

from inbox.access import allowed
from inbox.i18n import _, number
from inbox.privacy import audit_log
from inbox.privacy.audit_labels import action_label, subject_label
from inbox.privacy.subject import SubjectError
from inbox.store.tables import User
from inbox.ui import audit_csv, relabel, streamlit_words
from inbox.ui.audit_details import detail_words
from inbox.ui.common import (
    current_user,
    local_time,
    now,
    person,
    reading,
    team_zone,
    transaction,
    zone_note,
)

ALL = ""
VIEWED = "audit-viewed"  # session_state: the filters last audited, so a rerun is not a new view


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=team_zone())


def _filters() -> audit_log.Filters | None:
    with reading() as session:
        actors, actions = audit_log.actors_and_actions(session)
    today = now().astimezone(team_zone()).date()
    cols = st.columns([2, 1.5, 1.5], vertical_alignment="bottom")
    period = cols[0].date_input(
        _("Period"),
        (today - timedelta(days=7), today),
        key="audit-period",
        format=streamlit_words.date_format(),
    )
    actor = cols[1].selectbox(
        _("Who"),
        [ALL, *actors],
        key=relabel.keep("audit-actor"),
        format_func=lambda v: _who(v) if v else _("Everyone"),
        placeholder=streamlit_words.choose(),
    )
    action = cols[2].selectbox(
        _("Action"),
        [ALL, *actions],
        key=relabel.keep("audit-action"),
        format_func=lambda v: action_label(v) if v else _("Every action"),
        placeholder=streamlit_words.choose(),
    )
    cols = st.columns([2, 1.5, 1.5], vertical_alignment="bottom")
    customer = cols[0].text_input(
        _("Customer"), key="audit-customer", placeholder=_("CHANNEL:HANDLE, e.g. x-acme:jane")
    )
    conversation = cols[1].number_input(
        _("Conversation"), min_value=1, step=1, value=None, key="audit-conversation"
    )
    if not isinstance(period, tuple) or len(period) != 2:
        st.info(_("Pick the period's last day."))
        return None
    return audit_log.Filters(
        since=_start(period[0]),
        until=_start(period[1] + timedelta(days=1)),
        actor=actor or None,
        action=action or None,
        customer=customer.strip() or None,
        conversation=int(conversation) if conversation else None,
    )


def _who(login: str) -> str:
    """People by the names colleagues know; admins, who manage the accounts, read the user name too."""
    user = current_user()
    return person(login, with_login=user is not None and user.role == "admin")


def _audit_view(user: User, filters: audit_log.Filters, action: str = "audit.viewed") -> None:
    with transaction() as session:
        audit_log.view(session, user, filters, now(), action=action)


def _table(rows: list[dict[str, object]], users: dict[int, str]) -> pd.DataFrame:
    zone = team_zone()  # once: up to 5,000 rows
    return pd.DataFrame(
        {
            _("When"): [local_time(r["at"], "d MMM y HH:mm:ss", zone) for r in rows],  # type: ignore[arg-type]
            _("Who"): [_who(str(r["actor"])) for r in rows],
            _("Action"): [action_label(str(r["action"])) for r in rows],
            _("Subject"): [subject_label(str(r["target"]), users) for r in rows],
            _("Details"): [detail_words(str(r["action"]), str(r["detail"]), users) for r in rows],
        }
    )


def main() -> None:
    user = current_user()
    if user is None or not allowed(user, "audit"):
        st.error(_("The audit log is for community managers and admins."))
        st.stop()
    st.title(":material/policy: " + _("Audit log"))
    st.caption(_("Who did what, when, and to whom. Reading this log is recorded in it too."))
    filters = _filters()
    if filters is None:
        return
    try:
        with reading() as session:
            rows = audit_log.search(session, filters)
            users = {u.id: u.display_name or u.name for u in session.exec(select(User)) if u.id is not None}
    except SubjectError:
        st.warning(_("Nobody is known by that name: write CHANNEL:HANDLE, e.g. x-acme:jane."))
        return
    if st.session_state.get(VIEWED) != filters:
        _audit_view(user, filters)
        st.session_state[VIEWED] = filters
    if len(rows) >= audit_log.MAX_ROWS:
        st.info(
            _("The newest {n} events are shown: narrow the filters to see older ones.").format(
                n=number(len(rows))
            )
        )
    if not rows:
        st.info(_("No event matches these filters."))
        return
    st.caption(zone_note())
    st.dataframe(_table(rows, users), hide_index=True, width="stretch")
    st.download_button(
        _("Download (CSV)"),
        audit_csv.spreadsheet(rows, users, _who, team_zone()),
        file_name="audit.csv",
        mime="text/csv",
        key="audit-download",
        icon=":material/download:",
        on_click=_audit_view,
        args=(user, filters, "audit.exported"),
    )


main()
