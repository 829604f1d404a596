"""The team page (managers and admins): who is online, their load, round-robin distribution, new users."""

from __future__ import annotations

from collections import Counter
from typing import Any

import streamlit as st

from inbox.access import ROLE_LABELS, ROLES, PermissionDenied, can
from inbox.desk import accounts, assignment, auth, channel_scope, presence
from inbox.desk.queue import Filters, queue_page
from inbox.i18n import _, ngettext, number
from inbox.ui import labels, language, relabel, streamlit_words
from inbox.ui.common import current_user, md_escape, now, reading, transaction
from inbox.ui.widgets import accounts as accounts_form
from inbox.ui.widgets import agent_teams_form, channel_scope_form, flash, spoken_languages


def _left(why: str, n: int) -> str:
    """Why ``n`` conversations stayed unassigned (``assignment.Why``)."""
    if why == "nobody":
        text = ngettext(
            "{n} conversation left unassigned: no agent is signed in and available.",
            "{n} conversations left unassigned: no agent is signed in and available.",
            n,
        )
    elif why == "channel":
        text = ngettext(
            "{n} conversation left unassigned: no signed-in agent works its channel.",
            "{n} conversations left unassigned: no signed-in agent works their channel.",
            n,
        )
    elif why == "routed":
        text = ngettext(
            "{n} conversation left unassigned: the charter routes its contact reason to signed-in agents "
            "who cannot take it now (no room, another language or channel).",
            "{n} conversations left unassigned: the charter routes their contact reason to signed-in agents "
            "who cannot take them now (no room, another language or channel).",
            n,
        )
    else:
        text = ngettext(
            "{n} conversation left unassigned: the agents who work its channel have no room or do not "
            "speak its language.",
            "{n} conversations left unassigned: the agents who work their channel have no room or do not "
            "speak their language.",
            n,
        )
    return text.format(n=n)


DISTRIBUTED = 50  # conversations one click of Distribute hands out at most


def _waiting() -> int:
    """Open conversations nobody holds: what Distribute hands out (up to its limit)."""
    with reading() as session:
        return queue_page(session, Filters(assignee="unassigned"), user_id=None, now=now(), size=1).total


def _distribute() -> None:
    user = current_user()
    if user is None:
        return
    if not st.session_state.get("distribute-confirm"):
        st.session_state["distribute-flash"] = (
            "warning",
            _("Nothing distributed yet: tick the confirmation above the button, then click it again."),
        )
        return
    st.session_state["distribute-confirm"] = False
    try:
        with transaction() as session:
            done = assignment.assign_unassigned(session, user, now(), limit=DISTRIBUTED)
    except PermissionDenied as exc:
        st.session_state["distribute-flash"] = ("error", _("Not distributed: {error}").format(error=exc))
        return
    n = len(done.assigned)
    count = ngettext("{n} conversation assigned round-robin.", "{n} conversations assigned round-robin.", n)
    whys = Counter(done.left.values())
    left = [_left(why, whys[why]) for why in ("nobody", "channel", "busy", "routed") if whys[why]]
    text = " ".join([count.format(n=n), *left])
    st.session_state["distribute-flash"] = ("warning", text) if left else ("success", text)


def _add_user() -> None:
    s, user = st.session_state, current_user()
    if user is None:
        return
    try:
        accounts.check_password(s["new-password"])
        with transaction() as session:
            auth.add_user(
                session,
                user,
                s["new-name"],
                s["new-password"],
                s["new-role"],
                display_name=s["new-display"] or None,
                languages=s.get("new-langs") or [],
                capacity=int(s.get("new-capacity") or 20),
            )
        added = f"{s['new-display']} ({s['new-name']})" if s["new-display"] else s["new-name"]
        s["add-user-flash"] = ("success", _("User {name} added.").format(name=added))
        s["new-name"] = s["new-display"] = s["new-password"] = ""  # the form ready for the next one
    except (auth.AuthError, PermissionDenied) as exc:
        s["add-user-flash"] = ("error", _("Not added: {error}").format(error=exc))


