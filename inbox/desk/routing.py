"""Routing by contact reason (the charter's ``[reasons.<reason>] agents`` and ``teams``): who may be handed a
conversation.

Rule, stated once (``routed``, ``may_take`` and ``left_to_others`` are pure): a conversation whose contact
reason the charter routes goes to one of its people, the agents it names and the members of the teams of
agents it names (``inbox.desk.teams``), while one of them is available (signed in, active); when none is,
anyone may take it, so a routed reason never waits for an absent specialist. A team that does not exist or
has no members adds nobody. A reason with no ``agents`` nor ``teams`` is anyone's. "Next conversation"
(``inbox.desk.claim``) and live assignment (``inbox.desk.live_assignment``) skip what is left to others;
the Team page's "Distribute" (``inbox.desk.assignment.distribute``) asks ``may_take`` of the agents it
hands out to.
``left_for``, ``rules_in_force`` and ``available`` read the database.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime

from sqlmodel import Session, col, select

from inbox.charter.reason_rules import ReasonRule
from inbox.charter.versions import current_charter
from inbox.config.loader import ConfigError
from inbox.desk.presence import assignable_users
from inbox.desk.teams import members
from inbox.settings import Settings
from inbox.store.tables import User

Rules = Mapping[str, ReasonRule]
Teams = Mapping[str, Collection[str]]  # a team of agents' name -> its members' user names


def routed(rule: ReasonRule, teams: Teams) -> frozenset[str]:
    """The user names a reason is routed to: the rule's agents and the members of its teams."""
    names = set(rule.agents)
    for team in rule.teams:
        names |= set(teams.get(team, ()))
    return frozenset(names)


def may_take(
    rules: Rules, reason: str | None, agent: str, available: Iterable[str], teams: Teams | None = None
) -> bool:
    """Whether ``agent`` (a user name) may be handed a conversation with this contact reason."""
    rule = rules.get(reason or "")
    people = routed(rule, teams or {}) if rule is not None else frozenset()
    if not people or agent in people:
        return True
    return not people & set(available)


def left_to_others(
    rules: Rules, agent: str, available: Iterable[str], teams: Teams | None = None
) -> frozenset[str]:
    """The contact reasons ``agent`` should leave to the people they are routed to."""
    here = set(available)
    return frozenset(reason for reason in rules if not may_take(rules, reason, agent, here, teams))


def rules_in_force(session: Session) -> Rules:
    """The routing of the charter in force (none when the charter cannot be read)."""
    try:
        return current_charter(session, Settings().config_dir).reasons
    except (ConfigError, OSError):
        return {}


def available(session: Session, now: datetime) -> set[str]:
    """The names of the active users signed in to the app now."""
    online = assignable_users(session, now)
    if not online:
        return set()
    stmt = select(User.name).where(col(User.id).in_(online), col(User.active).is_(True))
    return set(session.exec(stmt).all())


def left_for(session: Session, user_id: int, rules: Rules, now: datetime) -> frozenset[str]:
    """The contact reasons this user should leave to others under ``rules``, given who is signed in now."""
    chosen = {r: rule for r, rule in rules.items() if rule.agents or rule.teams}
    user = session.get(User, user_id)
    if not chosen or user is None:
        return frozenset()
    named = {team for rule in chosen.values() for team in rule.teams}
    teams = members(session, named) if named else {}
    return left_to_others(chosen, user.name, available(session, now), teams)


def skipped_reasons(session: Session, user_id: int, now: datetime) -> frozenset[str]:
    """What "Next conversation" leaves to others for this user, under the charter in force now."""
    return left_for(session, user_id, rules_in_force(session), now)
