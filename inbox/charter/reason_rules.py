"""What the charter does with a conversation's contact reason (``[reasons.<reason>]``). Pure: no I/O.

Rules, stated once:
- ``urgency``: a conversation with this reason is at least this urgent when its response target is chosen
  (a bump, never lower); the urgency override of ``[sla.urgency]`` then applies as for any urgent message,
  and a reason made critical posts the critical escalation alert.
- ``agents`` and ``teams``: "Next conversation" and automatic assignment offer a conversation with this reason
  to these agents (user names) and the members of these teams of agents (``inbox team``, the Team page; not
  the ``[teams.*]`` opening hours) only, while one of them may take it (``inbox.desk.routing``).
- The target per reason is ``[sla.reasons]`` (an override like ``[sla.urgency]``: the shortest wins); moving
  a public conversation to private messages is ``[privacy] topics``, which may name contact reasons.
"""

from __future__ import annotations

from inbox.charter.fields import Name, Urgency
from inbox.config.loader import Strict

LEVELS = ("low", "normal", "high", "critical")


class ReasonRule(Strict):
    """The charter's rule for one contact reason (config/nlp.toml ``[reasons].labels``)."""

    urgency: Urgency | None = None
    agents: tuple[Name, ...] = ()
    teams: tuple[Name, ...] = ()  # teams of agents (``inbox.desk.teams``), by name


def bumped(rules: dict[str, ReasonRule], urgency: str | None, reason: str | None) -> str | None:
    """``urgency`` raised to the reason's ``urgency`` when that is higher; unchanged otherwise."""
    rule = rules.get(reason or "")
    if rule is None or rule.urgency is None:
        return urgency
    if urgency in LEVELS and LEVELS.index(urgency) >= LEVELS.index(rule.urgency):
        return urgency
    return rule.urgency
