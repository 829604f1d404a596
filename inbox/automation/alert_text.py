"""The escalation alert's JSON: a Slack/Teams ``text`` line plus structured fields. Pure: ``now`` is given.

The line is written in the team's language (the charter's ``[ui] default_language``, chosen by the caller with
``inbox.i18n.use_language``, as spike and peak alerts are); the structured fields keep stable English keys.

Customer text is quoted with Slack's three escapes (``&``, ``<``, ``>``), so a message cannot ping a channel
(``<!channel>``) or smuggle a link into the alert.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from inbox.charter.model import Charter
from inbox.charter.open_clocks import OpenClock
from inbox.charter.sla import SlaResult
from inbox.i18n import N_, _, duration, when

LABELS = {
    "critical": N_(":rotating_light: Critical message"),
    "at_risk": N_(":hourglass_flowing_sand: At risk"),
    "breached": N_(":red_circle: Breached"),
}
KIND_NAMES = {
    "public": N_("public mention"),
    "private": N_("private message"),
    "listening": N_("listening post"),
}
SNIPPET = 140


def slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def customer_words(handle: str | None, name: str | None) -> str:
    """Who wrote, as the queue names them: "@handle", else their display name, else "a customer"."""
    if handle:
        return f"@{handle}"
    return name or _("a customer")


def alert_payload(
    key: str,
    clock: OpenClock,
    result: SlaResult,
    snippet: str,
    charter: Charter,
    now: datetime,
    link: str | None = None,
) -> dict[str, Any]:
    """The body posted for alert ``key`` (``critical``, ``at_risk``, ``breached#2`` ...); ``link`` (the
    conversation in the app) becomes a Slack link on the conversation number."""
    kind = key.split("#", 1)[0]
    team = charter.teams.get(charter.sla.team)
    zone = team.zone if team is not None else UTC
    left = result.remaining
    timing = (_("{duration} left") if left >= timedelta() else _("{duration} late")).format(
        duration=duration(left)
    )
    who = customer_words(clock.handle, clock.name)
    words = " ".join(snippet.split())
    quoted = slack_escape(words if len(words) <= SNIPPET else words[: SNIPPET - 1] + "…")
    number = _("conversation #{id}").format(id=clock.conversation_id)
    text = _(
        "{label}: {who} on {channel} ({kind}), {conversation}. "
        "Due {due} ({timing}, target {target} min). “{quoted}”"
    ).format(
        label=_(LABELS[kind]) if kind in LABELS else kind,
        who=slack_escape(who),
        channel=slack_escape(clock.channel),
        kind=_(KIND_NAMES[clock.kind]) if clock.kind in KIND_NAMES else clock.kind,
        conversation=f"<{link}|{number}>" if link else number,
        due=when(result.due_at, zone),
        timing=timing,
        target=result.target.minutes,
        quoted=quoted,
    )
    return {
        "text": text,
        "alert": {
            "kind": kind,
            "key": key,
            "conversation_id": clock.conversation_id,
            "channel": clock.channel,
            "customer": clock.handle,
            "customer_name": clock.name,
            "conversation_kind": clock.kind,
            "urgency": result.urgency,  # a contact reason's urgency bump included
            "reason": clock.reason,
            "state": result.state,
            "cycle": result.current.number,
            "due_at": result.due_at.isoformat(),
            "target_minutes": result.target.minutes,
            "elapsed_minutes": round(result.elapsed.total_seconds() / 60, 1),
            "rule": result.target.rule,
            "at": now.isoformat(),
            "url": link,
        },
    }
