"""The escalation alert's JSON: a Slack/Teams ``text`` line plus structured fields. Pure: ``now`` is given.

Customer text is quoted with Slack's three escapes (``&``, ``<``, ``>``), so a message cannot ping a channel
(``<!channel>``) or smuggle a link into the alert.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from inbox.charter.model import Charter
from inbox.charter.open_clocks import OpenClock
from inbox.charter.sla import SlaResult

LABELS = {
    "critical": ":rotating_light: Critical message",
    "at_risk": ":hourglass_flowing_sand: At risk",
    "breached": ":red_circle: Breached",
}
KIND_NAMES = {"public": "public mention", "private": "private message", "listening": "listening post"}
SNIPPET = 140


def slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _minutes(delta: timedelta) -> str:
    total = int(abs(delta).total_seconds() // 60)
    hours, minutes = divmod(total, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


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
    zone = charter.team(charter.sla.team).zone if charter.sla.team in charter.teams else None
    due = result.due_at.astimezone(zone) if zone else result.due_at
    left = result.remaining
    timing = f"{_minutes(left)} left" if left >= timedelta() else f"{_minutes(left)} late"
    who = f"@{clock.handle}" if clock.handle else "a customer"
    words = " ".join(snippet.split())
    quoted = slack_escape(words if len(words) <= SNIPPET else words[: SNIPPET - 1] + "…")
    number = f"conversation #{clock.conversation_id}"
    text = (
        f"{LABELS.get(kind, kind)}: {slack_escape(who)} on {slack_escape(clock.channel)} "
        f"({KIND_NAMES.get(clock.kind, clock.kind)}), {f'<{link}|{number}>' if link else number}. "
        f"Due {due:%d %b %H:%M} ({timing}, target {result.target.minutes} min). “{quoted}”"
    )
    return {
        "text": text,
        "alert": {
            "kind": kind,
            "key": key,
            "conversation_id": clock.conversation_id,
            "channel": clock.channel,
            "customer": clock.handle,
            "conversation_kind": clock.kind,
            "urgency": clock.urgency,
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
