"""The audit log's details in words for the automation's, the incidents' and the accounts' actions (the
commonest after replies and assignments, which ``inbox.ui.audit_details`` words): a French DPO reads
"message n° 12, conversation close : plus rien à répondre", not ``{"message": 12, "clock_stopped": true}``.

Each function returns None for a shape it does not know; the page then shows the stored JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from inbox import i18n
from inbox.i18n import N_, _, ngettext, number
from inbox.ui.labels import ROLE, label

Users = Mapping[int, str]
ALERTS = {"critical": N_("critical message"), "breached": N_("late"), "at_risk": N_("at risk")}
SIGN_IN_FAILURES = {
    "unknown user": N_("unknown user"),
    "bad password": N_("wrong password"),
    "inactive": N_("account deactivated"),
    "too many failures": N_("too many failures"),
}


def _parsed(stamp: object) -> datetime | None:
    """A stored ISO 8601 time (with the offset it was written with), or None."""
    try:
        at = datetime.fromisoformat(str(stamp))
    except ValueError:
        return None
    return at if at.tzinfo is not None else None


def _day(stamp: object) -> str:
    at = _parsed(stamp)
    return i18n.day(at) if at else str(stamp)


def _deleted(d: Mapping[str, Any], users: Users) -> str | None:
    if "message" not in d:
        return None
    said = _("message #{id}").format(id=d["message"])
    return said + ", " + _("conversation closed: nothing left to answer") if d.get("clock_stopped") else said


def _moved(d: Mapping[str, Any], users: Users) -> str | None:
    if "conversation_moved" not in d:
        return None
    if d["conversation_moved"]:
        return _("the conversation and the answers follow the new number")
    return _("they already wrote from the new number: two conversations")


def _incident(d: Mapping[str, Any], users: Users) -> str | None:
    if "incident" not in d:
        return None
    return _("incident #{id}").format(id=d["incident"])


def _declared(d: Mapping[str, Any], users: Users) -> str | None:
    return str(d["title"]) if d.get("title") else None


def _spike(d: Mapping[str, Any], users: Users) -> str | None:
    if not isinstance(d.get("count"), int):
        return None
    return ngettext("{n} message", "{n} messages", d["count"]).format(n=number(d["count"]))


def _peak(d: Mapping[str, Any], users: Users) -> str | None:
    if "backlog" not in d:
        return None
    return _("{backlog} waiting, {late} at risk or late").format(
        backlog=number(d["backlog"]), late=number(d.get("forecast_breaches") or 0)
    )


def _alert(d: Mapping[str, Any], users: Users) -> str | None:
    kind, _cycle, cycle = str(d.get("key", "")).partition(":")
    if kind not in ALERTS:
        return None
    said = _(ALERTS[kind])
    return said + " " + _("(response #{n})").format(n=cycle) if cycle else said


def _charter(d: Mapping[str, Any], users: Users) -> str | None:
    changes = d.get("changes")
    if not isinstance(changes, list):
        return None
    said = "; ".join(str(c) for c in changes) or _("no change")
    return f"{said} · {d['comment']}" if d.get("comment") else said


def _snoozed(d: Mapping[str, Any], users: Users) -> str | None:
    at = _parsed(d.get("until"))
    return _("until {when}").format(when=i18n.when(at, at.tzinfo, year=True)) if at and at.tzinfo else None


def _created(d: Mapping[str, Any], users: Users) -> str | None:
    if "name" not in d:
        return None
    return f"{d['name']} ({label(ROLE, d.get('role'))})" if d.get("role") else str(d["name"])


def _failed_sign_in(d: Mapping[str, Any], users: Users) -> str | None:
    reason = d.get("reason")
    return _(SIGN_IN_FAILURES[reason]) if reason in SIGN_IN_FAILURES else None


def _viewed(d: Mapping[str, Any], users: Users) -> str | None:
    f = d.get("filters")
    if not isinstance(f, dict) or "since" not in f:
        return None
    until = _parsed(f.get("until"))  # exclusive: the log shows the last day the period includes
    span = f"{_day(f['since'])} – {_day(until - timedelta(microseconds=1))}" if until else ""
    span = span or _("since {when}").format(when=_day(f["since"]))
    named = [str(f[k]) for k in ("actor", "action", "customer") if f.get(k)]
    if f.get("conversation"):
        named.append(_("conversation #{id}").format(id=f["conversation"]))
    return " · ".join([span, *named])


WORDS: dict[str, Callable[[Mapping[str, Any], Users], str | None]] = {
    "message.deleted_by_customer": _deleted,
    "customer.number_changed": _moved,
    "incident.joined": _incident,
    "incident.left": _incident,
    "incident.declared": _declared,
    "spike.started": _spike,
    "peak.started": _peak,
    "escalation.sent": _alert,
    "charter.saved": _charter,
    "conversation.snoozed": _snoozed,
    "user.created": _created,
    "auth.sign_in_failed": _failed_sign_in,
    "auth.sign_in_blocked": _failed_sign_in,
    "audit.viewed": _viewed,
}
