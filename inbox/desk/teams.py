"""Teams of agents: a named group of accounts ("billing": maya and bruno), which the charter's routing by
contact reason names (``[reasons.<reason>] teams``, ``inbox.desk.routing``).

Rules, stated once:
- a team's name is a charter name (lower-case letters, digits, '-' or '_'), unique, so the charter can name
  it; it is not one of the charter's ``[teams.*]`` (opening hours and time zones), which group no accounts;
- an account may be in several teams; setting a team's members replaces them (an empty list empties it);
  removing a team removes its memberships, and the charter's routing to it then names nobody;
- only an admin (or the operator at the command line) creates, changes or removes a team; audited as
  ``team.created``, ``team.members`` and ``team.removed``. Session-taking, never commits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

from sqlmodel import Session, col, delete, select

from inbox.access import Actor, require
from inbox.charter.fields import is_name
from inbox.desk.auth import user_by_name
from inbox.i18n import _
from inbox.store import records as store
from inbox.store.tables import AgentTeam, AgentTeamMember, User


class TeamError(ValueError):
    """A team cannot be created or changed as asked (the message says why, in the user's language)."""


def _team(session: Session, name: str) -> AgentTeam:
    found = session.exec(select(AgentTeam).where(AgentTeam.name == name.strip().lower())).first()
    if found is None:
        raise TeamError(_("no team named {name}").format(name=repr(name.strip().lower())))
    return found


def create_team(session: Session, by: Actor, name: str, now: datetime) -> AgentTeam:
    """A new, empty team named ``name``."""
    require(by, "users")
    wanted = name.strip().lower()
    if not is_name(wanted):
        raise TeamError(
            _("a team name has lower-case letters, digits, '-' or '_' (at most 64), got {name}").format(
                name=repr(name)
            )
        )
    if session.exec(select(AgentTeam.id).where(AgentTeam.name == wanted)).first() is not None:
        raise TeamError(_("a team named {name} already exists").format(name=repr(wanted)))
    team = AgentTeam(name=wanted, created_by=by.name, created_at=now)
    session.add(team)
    session.flush()
    store.audit(session, by.name, "team.created", target=("team", wanted), detail={"name": wanted}, at=now)
    return team


def set_members(session: Session, by: Actor, name: str, users: Sequence[str], now: datetime) -> list[str]:
    """Make ``users`` (user names) the members of team ``name``; returns them, sorted."""
    require(by, "users")
    team = _team(session, name)
    wanted: dict[str, User] = {}
    unknown = []
    for raw in dict.fromkeys(u.strip().lower() for u in users if u.strip()):
        user = user_by_name(session, raw)
        if user is None:
            unknown.append(raw)
        else:
            wanted[user.name] = user
    if unknown:
        raise TeamError(_("no user named {names}").format(names=", ".join(repr(u) for u in unknown)))
    before = members(session).get(team.name, [])
    session.exec(delete(AgentTeamMember).where(col(AgentTeamMember.team_id) == team.id))
    for user in wanted.values():
        session.add(AgentTeamMember(team_id=team.id or 0, user_id=user.id or 0))
    session.flush()
    after = sorted(wanted)
    detail = {"name": team.name, "from": before, "to": after}
    store.audit(session, by.name, "team.members", target=("team", team.name), detail=detail, at=now)
    return after


def remove_team(session: Session, by: Actor, name: str, now: datetime) -> None:
    """Remove team ``name`` and its memberships (the accounts stay)."""
    require(by, "users")
    team = _team(session, name)
    before = members(session).get(team.name, [])
    session.exec(delete(AgentTeamMember).where(col(AgentTeamMember.team_id) == team.id))
    session.delete(team)
    session.flush()
    detail = {"name": team.name, "members": before}
    store.audit(session, by.name, "team.removed", target=("team", team.name), detail=detail, at=now)


def members(session: Session, names: Collection[str] | None = None) -> dict[str, list[str]]:
    """Each team (or each of ``names`` that exists) with its members' user names, sorted; a team without
    members has an empty list."""
    stmt = select(AgentTeam.name, User.name).select_from(AgentTeam)
    stmt = stmt.outerjoin(AgentTeamMember, col(AgentTeamMember.team_id) == col(AgentTeam.id))
    stmt = stmt.outerjoin(User, col(User.id) == col(AgentTeamMember.user_id))
    if names is not None:
        if not names:
            return {}
        stmt = stmt.where(col(AgentTeam.name).in_(list(names)))
    found: dict[str, list[str]] = {}
    for team, user in session.exec(stmt).all():
        found.setdefault(team, [])
        if user is not None:
            found[team].append(user)
    return {team: sorted(users) for team, users in sorted(found.items())}


def teams_of(session: Session, user_names: Iterable[str]) -> dict[str, list[str]]:
    """Per user name, the teams they are in (sorted)."""
    wanted = set(user_names)
    out: dict[str, list[str]] = {name: [] for name in sorted(wanted)}
    for team, users in members(session).items():
        for user in users:
            if user in wanted:
                out[user].append(team)
    return out
