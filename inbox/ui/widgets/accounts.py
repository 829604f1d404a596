"""The Team page's account form (admins): deactivate, reactivate, sign out everywhere, change a role, the
languages spoken or the capacity, reset a password, end date. Choosing a user shows their role, languages and
capacity in the fields.

The rules live in ``inbox.desk.accounts``; this only collects the choice and shows the outcome. An end date
is a day in the team's time zone: the account works through that day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Literal

import streamlit as st

from inbox.access import ROLE_LABELS, ROLES, PermissionDenied
from inbox.desk import accounts, sign_in
from inbox.desk.auth import MAX_CAPACITY, AuthError
from inbox.i18n import _
from inbox.store.tables import User
from inbox.ui import relabel, streamlit_words
from inbox.ui.common import current_user, now, team_zone, transaction
from inbox.ui.widgets import flash, spoken_languages

SAID = "account-said-"  # + the action's group: its outcome, shown right under its button
GROUPS = {"deactivate": "active", "reactivate": "active"}  # actions whose buttons share a row


def _said(action: str) -> str:
    return SAID + GROUPS.get(action, action)


def _end_of(day: date | None) -> datetime | None:
    return datetime.combine(day, time.max, tzinfo=team_zone()) if day else None


def _apply(action: str) -> None:
    s, by = st.session_state, current_user()
    name = s.get("account-user")
    if by is None or not name:
        return
    at = now()
    if action == "deactivate" and name == by.name:
        s[_said(action)] = ("error", _("Not changed: your own account cannot be deactivated."))
        return
    if action == "deactivate" and not s.get("account-deactivate-sure"):
        s[_said(action)] = (
            "warning",
            _("Not deactivated yet: tick “Yes, deactivate {name}”, then click Deactivate.").format(name=name),
        )
        return
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
            elif action == "capacity":
                accounts.set_capacity(session, by, name, int(s.get("account-capacity") or 0), at)
                done = _("{name}'s capacity is saved.")
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
        s[_said(action)] = ("error", _("Not changed: {error}").format(error=exc))
        return
    s[_said(action)] = ("success", done.format(name=name))
    s["account-deactivate-sure"] = False
    s["account-password"] = ""  # a reset password is not left on screen


def capacity_field(key: str, value: int | Literal["min"] = "min", label: str | None = None) -> None:
    """An agent's capacity (1 to ``MAX_CAPACITY``), under ``key``; ``value`` starts a field no run set
    (Streamlit's own default otherwise, so a value set through the session state raises no warning)."""
    st.number_input(
        label or _("Capacity"),
        min_value=1,
        max_value=MAX_CAPACITY,
        value=value,
        step=1,
        key=key,
        help=_("Open conversations they hold before auto-assignment and round-robin skip them."),
    )


Profile = dict[str, object]  # the chosen user's values, by the key of their field


def _show(profiles: dict[str, Profile]) -> None:
    """The role, languages and capacity fields show the chosen user's."""
    st.session_state.update(profiles.get(st.session_state.get("account-user") or "", {}))


def admin_form(users: Sequence[User]) -> None:
    """The form, for admins (the page decides who sees it)."""
    profiles: dict[str, Profile] = {
        u.name: {
            "account-role": u.role,
            "account-languages": list(u.languages),
            "account-capacity": u.capacity,
        }
        for u in users
    }
    spoken = [c for u in users for c in u.languages]
    with st.expander(_("Manage an account")):
        chosen = st.selectbox(
            _("Account"),
            list(profiles),
            index=None,  # none at first: the admin's own account was one click from Deactivate
            key="account-user",
            format_func=lambda login: account_label(login, users),
            placeholder=streamlit_words.choose(),
            on_change=_show,
            args=(profiles,),
        )
        if "account-languages" not in st.session_state:
            _show(profiles)
        st.checkbox(
            _("Yes, deactivate {name}").format(name=chosen or "…"),
            key="account-deactivate-sure",
            disabled=chosen is None,
        )
        left, right = st.columns(2)
        left.button(_("Deactivate"), key="account-deactivate", on_click=_apply, args=("deactivate",))
        right.button(_("Reactivate"), key="account-reactivate", on_click=_apply, args=("reactivate",))
        flash.show(_said("deactivate"))
        st.button(
            _("Sign out everywhere"),
            key="account-signout",
            on_click=_apply,
            args=("signout",),
            help=_(
                "Ends every session of this account at once (a lost or shared device); it may sign in again."
            ),
        )
        flash.show(_said("signout"))
        st.button(
            _("Unlock sign-in"),
            key="account-unlock",
            on_click=_apply,
            args=("unlock",),
            help=_("Lifts a lock-out after too many failed attempts."),
        )
        flash.show(_said("unlock"))
        st.selectbox(
            _("New role"),
            list(ROLES),
            format_func=lambda r: _(ROLE_LABELS[r]),
            key=relabel.keep("account-role"),
            placeholder=streamlit_words.choose(),
        )
        st.button(_("Change the role"), key="account-set-role", on_click=_apply, args=("role",))
        flash.show(_said("role"))
        spoken_languages.field("account-languages", spoken, label=_("Languages this account speaks"))
        st.button(_("Save the languages"), key="account-set-languages", on_click=_apply, args=("languages",))
        flash.show(_said("languages"))
        capacity_field("account-capacity", label=_("Capacity of this account"))
        st.button(_("Save the capacity"), key="account-set-capacity", on_click=_apply, args=("capacity",))
        flash.show(_said("capacity"))
        # the typed password sent with the button, and emptied after (success or not: typed again)
        with st.form("account-password-form", border=False, clear_on_submit=True):
            st.text_input(
                _("New password for this account"),
                type="password",
                key="account-password",
                help=_("At least {n} characters. They choose their own at their next sign-in.").format(
                    n=accounts.MIN_PASSWORD
                ),
            )
            st.form_submit_button(
                _("Reset the password"), key="account-reset-password", on_click=_apply, args=("password",)
            )
        flash.show(_said("password"))
        st.date_input(
            _("Last day of a temporary account"),
            value=None,
            key="account-until",
            format=streamlit_words.date_format(),
            help=_("From the next day on it cannot sign in. Empty: no end date."),
        )
        st.button(_("Save the end date"), key="account-set-until", on_click=_apply, args=("until",))
        flash.show(_said("until"))


def account_label(login: str, users: Sequence[User]) -> str:
    """An account in a picker: the name colleagues know, its user name beside ("Alex (agent)")."""
    name = next((u.display_name for u in users if u.name == login and u.display_name), login)
    return f"{name} ({login})" if name != login else login
