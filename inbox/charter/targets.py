"""Which target applies to a conversation and when it is due. Pure: the charter and times are parameters.

The rule (also in ``inbox.charter.model``): the most specific base target (channel name, then platform, then
``sla.default``) competes with every urgency, segment or contact-reason override that applies; the shortest
wins. A reason's urgency bump (``[reasons.<reason>] urgency``) counts as the conversation's urgency here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from inbox.charter.business_hours import add_business_time, business_time_between, require_aware
from inbox.charter.fields import KINDS, Clock, Kind, Metric
from inbox.charter.model import Charter, Override, TargetSpec
from inbox.charter.reason_rules import bumped
from inbox.charter.teams import Team


@dataclass(frozen=True, slots=True)
class Target:
    """A resolved target. ``rule`` is the dotted charter key that chose it, e.g. ``sla.segments.vip``."""

    metric: Metric
    minutes: int
    clock: Clock
    team: str  # whose business hours a business_hours clock follows (unused by a 24/7 clock)
    rule: str


@dataclass(frozen=True, slots=True)
class TargetSet:
    """The targets of one conversation, resolved once when it arrives."""

    first_response: Target
    next_response: Target
    resolution: Target | None


def charter_kind(conversation_kind: str, visibility: str) -> Kind:
    """Map a stored conversation (kind mention|dm|listening|comment, visibility) to a charter kind."""
    if conversation_kind == "listening":
        return "listening"
    return "private" if visibility == "private" or conversation_kind == "dm" else "public"


def _base(charter: Charter, keys: Iterable[str], kind: Kind, metric: Metric) -> tuple[TargetSpec, str] | None:
    sla = charter.sla
    for key in keys:
        if key in sla.channels:
            spec = getattr(getattr(sla.channels[key], kind), metric)
            if spec is not None:
                return spec, f"sla.channels.{key}.{kind}.{metric}"
    spec = getattr(getattr(sla.default, kind), metric)
    return (spec, f"sla.default.{kind}.{metric}") if spec is not None else None


def _overrides(
    charter: Charter, urgency: str | None, tags: Iterable[str], reason: str | None = None
) -> list[tuple[Override, str]]:
    sla = charter.sla
    found = [(o, f"sla.urgency.{u}") for u, o in sla.urgency.items() if u == urgency]
    wanted = {t.strip().lower() for t in tags}
    found += [(sla.segments[s], f"sla.segments.{s}") for s in sorted(sla.segments) if s in wanted]
    if reason in sla.reasons:
        found.append((sla.reasons[reason], f"sla.reasons.{reason}"))
    return found


def target_for(
    charter: Charter,
    channel: str,
    kind: Kind,
    urgency: str | None,
    tags: Iterable[str],
    *,
    platform: str | None = None,
    metric: Metric = "first_response",
    reason: str | None = None,
) -> Target | None:
    """The target for one metric; None only for a resolution target that is not set.

    ``urgency`` None or unknown counts as no override; ``tags`` are the contact's tags (case-insensitive);
    ``reason`` the conversation's contact reason (its ``[sla.reasons]`` override, its urgency bump).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    keys = [k for k in (channel, platform) if k]
    found = _base(charter, keys, kind, metric)
    if found is None and metric == "next_response":
        found = _base(charter, keys, kind, "first_response")
    if found is None:
        return None
    spec, rule = found
    team = spec.team or charter.sla.team
    best = Target(metric, spec.minutes, spec.clock, team, rule)
    urgency = bumped(charter.reasons, urgency, reason)
    for override, rule in _overrides(charter, urgency, tags, reason):
        if metric in override.metrics and kind in override.kinds:
            candidate = Target(metric, override.minutes, override.clock or spec.clock, team, rule)
            if (candidate.minutes, candidate.clock != "24/7") < (best.minutes, best.clock != "24/7"):
                best = candidate
    return best


def targets_for(
    charter: Charter,
    channel: str,
    kind: Kind,
    urgency: str | None,
    tags: Iterable[str],
    *,
    platform: str | None = None,
    reason: str | None = None,
) -> TargetSet:
    """First-response, next-response and resolution targets, to resolve once at arrival; ``reason`` as in
    ``target_for``."""
    tags = tuple(tags)

    def one(metric: Metric) -> Target | None:
        return target_for(
            charter, channel, kind, urgency, tags, platform=platform, metric=metric, reason=reason
        )

    first, then = one("first_response"), one("next_response")
    assert first is not None and then is not None  # sla.default requires a first-response target per kind
    return TargetSet(first, then, one("resolution"))


def team_of(charter: Charter, target: Target) -> Team:
    return charter.team(target.team)


def due_at(charter: Charter, target: Target, start: datetime) -> datetime:
    """When an answer to a customer message received at ``start`` is due (UTC)."""
    if target.clock == "24/7":
        return require_aware("start", start) + timedelta(minutes=target.minutes)
    return add_business_time(team_of(charter, target), start, target.minutes)


def clock_time(charter: Charter, target: Target, start: datetime, end: datetime) -> timedelta:
    """Time on the target's clock from ``start`` to ``end``; negative when ``end`` is before ``start``."""
    if target.clock == "24/7":
        return require_aware("end", end) - require_aware("start", start)
    team = team_of(charter, target)
    if end >= start:
        return business_time_between(team, start, end)
    return -business_time_between(team, end, start)


def time_left(charter: Charter, target: Target, due: datetime, now: datetime) -> timedelta:
    """Clock time from ``now`` to ``due`` (business time for a business-hours target); negative once past."""
    return clock_time(charter, target, now, due)
