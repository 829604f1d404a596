"""The Team page's teams of agents (a widget, not a page): each team, its members and the contact reasons the
charter routes to it; admins create a team, set its members and remove it.

The rules live in ``inbox.desk.teams`` (who may, audited) and ``inbox.desk.routing`` (what a team changes:
"Next conversation" and live assignment hand a routed reason to its team's members first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from inbox.access import PermissionDenied
from inbox.desk import teams
from inbox.i18n import _
from inbox.store.tables import User
from inbox.ui import streamlit_words
from inbox.ui.common import charter, current_user, now, reading, transaction
from inbox.ui.labels import REASON, label

FLASH = "team-flash"  # the Team page shows it on its next run
NAMES = "team-names"  # user name -> display name, for the flash of a save


def _routes() -> dict[str, list[str]]:
    """Per team name, the contact reasons the charter in force routes to it (in the user's words)."""
    rules = charter()
    out: dict[str, list[str]] = {}
    for reason, rule in sorted((rules.reasons if rules else {}).items()):
        for team in rule.teams:
            out.setdefault(team, []).append(label(REASON, reason))
    return out


def _create() -> None:
    s, by = st.session_state, current_user()
    name = str(s.get("team-new-name") or "")
    if by is None:
        return
    try:
        with transaction() as session:
            created = teams.create_team(session, by, name, now()).name
            teams.set_members(session, by, created, list(s.get("team-new-members") or []), now())
    except (teams.TeamError, PermissionDenied) as exc:
        s[FLASH] = _("Team not created: {error}").format(error=exc)
        return
    s[FLASH] = _("Team {name} created.").format(name=created)


def _save(name: str) -> None:
    s, by = st.session_state, current_user()
    if by is None:
        return
    try:
        with transaction() as session:
            chosen = teams.set_members(session, by, name, list(s.get(f"team-members-{name}") or []), now())
    except (teams.TeamError, PermissionDenied) as exc:
        s[FLASH] = _("Team not changed: {error}").format(error=exc)
        return
    done = _("Team {name}: {members}.") if chosen else _("Team {name} has no member now.")
    s[FLASH] = done.format(name=name, members=", ".join(_said(chosen, s.get(NAMES, {}))))


def _remove(name: str) -> None:
    by = current_user()
    if by is None:
        return
    try:
        with transaction() as session:
            teams.remove_team(session, by, name, now())
    except (teams.TeamError, PermissionDenied) as exc:
        st.session_state[FLASH] = _("Team not removed: {error}").format(error=exc)
        return
    st.session_state[FLASH] = _("Team {name} removed.").format(name=name)


def _person(login: str, named: Mapping[str, str], with_login: bool = True) -> str:
    """An account as colleagues know it ("Alex"); ``with_login``: its user name beside, "Alex (agent)", for
    the admins who manage the accounts."""
    name = named.get(login, login)
    return f"{name} ({login})" if with_login and name != login else name


def _said(logins: Sequence[str], named: Mapping[str, str], with_login: bool = True) -> list[str]:
    return [_person(login, named, with_login) for login in logins]


def _admin_controls(users: Sequence[User], found: dict[str, list[str]], named: Mapping[str, str]) -> None:
    names = [u.name for u in users]
    st.session_state[NAMES] = dict(named)  # for the flash of the save, which runs before the page
    if found:
        team = st.selectbox(_("Team"), list(found), key="team-pick", placeholder=streamlit_words.choose())
        st.multiselect(
            _("Members"),
            names,
            default=[n for n in found.get(team, []) if n in names],
            key=f"team-members-{team}",
            format_func=lambda login: _person(login, named),
            placeholder=_("Choose accounts"),  # not Streamlit's English "Choose options"
            select_all=False,  # nor "Select all"
        )
        cols = st.columns(2)
        cols[0].button(_("Save the members"), key="team-save", on_click=_save, args=(team,))
        cols[1].button(_("Remove the team"), key="team-remove", on_click=_remove, args=(team,))
    st.text_input(_("New team (lower-case letters, digits, '-' or '_')"), key="team-new-name")
    st.multiselect(
        _("Its members"),
        names,
        key="team-new-members",
        format_func=lambda login: _person(login, named),
        placeholder=_("Choose accounts"),
        select_all=False,
    )
    st.button(_("Create the team"), key="team-create", on_click=_create)


def panel(users: Sequence[User], editable: bool) -> None:
    """Teams of agents and the reasons routed to each; the controls only when ``editable`` (admins)."""
    with reading() as session:
        found = teams.members(session)
    routes = _routes()
    named = {u.name: u.display_name or u.name for u in users}
    with st.expander(_("Teams of agents")):
        st.caption(
            _(
                "A team groups accounts. When the charter routes a contact reason to a team "
                "([reasons.<reason>] teams), Next conversation, live assignment and Distribute give it to "
                "the team's members first, while one of them is signed in."
            )
        )
        if found:
            st.dataframe(
                [
                    {
                        _("Team"): name,
                        _("Members"): ", ".join(_said(members, named, editable)) or _("no member"),
                        _("Contact reasons routed"): ", ".join(routes.get(name, [])) or "—",
                    }
                    for name, members in found.items()
                ],
                hide_index=True,
            )
        else:
            st.caption(_("No team yet."))
        for name in sorted(set(routes) - set(found)):
            st.warning(
                _("The charter routes {reasons} to team {name}, which does not exist.").format(
                    reasons=", ".join(routes[name]), name=name
                )
            )
        if editable:
            _admin_controls(users, found, named)
