"""The Team page's channel restriction forms (admins): the channels an agent works, and those every account
of a role works; each "every channel" when empty. A user works the channels both allow.

The rule lives in ``inbox.desk.channel_scope``; this collects the choices and shows the outcome. It also says
whether live assignment (``[assignment] automatic`` in the charter) is on.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from inbox.access import ROLE_LABELS, ROLES, PermissionDenied
from inbox.desk import channel_scope
from inbox.desk.auth import AuthError
from inbox.desk.channel_scope import Scope
from inbox.i18n import _, ngettext
from inbox.store.tables import User
from inbox.ui import relabel, streamlit_words
from inbox.ui.common import charter, config_dir, current_user, now, reading, transaction
from inbox.ui.widgets.accounts import account_label

FLASH = "team-flash"  # the Team page shows it on its next run


def works(scope: Scope, order: Sequence[str] = ()) -> str:
    """The channels of ``scope`` in words, those of ``order`` first in its order (the Team table, flashes)."""
    if scope is None:
        return _("every channel")
    if not scope:
        return _("no channel")
    return ", ".join([*(c for c in order if c in scope), *sorted(scope - set(order))])


def _role(role: str) -> str:
    return _(ROLE_LABELS.get(role, role))


def _chosen(name: str) -> list[str]:
    return list(st.session_state.get(f"scope-channels-{name}") or [])


def _save() -> None:
    s, by = st.session_state, current_user()
    name = s.get("scope-user")
    if by is None or not name:
        return
    chosen = _chosen(name)
    try:
        with transaction() as session:
            known = channel_scope.known_channels(session, config_dir())
            user, released = channel_scope.set_channels(session, by, name, chosen, known, now())
            scope, role = channel_scope.effective(session, user), user.role
            role_channels = channel_scope.role_channels(session).get(role, [])
    except (AuthError, PermissionDenied) as exc:
        s[FLASH] = _("Not changed: {error}").format(error=exc)
        return
    if scope == frozenset():
        alone = _("{name} works no channel: their channels and the {role} role's have none in common.")
        s[FLASH] = ("warning", _with_released(alone.format(name=name, role=_role(role)), released))
        return
    done = _("{name} works {channels}.") if scope is not None else _("{name} works every channel.")
    message = done.format(name=name, channels=works(scope, chosen or role_channels))
    if chosen and set(chosen) != scope:  # the role keeps the account from some of its channels
        limit = _("The {role} role works only {channels}.")
        message += " " + limit.format(role=_role(role), channels=", ".join(role_channels))
    s[FLASH] = _with_released(message, released)


def _with_released(message: str, released: int) -> str:
    """``message``, then how many open conversations went back to the queue (``channel_scope.release``)."""
    return f"{message} {channel_scope.released_words(released)}" if released else message


def _role_chosen(role: str) -> list[str]:
    return list(st.session_state.get(f"role-scope-channels-{role}") or [])


def _save_role() -> None:
    s, by = st.session_state, current_user()
    role = s.get("role-scope-role")
    if by is None or not role:
        return
    try:
        with transaction() as session:
            known = channel_scope.known_channels(session, config_dir())
            saved, released = channel_scope.set_role_channels(
                session, by, role, _role_chosen(role), known, now()
            )
            stranded = [u.name for u in channel_scope.stranded(session, role)]
    except (AuthError, PermissionDenied) as exc:
        s[FLASH] = _("Not changed: {error}").format(error=exc)
        return
    done = _("The {role} role works {channels}.") if saved else _("The {role} role works every channel.")
    message = _with_released(done.format(role=_role(role), channels=", ".join(saved)), released)
    if stranded:
        alone = ngettext(
            "{n} account of this role works no channel now: {names}.",
            "{n} accounts of this role work no channel now: {names}.",
            len(stranded),
        )
        s[FLASH] = ("warning", f"{message} {alone.format(n=len(stranded), names=', '.join(stranded))}")
        return
    s[FLASH] = message


def live_assignment_note() -> None:
    """One line: whether the charter hands conversations out by itself."""
    rules = charter()
    if rules is not None and rules.assignment.automatic:
        st.caption(
            _("Live assignment is on: agents with room get the most urgent conversation they can take.")
        )
    else:
        st.caption(_("Live assignment is off: agents take the next conversation, managers distribute."))


def admin_form(users: Sequence[User]) -> None:
    """The account form, for admins (the page decides who sees it)."""
    with reading() as session:
        known = channel_scope.known_channels(session, config_dir())
    with st.expander(_("Channels an agent works")):
        st.caption(
            _(
                "An outsourcer or a point of sale: they see and are handed only these channels' "
                "conversations (within their role's channels, if it has some)."
            )
        )
        name = st.selectbox(
            _("Account to restrict"),
            [u.name for u in users],
            key="scope-user",
            format_func=lambda login: account_label(login, users),
            placeholder=streamlit_words.choose(),
        )
        current = next((list(u.channels) for u in users if u.name == name), [])
        st.multiselect(
            _("The account's channels (none: every channel)"),
            known,
            default=[c for c in current if c in known],
            key=f"scope-channels-{name}",
            placeholder=_("Choose channels"),  # not Streamlit's English "Choose options"
            select_all=False,  # nor "Select all" (none: every channel)
        )
        st.button(_("Save the channels"), key="scope-save", on_click=_save)


def role_form() -> None:
    """The role form, for admins: the channels every account of a role works."""
    with reading() as session:
        known = channel_scope.known_channels(session, config_dir())
        restricted = channel_scope.role_channels(session)
    with st.expander(_("Channels a role works")):
        st.caption(
            _(
                "Every account of the role sees and is handed only these channels' conversations; an account "
                "restricted too works the channels both allow."
            )
        )
        role = st.selectbox(
            _("Role to restrict"),
            list(ROLES),
            format_func=lambda r: _(ROLE_LABELS[r]),
            key=relabel.keep("role-scope-role"),
            placeholder=streamlit_words.choose(),
        )
        current = restricted.get(role or "", [])
        st.multiselect(
            _("The role's channels (none: every channel)"),
            known,
            default=[c for c in current if c in known],
            key=f"role-scope-channels-{role}",
            placeholder=_("Choose channels"),
            select_all=False,
        )
        st.button(_("Save the role's channels"), key="role-scope-save", on_click=_save_role)
