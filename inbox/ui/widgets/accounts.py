"""The Team page's account form (admins): deactivate, reactivate, sign out everywhere, change a role or the
languages spoken, reset a password, end date.

The rules live in ``inbox.desk.accounts``; this only collects the choice and shows the outcome. An end date
is a day in the team's time zone: the account works through that day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

import streamlit as st

from inbox.access import ROLE_LABELS, ROLES, PermissionDenied
from inbox.desk import accounts, sign_in
from inbox.desk.auth import AuthError
from inbox.i18n import _
from inbox.store.tables import User
from inbox.ui import relabel, streamlit_words
from inbox.ui.common import current_user, now, team_zone, transaction
from inbox.ui.widgets import spoken_languages

FLASH = "team-flash"  # the Team page shows it on its next run


def _end_of(day: date | None) -> datetime | None:
    return datetime.combine(day, time.max, tzinfo=team_zone()) if day else None


def _apply(action: str) -> None:
    s, by = st.session_state, current_user()
    name = s.get("account-user")
    if by is None or not name:
        return
    at = now()
    try:
        with transaction() as session:
            if action == "deactivate":
                accounts.deactivate(session, by, name, at)
                done = _("{name} is deactivated: signed out at once.")
            elif action == "reactivate":
                accounts.reactivate(session, by, name, at)
                done = _("{name} can sign in again.")
            elif action == "signout":
                accounts.sign_out_everywhere(session, by, name, at)
                done = _("{name} is signed out in every browser.")
            elif action == "role":
                accounts.set_role(session, by, name, s["account-role"], at)
                done = _("{name}'s role is changed.")
            elif action == "languages":
                accounts.set_languages(session, by, name, s.get("account-languages") or [], at)
                done = _("{name}'s languages spoken are saved.")
            elif action == "unlock":
                sign_in.unlock(session, name, by=by.name, by_role=by.role, now=at)
                done = _("{name} may sign in again at once (failed attempts forgiven).")
            elif action == "password":
                accounts.reset_password(session, by, name, s.get("account-password") or "", at)
                done = _("{name}'s password is reset.")
            else:
                accounts.set_end_date(session, by, name, _end_of(s.get("account-until")), at)
                done = _("{name}'s end date is saved.")
    except (AuthError, PermissionDenied, sign_in.UnlockError, ValueError) as exc:
        s[FLASH] = _("Not changed: {error}").format(error=exc)
        return
    s[FLASH] = done.format(name=name)
    s["account-password"] = ""


def _show_languages(spoken: dict[str, list[str]]) -> None:
    """The languages field shows the chosen user's."""
    st.session_state["account-languages"] = spoken.get(st.session_state.get("account-user") or "", [])


def admin_form(users: Sequence[User]) -> None:
    """The form, for admins (the page decides who sees it)."""
    spoken = {u.name: list(u.languages) for u in users}
    with st.expander(_("Manage an account")):
        st.selectbox(
            _("User"),
            list(spoken),
            key="account-user",
            placeholder=streamlit_words.choose(),
            on_change=_show_languages,
            args=(spoken,),
        )
        if "account-languages" not in st.session_state:
            _show_languages(spoken)
        left, right = st.columns(2)
        left.button(_("Deactivate"), key="account-deactivate", on_click=_apply, args=("deactivate",))
        right.button(_("Reactivate"), key="account-reactivate", on_click=_apply, args=("reactivate",))
        st.button(
            _("Sign out everywhere"),
            key="account-signout",
            on_click=_apply,
            args=("signout",),
            help=_(
                "Ends every session of this account at once (a lost or shared device); it may sign in again."
            ),
        )
        st.button(
            _("Unlock sign-in"),
            key="account-unlock",
            on_click=_apply,
            args=("unlock",),
            help=_("Lifts a lock-out after too many failed attempts."),
        )
        st.selectbox(
            _("Role"),
            list(ROLES),
            format_func=lambda r: _(ROLE_LABELS[r]),
            key=relabel.keep("account-role"),
            placeholder=streamlit_words.choose(),
        )
        st.button(_("Change the role"), key="account-set-role", on_click=_apply, args=("role",))
        spoken_languages.field("account-languages", [c for codes in spoken.values() for c in codes])
        st.button(_("Save the languages"), key="account-set-languages", on_click=_apply, args=("languages",))
        st.text_input(
            _("New password"),
            type="password",
            key="account-password",
            help=_("At least {n} characters.").format(n=accounts.MIN_PASSWORD),
        )
        st.button(_("Reset the password"), key="account-reset-password", on_click=_apply, args=("password",))
        st.date_input(
            _("Last day of a temporary account"),
            value=None,
            key="account-until",
            format=streamlit_words.date_format(),
            help=_("From the next day on it cannot sign in. Empty: no end date."),
        )
        st.button(_("Save the end date"), key="account-set-until", on_click=_apply, args=("until",))
