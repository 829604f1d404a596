"""Routing by contact reason (the charter's ``[reasons.<reason>] agents``): who may be handed a conversation.

Rule, stated once (``may_take`` and ``left_to_others`` are pure): a conversation whose contact reason the
charter routes to named agents goes to one of them while one of them is available (signed in, active); when
none is, anyone may take it, so a routed reason never waits for an absent specialist. A reason with no
``agents`` is anyone's. "Next conversation" (``inbox.desk.queue``) and live assignment
(``inbox.desk.live_assignment``) skip what is left to others. ``left_for``, ``rules_in_force`` and
``available`` read the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlmodel import Session, col, select

from inbox.charter.reason_rules import ReasonRule
from inbox.charter.versions import current_charter
from inbox.config.loader import ConfigError
from inbox.desk.presence import online_users
from inbox.settings import Settings
from inbox.store.tables import User

Rules = Mapping[str, ReasonRule]


def may_take(rules: Rules, reason: str | None, agent: str, available: Iterable[str]) -> bool:
    """Whether ``agent`` (a user name) may be handed a conversation with this contact reason."""
    rule = rules.get(reason or "")
    if rule is None or not rule.agents or agent in rule.agents:
        return True
    return not set(rule.agents) & set(available)


def left_to_others(rules: Rules, agent: str, available: Iterable[str]) -> frozenset[str]:
    """The contact reasons ``agent`` should leave to the agents they are routed to."""
    here = set(available)
    return frozenset(reason for reason in rules if not may_take(rules, reason, agent, here))


def rules_in_force(session: Session) -> Rules:
    """The routing of the charter in force (none when the charter cannot be read)."""
    try:
        return current_charter(session, Settings().config_dir).reasons
    except (ConfigError, OSError):
        return {}


def available(session: Session, now: datetime) -> set[str]:
    """The names of the active users signed in to the app now."""
    online = online_users(session, now)
    if not online:
        return set()
    stmt = select(User.name).where(col(User.id).in_(online), col(User.active).is_(True))
    return set(session.exec(stmt).all())


def left_for(session: Session, user_id: int, rules: Rules, now: datetime) -> frozenset[str]:
    """The contact reasons this user should leave to others under ``rules``, given who is signed in now."""
    routed = {r: rule for r, rule in rules.items() if rule.agents}
    user = session.get(User, user_id)
    if not routed or user is None:
        return frozenset()
    return left_to_others(routed, user.name, available(session, now))


def skipped_reasons(session: Session, user_id: int, now: datetime) -> frozenset[str]:
    """What "Next conversation" leaves to others for this user, under the charter in force now."""
    return left_for(session, user_id, rules_in_force(session), now)
