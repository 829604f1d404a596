"""WhatsApp Cloud API messages in a webhook ``messages`` change: a customer's message (text, media, a
tapped button, a location…), their edit of one (``edit``, naming the original: the inbox updates it), and
the messages the business typed in the WhatsApp Business app on a number shared with the Cloud API
(``smb_message_echoes``: the brand's answers, which stop the clock). Deletions, moves and delivery statuses
are read elsewhere (``connectors.meta.removals``, ``connectors.meta.events.statuses``). Pure; no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from connectors.base import Author, Direction, InboundItem
from connectors.meta.parse import PayloadError, obj_field, parse_time, text_field, words
from connectors.meta.removals import moved_id


def wa_text(m: Mapping[str, Any]) -> str | None:
    """The readable text of a WhatsApp message; None for reactions and for ``request_welcome`` (someone
    opened the chat for the first time without writing): not messages to answer."""
    kind = m.get("type")
    if kind == "contacts":
        return _contacts_text(m.get("contacts"))
    body = m.get(kind) if isinstance(kind, str) and isinstance(m.get(kind), Mapping) else {}
    assert isinstance(body, Mapping)
    if kind == "text":
        return text_field(body, "body") or ""
    if kind in ("reaction", "request_welcome"):
        return None
    if kind in ("image", "video", "document", "audio", "sticker"):
        label = "[voice message]" if kind == "audio" and body.get("voice") is True else f"[{kind}]"
        return words(label, body.get("filename"), body.get("caption"))
    if kind == "button":
        return str(body.get("text", "[button]"))
    if kind == "interactive":
        reply = body.get("button_reply") or body.get("list_reply") or {}
        return str(reply.get("title", "[interactive]")) if isinstance(reply, Mapping) else "[interactive]"
    if kind == "location":
        lat, long = body.get("latitude"), body.get("longitude")
        where = f"{lat},{long}" if lat is not None and long is not None else None
        return words("[location]", body.get("name"), body.get("address"), where)
    if kind == "unsupported" and isinstance(body.get("type"), str):  # a poll, a view-once photo…: ask again
        return f"[unsupported message: {body['type']}]"
    if kind == "system" and isinstance(body.get("body"), str):  # "User … changed from <old> to <new>"
        return str(body["body"])
    return f"[{kind or 'unknown'} message]"


def _contacts_text(cards: Any) -> str:
    """A shared contact card, a line each: ``[contact] <name> <phone>…``."""
    lines = []
    for card in cards if isinstance(cards, list) else []:
        card = card if isinstance(card, Mapping) else {}
        name: Any = card.get("name") if isinstance(card.get("name"), Mapping) else {}
        phones: Any = card.get("phones") if isinstance(card.get("phones"), list) else []
        numbers = [p.get("phone") for p in phones if isinstance(p, Mapping)]
        lines.append(words("[contact]", name.get("formatted_name"), *numbers))
    return "\n".join(lines) or "[contact]"


def wa_items(value: Mapping[str, Any], *, channel: str, phone_number_id: str) -> list[Any]:
    """The messages of one WhatsApp ``messages`` change value, for our number only, as objects to parse."""
    meta = obj_field(value, "metadata") or {}
    if str(meta.get("phone_number_id", phone_number_id)) != phone_number_id:
        return []
    contacts = value.get("contacts") if isinstance(value.get("contacts"), list) else []
    messages = value.get("messages") or []
    if not isinstance(messages, list):
        raise PayloadError("field 'messages' should be a list")
    return [{"_message": m, "_contacts": contacts} for m in messages]


def wa_item(wrapped: Mapping[str, Any], *, channel: str) -> InboundItem | None:
    """One WhatsApp message with its sender's contact card; the thread is the customer (wa_id or BSUID)."""
    m = wrapped["_message"]
    if not isinstance(m, Mapping):
        raise PayloadError("message is not an object")
    contact = _contact(wrapped["_contacts"], m)
    sender = str(m.get("from") or contact.get("wa_id") or contact.get("user_id") or "")
    if not sender:
        raise PayloadError("message has no 'from' and no contact id")
    if m.get("type") == "revoke" or moved_id(m):  # a deletion or a move (connectors.meta.removals)
        return None
    edit = obj_field(m, "edit") if m.get("type") == "edit" else None
    inner = (obj_field(edit, "message") or {}) if edit is not None else m
    text = wa_text(inner)
    if text is None:
        return None
    profile = obj_field(contact, "profile") or {}
    context = obj_field(inner, "context")
    author = Author(platform_id=sender, handle=profile.get("username"), display_name=profile.get("name"))
    item = replace(
        _private(m, channel, sender, "in", author, text, {"message": dict(m), "contact": dict(contact)}),
        reply_to=str(context["id"]) if context and context.get("id") else None,
    )
    # An edit (numbers shared with the WhatsApp Business app) is its own item naming the message it changes:
    # the inbox updates that message in place.
    return replace(item, edits=(text_field(edit, "original_message_id") or "",)) if edit is not None else item


def _contact(contacts: Any, m: Mapping[str, Any]) -> Mapping[str, Any]:
    cards = [c for c in contacts if isinstance(c, Mapping)] if isinstance(contacts, list) else []
    for c in cards:
        if m.get("from") and m.get("from") in (c.get("wa_id"), c.get("user_id")):
            return c
    return cards[0] if len(cards) == 1 else {}


def wa_echoes(value: Mapping[str, Any], *, phone_number_id: str) -> list[Any]:
    """The messages the business sent from the WhatsApp Business app (a ``smb_message_echoes`` change), for
    our number only, as objects to parse."""
    meta = obj_field(value, "metadata") or {}
    if str(meta.get("phone_number_id", phone_number_id)) != phone_number_id:
        return []
    echoes = value.get("message_echoes") or []
    if not isinstance(echoes, list):
        raise PayloadError("field 'message_echoes' should be a list")
    return [{"_echo": m} for m in echoes]


def wa_echo_item(m: Any, *, channel: str) -> InboundItem | None:
    """One message the business typed in the app: the brand's, in the conversation with its recipient."""
    if not isinstance(m, Mapping):
        raise PayloadError("message echo is not an object")
    to, business = text_field(m, "to") or "", text_field(m, "from") or ""
    text = wa_text(m)
    if text is None or m.get("type") in ("edit", "revoke"):  # the business's own edits and deletions
        return None
    return _private(m, channel, to, "out", Author(platform_id=business), text, {"echo": dict(m)})


def _private(
    m: Mapping[str, Any],
    channel: str,
    customer: str,
    direction: Direction,
    author: Author,
    text: str,
    raw: dict[str, Any],
) -> InboundItem:
    """A message of the private conversation with ``customer`` (their wa_id), at the message's time."""
    return InboundItem(
        channel=channel,
        external_id=text_field(m, "id") or "",
        thread_key=customer,
        kind="dm",
        visibility="private",
        direction=direction,
        author=author,
        text=text,
        created_at=parse_time(m.get("timestamp")),
        raw=raw,
    )
