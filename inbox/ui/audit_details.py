"""The audit log's details in words, for the commonest actions; the others (or an unexpected shape) as their
stored JSON.

The CSV export keeps the JSON (stable keys, for scripts); the page shows people "personne → Alex (en
répondant)" rather than ``{"from": null, "rule": "reply", "to": 2}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from inbox.i18n import N_, _
from inbox.ui import audit_details_channels, audit_details_more
from inbox.ui.labels import AVAILABILITY, ROLE, STATUS, VISIBILITY, label, language
from inbox.ui.labels import tag as tag_word

Users = Mapping[int, str]
RULES = {
    "next": N_("Next conversation"),
    "reply": N_("by answering"),
    "live": N_("automatic assignment"),
    "channels": N_("channels changed"),
}


def _who(user_id: object, users: Users) -> str:
    if user_id is None:
        return _("nobody")
    return users.get(user_id, f"#{user_id}") if isinstance(user_id, int) else str(user_id)


def _assigned(d: Mapping[str, Any], users: Users) -> str | None:
    if "to" not in d:
        return None
    to = _who(d.get("to"), users)
    moved = f"{_who(d.get('from'), users)} → {to}" if "from" in d else to
    rule = d.get("rule")
    return f"{moved} ({_(RULES[rule])})" if rule in RULES else moved


def _status(d: Mapping[str, Any], users: Users) -> str | None:
    if "to" not in d:
        return None
    said = f"{label(STATUS, d.get('from'))} → {label(STATUS, d.get('to'))}"
    return f"{said} · {d['reason']}" if d.get("reason") else said


def _tags(d: Mapping[str, Any], users: Users) -> str | None:
    if "to" not in d:
        return None

    def words(tags: object) -> str:
        return ", ".join(tag_word(str(t)) for t in tags) if isinstance(tags, list) and tags else "—"

    return f"{words(d.get('from'))} → {words(d.get('to'))}"


def _reply(d: Mapping[str, Any], users: Users) -> str | None:
    if "reply" not in d:
        return None
    said = _("reply #{id}").format(id=d.get("reply"))
    if d.get("visibility"):
        said += f", {label(VISIBILITY, str(d['visibility']))}"
    if d.get("error"):
        said += f": {d['error']}"
    return said


def _changed(say: Callable[[Any], str]) -> Callable[[Mapping[str, Any], Users], str | None]:
    """An account's change in words: "alice: 20 → 6", each side said by ``say``."""

    def words(d: Mapping[str, Any], users: Users) -> str | None:
        if "to" not in d:
            return None
        moved = f"{say(d.get('from'))} → {say(d.get('to'))}"
        return _("{name}: {change}").format(name=d["name"], change=moved) if d.get("name") else moved

    return words


def _languages(codes: object) -> str:
    return ", ".join(language(str(c)) for c in codes) if isinstance(codes, list) and codes else "—"


WORDS: dict[str, Callable[[Mapping[str, Any], Users], str | None]] = {
    "user.role": _changed(lambda r: label(ROLE, r)),
    "user.languages": _changed(_languages),
    "user.capacity": _changed(lambda n: str(n) if n is not None else "—"),
    "user.availability": _changed(lambda s: label(AVAILABILITY, s)),
    "conversation.assigned": _assigned,
    "conversation.status": _status,
    "conversation.tags": _tags,
    "reply.queued": _reply,
    "reply.sent": _reply,
    "reply.failed": _reply,
}


def said_of(action: str, detail: Mapping[str, Any], users: Users) -> str | None:
    """``detail`` in words for ``action``, or None when the action has no words or the shape is unknown."""
    words = (
        WORDS.get(action) or audit_details_more.WORDS.get(action) or audit_details_channels.WORDS.get(action)
    )
    return None if words is None else words(detail, users)


def detail_words(action: str, detail: str, users: Users) -> str:
    """``detail`` (the stored JSON) in words for ``action``; as stored when it has none or is unreadable."""
    if not detail:
        return detail
    try:
        parsed = json.loads(detail)
    except ValueError:
        return detail
    words = said_of(action, parsed, users) if isinstance(parsed, dict) else None
    return detail if words is None else words
