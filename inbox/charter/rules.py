"""The charter's other decisions: out-of-hours reply, peak plan, public→private, moderation, brand. Pure.

Sending each automatic message once per conversation is the caller's job; these only say what to send.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from inbox.charter.business_hours import is_open, next_opening
from inbox.charter.model import Brand, Charter
from inbox.charter.policies import ModerationAction
from inbox.charter.teams import Team, opening_day

ModerationCategory = Literal["spam", "insults", "hate"]


def out_of_hours_reply(team: Team, at: datetime) -> str | None:
    """The out-of-hours text for a message received ``at``; None when the team is open or has none."""
    if team.out_of_hours is None or is_open(team, at):
        return None
    reply = team.out_of_hours
    opening = next_opening(team, at).astimezone(team.zone)
    day = opening_day(opening, at.astimezone(team.zone), reply.day_names)
    return reply.text.format(next_opening_time=opening.strftime("%H:%M"), next_opening_day=day)


def peak_active(charter: Charter, *, backlog: int, forecast_breaches: int) -> bool:
    """True when either threshold set in ``[peak]`` is reached.

    ``backlog``: open conversations waiting for an answer. ``forecast_breaches``: open conversations whose
    clock is at risk or breached now (the SLA engine's states).
    """
    peak = charter.peak
    if peak is None or not peak.enabled:
        return False
    by_backlog = peak.backlog_at_least is not None and backlog >= peak.backlog_at_least
    by_forecast = (
        peak.forecast_breaches_at_least is not None and forecast_breaches >= peak.forecast_breaches_at_least
    )
    return by_backlog or by_forecast


def peak_acknowledgement(charter: Charter, kind: str) -> str | None:
    """The acknowledgement text for a new item of ``kind`` during a peak; None if that kind gets none."""
    peak = charter.peak
    if peak is None or kind not in peak.kinds:
        return None
    return peak.text.format(hours=peak.promise_hours)


def private_reasons(
    charter: Charter,
    *,
    urgency: str | None,
    topics: Iterable[str],
    pii_kinds: Iterable[str],
    reason: str | None = None,
) -> list[str]:
    """Why a public conversation should move to private messages (dotted charter keys); empty: stay public.
    ``topics`` are the conversation's tags; its contact ``reason`` counts as one more (``privacy.topics``
    may name contact reasons, e.g. billing_payment)."""
    rules = charter.privacy
    reasons = [f"privacy.urgencies.{urgency}" for u in rules.urgencies if u == urgency]
    wanted = {t.strip().lower() for t in topics} | ({reason} if reason else set())
    reasons += [f"privacy.topics.{t}" for t in rules.topics if t in wanted]
    found = set(pii_kinds)
    reasons += [f"privacy.pii.{k}" for k in rules.pii if k in found]
    return reasons


def moderation_action(charter: Charter, category: ModerationCategory) -> ModerationAction:
    """``hide`` or ``mark`` for a spam, insulting or hateful item; either way it is never answered."""
    action: ModerationAction = getattr(charter.moderation, category)
    return action


def brand_for(charter: Charter, channel: str) -> Brand | None:
    """The brand a channel speaks for (tone, signature); else the only brand, if it lists no channels."""
    for brand in charter.brands.values():
        if channel in brand.channels:
            return brand
    only = list(charter.brands.values())
    return only[0] if len(only) == 1 and not only[0].channels else None