def _add_user_form() -> None:
    with st.expander(_("Add a user")):
        # a form: what was typed is sent with the button (a password field left with Tab is not sent alone)
        with st.form("add-user-form", border=False):
            st.text_input(_("User name"), key="new-name")
            st.text_input(_("Display name"), key="new-display")
            st.text_input(
                _("Password"),
                type="password",
                key="new-password",
                help=_("At least {n} characters. They choose their own at their first sign-in.").format(
                    n=accounts.MIN_PASSWORD
                ),
            )
            st.selectbox(
                _("Role"),
                list(ROLES),
                format_func=lambda r: _(ROLE_LABELS[r]),
                key=relabel.keep("new-role"),
                placeholder=streamlit_words.choose(),
            )
            st.session_state.setdefault(relabel.keep("new-langs"), ["fr", "en"])
            spoken_languages.field("new-langs")
            accounts_form.capacity_field("new-capacity", 20)
            st.form_submit_button(_("Add user"), key="add-user", on_click=_add_user)
        flash.show("add-user-flash")  # under the form the admin is looking at


def _columns() -> dict[str, Any]:
    """The narrow columns of the team table kept narrow, so that all of it shows at 1280 px."""
    return {
        _("Status"): st.column_config.TextColumn(width="small"),
        _("Load"): st.column_config.TextColumn(help=_("Open conversations / capacity"), width="small"),
        _("Active"): st.column_config.CheckboxColumn(width="small"),
    }


def main() -> None:
    user = current_user()
    assert user is not None
    if not can(user.role, "distribute"):
        st.error(_("Managers and admins only."))
        return
    st.title(_("Team"))
    flash.show("team-flash", "info")
    with reading() as session:
        users = auth.list_users(session)
        online = presence.online_statuses(session, now())
        loads = assignment.open_loads(session)
        roles = channel_scope.role_channels(session)
        scopes = {u.id: channel_scope.effective(session, u, roles) for u in users}  # what each one works
    st.dataframe(
        [
            {
                _("Name"): u.display_name or u.name,
                _("User name"): u.name,
                _("Role"): _(ROLE_LABELS.get(u.role, u.role)),
                _("Status"): labels.label(labels.AVAILABILITY, online.get(u.id or 0, "offline")),
                _("Load"): f"{loads.get(u.id or 0, 0)} / {u.capacity}",  # eight columns: all show at 1280 px
                _("Channels"): channel_scope_form.works(scopes[u.id], u.channels or roles.get(u.role, [])),
                _("Languages spoken"): ", ".join(labels.language(code) for code in u.languages),
                _("Active"): u.active,
            }
            for u in users
        ],
        hide_index=True,
        column_config=_columns(),
    )
    waiting = _waiting()
    shown = min(waiting, DISTRIBUTED)  # one click hands out this many at most
    st.checkbox(
        ngettext(
            "Confirm: hand out up to {n} of the {total} unassigned conversations",
            "Confirm: hand out up to {n} of the {total} unassigned conversations",
            shown,
        ).format(n=number(shown), total=number(waiting)),
        key="distribute-confirm",
    )
    st.button(
        _("Distribute unassigned conversations (round-robin)"),
        icon=":material/shuffle:",
        key="distribute",
        on_click=_distribute,
        help=_(
            "Signed-in agents who speak the conversation's language and work its channel, up to their "
            "capacity; a contact reason the charter routes goes to its agents and teams when one of them is "
            "signed in."
        ),
    )
    flash.show("distribute-flash")
    channel_scope_form.live_assignment_note()
    if can(user.role, "users"):
        _add_user_form()
        language.admin_form(users)
        accounts_form.admin_form(users)
        channel_scope_form.admin_form(users)
        channel_scope_form.role_form()
    agent_teams_form.panel(users, editable=can(user.role, "users"))  # routing by contact reason
    st.caption(
        _("Signed in as {name}. Every change here is written to the audit log.").format(
            name=md_escape(user.name)
        )
    )


main()
