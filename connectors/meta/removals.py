"""Pure reading of what customers deleted, and of WhatsApp customers who changed number, in a Meta webhook
body. No I/O.

Facebook sends a Page ``feed`` change with ``verb: "remove"`` when a comment (``item`` comment or reply:
its ``comment_id``) or a visitor's post on the Page (``item`` post or status: its ``post_id``) is deleted.
A Messenger or Instagram message its sender unsent comes again as a ``messaging`` event whose ``message``
has ``is_deleted: true`` (its ``mid``). A WhatsApp customer's deleted message is a ``revoke`` message
naming the ``original_message_id`` (sent for numbers shared with the WhatsApp Business app). Instagram
comment webhooks carry no deletion: nothing is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from connectors._payload import PayloadError, load_json

T = TypeVar("T")

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


def _change_values(body: Mapping[str, Any], obj: str, field: str) -> Iterator[Mapping[str, Any]]:
    """The ``value`` of each change of ``field`` in a webhook body for ``obj``; other shapes skipped."""
    if body.get("object") != obj:
        return
    for entry in _list(body.get("entry")):
        for change in _list(entry.get("changes")) if isinstance(entry, Mapping) else []:
            value = change.get("value") if isinstance(change, Mapping) else None
            if isinstance(change, Mapping) and change.get("field") == field and isinstance(value, Mapping):
                yield value


def _revoked(m: Any) -> str | None:
    revoke = m.get("revoke") if isinstance(m, Mapping) and m.get("type") == "revoke" else None
    ident = revoke.get("original_message_id") if isinstance(revoke, Mapping) else None
    return ident if isinstance(ident, str) and ident else None


def removed_ids(body: Mapping[str, Any]) -> list[str]:
    """The platform ids of the comments and posts removed in one Page webhook body, in order; anything of
    another shape is skipped."""
    found = [_removed(value) for value in _change_values(body, "page", "feed")]
    return list(dict.fromkeys(i for i in found if i is not None))


def unsent_ids(body: Mapping[str, Any]) -> list[str]:
    """The Messenger or Instagram messages unsent in one webhook body (``message.is_deleted``), in order."""
    if body.get("object") not in ("page", "instagram"):
        return []
    found: list[str] = []
    for entry in _list(body.get("entry")):
        for ev in _list(entry.get("messaging")) if isinstance(entry, Mapping) else []:
            msg = ev.get("message") if isinstance(ev, Mapping) else None
            mid = msg.get("mid") if isinstance(msg, Mapping) and msg.get("is_deleted") is True else None
            if isinstance(mid, str) and mid:
                found.append(mid)
    return list(dict.fromkeys(found))


def echoed_keys(body: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(metadata, mid)`` of each Messenger echo (``is_echo``) in one webhook body that carries metadata."""
    if body.get("object") != "page":
        return []
    found: list[tuple[str, str]] = []
    for entry in _list(body.get("entry")):
        for ev in _list(entry.get("messaging")) if isinstance(entry, Mapping) else []:
            msg = ev.get("message") if isinstance(ev, Mapping) else None
            if not isinstance(msg, Mapping) or msg.get("is_echo") is not True:
                continue
            key, mid = msg.get("metadata"), msg.get("mid")
            if isinstance(key, str) and key and isinstance(mid, str) and mid:
                found.append((key, mid))
    return list(dict.fromkeys(found))


def revoked_ids(body: Mapping[str, Any]) -> list[str]:
    """The WhatsApp messages their senders deleted in one webhook body (``revoke`` messages), in order;
    anything of another shape is skipped."""
    values = _change_values(body, "whatsapp_business_account", "messages")
    found = [_revoked(m) for value in values for m in _list(value.get("messages"))]
    return list(dict.fromkeys(i for i in found if i is not None))


def moved_id(m: Any) -> tuple[str, str] | None:
    """``(old id, new id)`` of a WhatsApp system message saying the customer changed number (``from`` → the
    new ``wa_id``; ``new_wa_id`` before Graph v12) or business-scoped user id (``previous_user_id`` →
    ``user_id``); None for any other message."""
    system = m.get("system") if isinstance(m, Mapping) and m.get("type") == "system" else None
    if not isinstance(system, Mapping):
        return None
    kind = system.get("type")
    if kind in ("user_changed_number", "customer_changed_number"):
        old, new = m.get("from"), system.get("wa_id") or system.get("new_wa_id")
    elif kind == "user_changed_user_id":
        old, new = system.get("previous_user_id"), system.get("user_id")
    else:
        return None
    ids = [str(i) if isinstance(i, int) and not isinstance(i, bool) else i for i in (old, new)]
    ok = all(isinstance(i, str) and i for i in ids) and ids[0] != ids[1]
    return (str(ids[0]), str(ids[1])) if ok else None


def moved_ids(body: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The WhatsApp customers who changed number or user id in one webhook body, in order."""
    values = _change_values(body, "whatsapp_business_account", "messages")
    found = [moved_id(m) for value in values for m in _list(value.get("messages"))]
    return list(dict.fromkeys(i for i in found if i is not None))


def read_ids(body: bytes, read: Callable[[Mapping[str, Any]], list[T]]) -> list[T]:
    """``read`` applied to a raw webhook body; nothing when it is not a JSON object."""
    try:
        payload = load_json(body)
    except PayloadError:
        return []
    return read(payload) if isinstance(payload, Mapping) else []
