"""Spike and peak-plan alerts as JSON: a Slack/Teams ``text`` plus structured fields. Pure: times are given.

Written in the team's language (the charter's ``[ui] default_language``, chosen by the caller with
``inbox.i18n.use_language``); customer text is quoted with ``alert_text.slack_escape`` so it can neither ping
a channel nor smuggle a link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from inbox.automation.alert_text import SNIPPET, customer_words, slack_escape
from inbox.automation.spike_rule import Usual
from inbox.i18n import N_, _, duration, ngettext, number

URGENT = {"critical": N_("critical"), "high": N_("high")}  # the levels a top message's line names


@dataclass(frozen=True, slots=True)
class Scope:
    """What is watched: a channel (``query`` None) or one listening query of a channel."""

    channel: str
    query: str | None = None

    @property
    def key(self) -> str:
        return (
            f"listening:{self.channel}:{self.query}" if self.query is not None else f"channel:{self.channel}"
        )

    def label(self) -> str:
        if self.query is None:
            return slack_escape(self.channel)
        return _("listening “{query}” on {channel}").format(
            query=slack_escape(self.query), channel=slack_escape(self.channel)
        )


@dataclass(frozen=True, slots=True)
class TopMessage:
    conversation_id: int
    handle: str | None
    name: str | None
    text: str
    urgency: str | None
    link: str | None


def _quote(text: str) -> str:
    words = " ".join(text.split())
    return slack_escape(words if len(words) <= SNIPPET else words[: SNIPPET - 1] + "…")


def _line(m: TopMessage) -> str:
    number_ = f"#{m.conversation_id}"
    ref = f"<{m.link}|{number_}>" if m.link else number_
    who = slack_escape(customer_words(m.handle, m.name))
    urgency = f" ({_(URGENT[m.urgency])})" if m.urgency in URGENT else ""
    return "• " + _("{who}{urgency}: “{quoted}” {conversation}").format(
        who=who, urgency=urgency, quoted=_quote(m.text), conversation=ref
    )


def spike_payload(
    scope: Scope,
    count: int,
    level: int,
    base: Usual,
    window: timedelta,
    top: Sequence[TopMessage],
    now: datetime,
) -> dict[str, Any]:
    """The alert posted when a spike opens."""
    messages = ngettext("{n} message", "{n} messages", count).format(n=number(count))
    usually = (
        _(
            ":chart_with_upwards_trend: Spike on {scope}: {messages} in the last {window}, "
            "usually {usual} at this hour of the week (alert level {level})."
        )
        if base.weeks
        else _(
            ":chart_with_upwards_trend: Spike on {scope}: {messages} in the last {window}, "
            "{usual} per {window} over the last hours (alert level {level})."
        )
    )
    head = usually.format(
        scope=scope.label(),
        messages=messages,
        window=duration(window),
        usual=number(base.mean, 1),
        level=number(level),
    )
    lines = [head, *(_line(m) for m in top)]
    return {
        "text": "\n".join(lines),
        "spike": {
            "kind": "spike",
            "scope": scope.key,
            "channel": scope.channel,
            "query": scope.query,
            "count": count,
            "window_minutes": round(window.total_seconds() / 60),
            "usual": round(base.mean, 2),
            "usual_sd": round(base.sd, 2),
            "history_weeks": base.weeks,
            "baseline": "hour_of_week" if base.weeks else ("recent" if base.recent else "none"),
            "level": level,
            "at": now.isoformat(),
            "messages": [
                {
                    "conversation_id": m.conversation_id,
                    "customer": m.handle,
                    "customer_name": m.name,
                    "urgency": m.urgency,
                    "url": m.link,
                }
                for m in top
            ],
        },
    }


def peak_payload(
    started: bool, backlog: int, late: int, since: datetime | None, now: datetime
) -> dict[str, Any]:
    """The alert posted when the peak plan starts (``started``) or ends."""
    if started:
        text = ngettext(
            ":rotating_light: Peak plan on: {backlog} conversation waiting, {late} at risk or late. "
            "New public mentions get the peak acknowledgement.",
            ":rotating_light: Peak plan on: {backlog} conversations waiting, {late} at risk or late. "
            "New public mentions get the peak acknowledgement.",
            backlog,
        ).format(backlog=number(backlog), late=number(late))
    else:
        text = ngettext(
            ":white_check_mark: Peak plan off after {lasted}: {backlog} conversation waiting.",
            ":white_check_mark: Peak plan off after {lasted}: {backlog} conversations waiting.",
            backlog,
        ).format(lasted=duration(now - since) if since else "?", backlog=number(backlog))
    kind = "peak.started" if started else "peak.ended"
    return {
        "text": text,
        "spike": {
            "kind": kind,
            "scope": "peak",
            "backlog": backlog,
            "forecast_breaches": late,
            "since": since.isoformat() if since else None,
            "at": now.isoformat(),
        },
    }
