"""The Channels page's stream and credential names in words, the configured name beside them.

A stream reads "Private messages (dms)": the words for the admin, the name the listener's log lines and
``inbox`` print ("tg-acme/updates") in brackets. A search stream names its query: 'Search "acme"
(search:acme)'. A stream the table does not know is shown as its name. A credential reads as the
add-a-channel form labels it: "bearer token", not ``bearer_token``.
"""

from __future__ import annotations

import json

from inbox.i18n import N_, _

STREAMS = {
    "mentions": N_("Mentions"),
    "dms": N_("Private messages"),
    "dms_open": N_("Private messages opened"),
    "messages": N_("Messages"),
    "comments": N_("Comments"),
    "notifications": N_("Notifications"),
    "updates": N_("Bot updates"),
    "convos": N_("Chat conversations"),
    "webhook": N_("Webhook events"),
    "webhooks": N_("Webhook events"),
    "listening": N_("Listening"),
}


def stream_label(name: str) -> str:
    """A stream in words with its name: "Mentions (mentions)"; a search stream with its query."""
    kind, sep, query = name.partition(":")
    if sep and kind == "search":
        return _("Search “{query}” ({name})").format(query=query, name=name)
    return f"{_(STREAMS[name])} ({name})" if name in STREAMS else name


def credential_label(role: str) -> str:
    """A credential's role as the add-a-channel form labels it: "bearer token"."""
    return role.replace("_", " ")


INTERNAL = ("trail",)  # a cursor's bookkeeping no admin reads: the fingerprints of the pages a sweep followed


def cursor_shown(cursor: str | None) -> str:
    """A stream's cursor as the Channels page shows it: a JSON cursor without its internal keys (the
    listener keeps them); any other cursor as stored."""
    if not cursor or not cursor.startswith("{"):
        return cursor or ""
    try:
        value = json.loads(cursor)
    except ValueError:
        return cursor
    if not isinstance(value, dict):
        return cursor
    return json.dumps({k: v for k, v in value.items() if k not in INTERNAL}, ensure_ascii=False)
