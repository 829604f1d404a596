"""Pure reading of what customers deleted, in a Meta webhook body. No I/O.

Facebook sends a Page ``feed`` change with ``verb: "remove"`` when a comment (``item`` comment or reply:
its ``comment_id``) or a visitor's post on the Page (``item`` post or status: its ``post_id``) is deleted.
Instagram comment webhooks and Messenger/Instagram/WhatsApp messages carry no deletion: nothing is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

COMMENTS = ("comment", "reply")
POSTS = ("post", "status", "photo", "video")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _removed(value: Mapping[str, Any]) -> str | None:
    if value.get("verb") != "remove":
        return None
    item = value.get("item")
    key = "comment_id" if item in COMMENTS else "post_id" if item in POSTS else None
    ident = value.get(key) if key else None
    return str(ident) if isinstance(ident, str | int) and not isinstance(ident, bool) and ident else None


def removed_ids(body: Mapping[str, Any]) -> list[str]:
    """The platform ids of the comments and posts removed in one Page webhook body, in order; anything of
    another shape is skipped."""
    if body.get("object") != "page":
        return []
    found: list[str] = []
    for entry in _list(body.get("entry")):
        for change in _list(entry.get("changes")) if isinstance(entry, Mapping) else []:
            value = change.get("value") if isinstance(change, Mapping) else None
            if isinstance(change, Mapping) and change.get("field") == "feed" and isinstance(value, Mapping):
                ident = _removed(value)
                if ident is not None and ident not in found:
                    found.append(ident)
    return found
