"""A person's record (``record.person_record``) as a page they can read: one standalone HTML document.

The answer to a right-of-access request must be intelligible to the person, not only to a machine: this
renders the same record, in the current language (French or English), with times in ``zone``. What they
wrote and what we wrote to them come first, then their profiles, what our agents noted, their survey
answers, where else we hold data naming them and the record of what was done with their data. The JSON
export stays the complete, machine-readable copy (portability); this page leaves out platform payloads and
classification scores. Pure: no I/O; every value is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, tzinfo
from html import escape
from typing import Any

from inbox import i18n
from inbox.i18n import N_, _
from inbox.privacy.audit_labels import action_label

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.45}"
    "table{border-collapse:collapse;margin:.5rem 0 1.2rem}"
    "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}"
    ".them{background:#f3f6fb}.us{background:#f4f9f1}"
    ".msg{padding:.4rem .6rem;margin:.3rem 0;border-radius:4px}"
    ".when{color:#555;font-size:.9em}"
)
ELSEWHERE = {  # record key -> what it holds, for the person
    "messages_of_others": N_("Other customers' messages that name you (their words are theirs: listed only)"),
    "notes": N_("Our agents' notes in other conversations"),
    "our_replies": N_("Our replies in other conversations"),
    "incidents": N_("Incidents"),
    "alerts": N_("Alerts to our team"),
    "audit_events": N_("Other entries of our audit trail"),
    "quarantined": N_("Items we could not read"),
    "webhook_events": N_("Notifications received from the platforms"),
}


def _time(value: Any, zone: tzinfo) -> str:
    """An ISO 8601 time of the record, in ``zone`` and the current language; as given if not one."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return value
    return i18n.when(at, zone, year=True) if at.tzinfo else value


def _tag(name: str, words: str) -> str:
    """``words`` (already in the reader's language) escaped inside an HTML element."""
    return f"<{name}>{escape(words)}</{name}>"


def _cell(value: Any) -> str:
    if value is None or value == [] or value == {}:
        return "—"
    if isinstance(value, list | tuple):
        return escape(", ".join(str(v) for v in value))
    return escape(str(value))


def _table(rows: Sequence[tuple[str, Any]]) -> str:
    cells = "".join(f"<tr><th>{escape(label)}</th><td>{_cell(value)}</td></tr>" for label, value in rows)
    return f"<table>{cells}</table>"


def _profiles(profiles: Iterable[Mapping[str, Any]], zone: tzinfo) -> str:
    out = [_tag("h2", _("Your accounts as we know them"))]
    for p in profiles:
        privacy = p.get("privacy") or {}
        rows = [
            (_("Channel"), p.get("channel")),
            (_("Handle"), p.get("handle")),
            (_("Name"), p.get("display_name")),
            (_("Platform id"), p.get("platform_id")),
            (_("Followers"), p.get("followers")),
            (_("Labels"), p.get("tags")),
            (_("First seen"), _time(p.get("created_at"), zone)),
            (_("Automatic messages refused since"), _time(privacy.get("opted_out_at"), zone) or None),
            (_("Kept for a legal reason"), _("yes") if privacy.get("legal_hold") else _("no")),
        ]
        out.append(_table(rows))
    return "".join(out)


def _message(m: Mapping[str, Any], zone: tzinfo) -> str:
    ours = m.get("direction") == "out"
    who = _("Us") if ours else _("You")
    head = f"{escape(who)} · <span class='when'>{escape(_time(m.get('created_at'), zone))}</span>"
    text = escape(str(m.get("text") or "")).replace("\n", "<br>")
    return f"<div class='msg {'us' if ours else 'them'}'>{head}<br>{text}</div>"


def _conversation(c: Mapping[str, Any], zone: tzinfo) -> str:
    started = _time(c.get("first_inbound_at") or c.get("created_at"), zone)
    kind = _("public") if c.get("visibility") == "public" else _("private messages")
    title = _("{channel} · {kind} · from {when}").format(
        channel=c.get("channel") or "?", kind=kind, when=started
    )
    out = [f"<h3>{escape(title)}</h3>"]
    if not c.get("theirs"):
        out.append(_tag("p", _("A conversation of another customer in which you wrote.")))
    out += [_message(m, zone) for m in c.get("messages") or []]
    notes = c.get("notes") or []
    if notes:
        out.append(_tag("h4", _("Notes written by our agents")))
        out += [
            f"<p><span class='when'>{escape(_time(n.get('created_at'), zone))}</span> {_cell(n.get('text'))}"
            "</p>"
            for n in notes
        ]
    for s in c.get("surveys") or []:
        said = _("Survey ({kind}) sent {sent}: your answer {score}").format(
            kind=s.get("kind") or "?",
            sent=_time(s.get("sent_at"), zone) or "—",
            score=s.get("score") if s.get("score") is not None else "—",
        )
        out.append(f"<p>{escape(said)}</p>")
    return "".join(out)


def _elsewhere(found: Mapping[str, Sequence[Mapping[str, Any]]]) -> str:
    rows = [(_(label), len(found.get(key) or [])) for key, label in ELSEWHERE.items() if found.get(key)]
    if not rows:
        return ""
    intro = _("Data outside your own conversations that names you (full details in the JSON export):")
    return _tag("h2", _("Elsewhere")) + _tag("p", intro) + _table(rows)


def _trail(events: Sequence[Mapping[str, Any]], zone: tzinfo) -> str:
    if not events:
        return ""
    rows = "".join(
        f"<tr><td>{escape(_time(e.get('at'), zone))}</td>"
        f"<td>{escape(action_label(str(e.get('action'))))}</td></tr>"
        for e in events
    )
    head = "<tr>" + _tag("th", _("When")) + _tag("th", _("What was done")) + "</tr>"
    return _tag("h2", _("What was done with your data")) + f"<table>{head}{rows}</table>"


def record_html(record: Mapping[str, Any], zone: tzinfo) -> str:
    """The whole record as one HTML document in the current language."""
    title = _("Personal data held about {subject}").format(subject=record.get("subject") or "")
    generated = _("Prepared on {when}.").format(when=_time(record.get("generated_at"), zone))
    conversations = record.get("conversations") or []
    body = [
        _tag("h1", title) + _tag("p", generated),
        _tag("h2", _("Your conversations with us")),
        *(_conversation(c, zone) for c in conversations),
        "" if conversations else _tag("p", _("None.")),
        _profiles(record.get("profiles") or [], zone),
        _elsewhere(record.get("named_elsewhere") or {}),
        _trail(record.get("audit_events") or [], zone),
    ]
    lang = escape(i18n.current())
    return (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{STYLE}</style></head><body>{''.join(body)}</body></html>\n"
    )
