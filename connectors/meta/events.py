"""Pure parsing of Meta webhook events (Page feed, Messenger, Instagram, WhatsApp Cloud API). No I/O.

One verified POST body gives InboundItems: Page comments (``changes[].field == "feed"``), Instagram comments
(``"comments"``), Messenger and Instagram messages (``messaging[]``; the Page's own sends come back as echoes
with ``direction="out"``; a customer's ``message_edit`` names the message it edits) and WhatsApp messages
(``changes[].value.messages[]`` and the business app's ``smb_message_echoes``: ``connectors.meta.
whatsapp_events``). Delivery and read receipts and reactions are not messages and give nothing; WhatsApp
``statuses`` are read by ``statuses()``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from connectors.base import Author, InboundItem, Malformed
from connectors.boundary import malformed, seal_malformed
from connectors.meta.parse import (
    PayloadError,
    comment_item,
    id_field,
    obj_field,
    parse_each,
    parse_time,
    text_field,
    with_media,
    words,
)
from connectors.meta.whatsapp_events import wa_echo_item, wa_echoes, wa_item, wa_items

OBJECTS = {"facebook": "page", "instagram": "instagram", "whatsapp": "whatsapp_business_account"}
COMMENT_FIELDS = {"facebook": ("feed",), "instagram": ("comments", "live_comments")}


@dataclass(frozen=True, slots=True)
class DeliveryStatus:
    """A WhatsApp status for a message we sent: sent, delivered, read or failed (with Graph error codes)."""

    message_id: str
    status: str
    recipient_id: str | None
    errors: tuple[tuple[int, str], ...] = ()  # (code, title)
    callback: str | None = None  # the ``biz_opaque_callback_data`` the send carried (our outbox key)


def _attachment_line(a: Mapping[str, Any]) -> str:
    """One attachment in words (``attachment_text``)."""
    payload = a.get("payload") if isinstance(a.get("payload"), Mapping) else {}
    assert isinstance(payload, Mapping)
    kind, url = a.get("type"), payload.get("url") or a.get("url")
    url = url if isinstance(url, str) else None
    if payload.get("sticker_id") is not None:
        return words("[sticker]", url)
    if kind == "location":
        spot = payload.get("coordinates") if isinstance(payload.get("coordinates"), Mapping) else {}
        assert isinstance(spot, Mapping)
        where = f"{spot['lat']},{spot['long']}" if {"lat", "long"} <= set(spot) else None
        return words("[location]", a.get("title"), where, url)
    if kind in ("fallback", "share"):
        return words("[link]", a.get("title") or payload.get("title"), url)
    return words(f"[{kind if isinstance(kind, str) and kind else 'attachment'}]", url)


def attachment_text(attachments: Any) -> str:
    """A readable stand-in for attachments, one per line: ``[image] https://…``, ``[sticker] …``,
    ``[location] <title> <lat>,<long>``, ``[link] <title> <url>`` (a shared link or profile)."""
    items = attachments if isinstance(attachments, list) else []
    return "\n".join(_attachment_line(a) for a in items if isinstance(a, Mapping))


def messaging_item(ev: Mapping[str, Any], *, channel: str, brand_id: str) -> InboundItem | None:
    """A Messenger or Instagram ``messaging[]`` event; None for receipts and unsent messages (a deletion:
    ``connectors.meta.removals``)."""
    edit = obj_field(ev, "message_edit")
    if edit is not None:
        return message_edit_item(ev, edit, channel=channel, brand_id=brand_id)
    postback = obj_field(ev, "postback")
    if postback is not None:
        return postback_item(ev, postback, channel=channel, brand_id=brand_id)
    msg = obj_field(ev, "message")
    if msg is None or msg.get("is_deleted") is True:
        return None
    words = text_field(msg, "text", required=False) or ""
    text = "\n".join(t for t in (words, attachment_text(msg.get("attachments"))) if t)
    reply = msg.get("reply_to")
    item = _private_item(ev, channel, brand_id, echo=msg.get("is_echo") is True, text=text)
    mid = text_field(msg, "mid") or ""
    return replace(item, external_id=mid, reply_to=reply.get("mid") if isinstance(reply, Mapping) else None)


def message_edit_item(
    ev: Mapping[str, Any], edit: Mapping[str, Any], *, channel: str, brand_id: str
) -> InboundItem:
    """A ``message_edits`` event: the customer's new words for message ``mid``, as its own item naming it
    in ``edits`` (the inbox updates the message). Its id says which edit it is (``num_edit``, else the
    words), so the event sent twice is one."""
    mid = text_field(edit, "mid") or ""
    text = text_field(edit, "text", required=False) or ""
    count = edit.get("num_edit")
    version = str(count) if isinstance(count, int | str) and str(count).isdigit() else _digest(text)
    item = _private_item(ev, channel, brand_id, echo=False, text=text)
    return replace(item, external_id=f"{mid}:edit:{version}", edits=(mid,))


def postback_item(
    ev: Mapping[str, Any], postback: Mapping[str, Any], *, channel: str, brand_id: str
) -> InboundItem:
    """A button the customer tapped (a Messenger menu or "Get Started", an Instagram ice breaker such as
    "What are your opening hours?"): what it says, as their message. Its id is the postback's ``mid``
    (Graph v11+), else the customer and the time, so the event sent twice is one."""
    title = text_field(postback, "title", required=False) or text_field(postback, "payload") or ""
    item = _private_item(ev, channel, brand_id, echo=False, text=title)
    mid = text_field(postback, "mid", required=False)
    return replace(item, external_id=mid or f"postback:{item.author.platform_id}:{ev.get('timestamp')}")


def _private_item(
    ev: Mapping[str, Any], channel: str, brand_id: str, *, echo: bool, text: str
) -> InboundItem:
    """A private message of a ``messaging[]`` event, its id still to be set: the brand's own (an echo, or
    sent by the brand) belongs to the conversation with its recipient."""
    sender = id_field(obj_field(ev, "sender") or {})
    own = echo or sender == brand_id
    return InboundItem(
        channel=channel,
        external_id="",
        thread_key=id_field(obj_field(ev, "recipient") or {}) if own else sender,
        kind="dm",
        visibility="private",
        direction="out" if own else "in",
        author=Author(platform_id=sender),
        text=text,
        created_at=parse_time(ev.get("timestamp")),
        raw={"event": dict(ev)},
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def fb_feed_item(value: Mapping[str, Any], *, channel: str, page_id: str) -> InboundItem | None:
    """A Page ``feed`` change: a new comment, or an edited one (its own item, naming the comment in
    ``edits``, so the inbox updates it); None for posts, reactions and removals."""
    verb = value.get("verb")
    if value.get("item") != "comment" or verb not in ("add", "edited"):
        return None
    sender = obj_field(value, "from") or {}
    name = sender.get("name")
    comment_id = id_field(value, "comment_id")
    text = text_field(value, "message", required=False) or ""
    kind = "photo" if value.get("photo") else "video" if value.get("video") else None
    text = with_media(text, kind, value.get("photo") or value.get("video"))
    item = comment_item(
        channel=channel,
        brand_id=page_id,
        comment_id=comment_id,
        container_id=id_field(value, "post_id"),
        parent_id=str(value["parent_id"]) if value.get("parent_id") else None,
        author=Author(platform_id=id_field(sender), display_name=name if isinstance(name, str) else None),
        text=text,
        created_at=parse_time(value.get("created_time")),
        raw={"change": dict(value)},
    )
    if verb == "add":
        return item
    digest = _digest(text)  # one id per wording: a change sent twice is one
    return replace(item, external_id=f"{comment_id}:edit:{digest}", edits=(comment_id,))


def ig_comment_change(value: Mapping[str, Any], *, channel: str, ig_user_id: str, time: Any) -> InboundItem:
    """An Instagram ``comments`` change; its time is the entry's (the value carries none)."""
    sender = obj_field(value, "from") or {}
    media = obj_field(value, "media") or {}
    username = sender.get("username")
    return comment_item(
        channel=channel,
        brand_id=ig_user_id,
        comment_id=id_field(value),
        container_id=id_field(media),
        parent_id=text_field(value, "parent_id", required=False),
        author=Author(platform_id=id_field(sender), handle=username if isinstance(username, str) else None),
        text=text_field(value, "text", required=False) or "",
        created_at=parse_time(value.get("timestamp", time)),
        raw={"change": dict(value)},
    )


def _entry_objects(entry: Mapping[str, Any], platform: str, brand_id: str, channel: str) -> list[Any]:
    """Everything in one entry that may become an item, tagged with how to parse it."""
    out: list[Any] = [{"_messaging": ev} for ev in _list(entry, "messaging")]
    for change in _list(entry, "changes"):
        if not isinstance(change, Mapping) or not isinstance(change.get("value"), Mapping):
            out.append({"_bad_change": change})
        elif platform == "whatsapp" and change.get("field") == "messages":
            out.extend(wa_items(change["value"], channel=channel, phone_number_id=brand_id))
        elif platform == "whatsapp" and change.get("field") == "smb_message_echoes":
            out.extend(wa_echoes(change["value"], phone_number_id=brand_id))
        elif change.get("field") in COMMENT_FIELDS.get(platform, ()):
            out.append({"_comment": change["value"], "_time": entry.get("time")})
    return out


def _list(obj: Mapping[str, Any], key: str) -> list[Any]:
    value = obj.get(key) or []
    if not isinstance(value, list):
        raise PayloadError(f"field {key!r} should be a list")
    return value


def parse_event(
    body: Mapping[str, Any], *, platform: str, channel: str, brand_id: str, accounts: Collection[str] = ()
) -> tuple[list[InboundItem], list[Malformed]]:
    """Every item of one webhook POST, oldest first, plus what could not be parsed (never dropped). With
    ``accounts`` (the channel's Page and Instagram account ids), a Facebook or Instagram entry of another
    account (an app subscribed to several Pages posts them all to one address) is quarantined whole: its
    customers are not this channel's, and nothing of it is stored as theirs."""
    if body.get("object") != OBJECTS[platform]:
        error = f"webhook object {body.get('object')!r:.80} is not {OBJECTS[platform]!r} ({platform})"
        return [], [seal_malformed(Malformed(external_id=None, error=error, raw=dict(body)))]
    objects: list[Any] = []
    bad: list[Malformed] = []
    entries = body.get("entry")
    for entry in entries if isinstance(entries, list) else [entries]:
        try:
            if not isinstance(entry, Mapping):
                raise PayloadError("entry is not an object")
            _check_account(entry, platform, accounts)
            objects.extend(_entry_objects(entry, platform, brand_id, channel))
        except Exception as exc:  # noqa: BLE001 - a bad entry never loses the others
            bad.append(malformed({"entry": entry}, exc))

    def parse(obj: Mapping[str, Any]) -> InboundItem | None:
        if "_messaging" in obj:
            return messaging_item(_mapping(obj["_messaging"]), channel=channel, brand_id=brand_id)
        if "_comment" in obj and platform == "facebook":
            return fb_feed_item(obj["_comment"], channel=channel, page_id=brand_id)
        if "_comment" in obj:
            return ig_comment_change(obj["_comment"], channel=channel, ig_user_id=brand_id, time=obj["_time"])
        if "_message" in obj:
            return wa_item(obj, channel=channel)
        if "_echo" in obj:
            return wa_echo_item(obj["_echo"], channel=channel)
        raise PayloadError("change has no object 'value'")

    items, more_bad = parse_each(objects, parse)
    items.sort(key=lambda i: (i.created_at, i.external_id))
    return items, bad + [seal_malformed(_unwrap(b)) for b in more_bad]


def _check_account(entry: Mapping[str, Any], platform: str, accounts: Collection[str]) -> None:
    """PayloadError when a Facebook or Instagram entry names an account that is not the channel's."""
    ident = entry.get("id")
    if accounts and platform != "whatsapp" and ident is not None and str(ident) not in accounts:
        ours = ", ".join(accounts)
        raise PayloadError(f"entry for account {str(ident)[:40]!r}, not this channel's ({ours})")


def _mapping(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PayloadError("messaging event is not an object")
    return value


def _unwrap(bad: Malformed) -> Malformed:
    """Quarantine the platform's object itself, not our parsing wrapper."""
    raw = dict(bad.raw)
    key = next((k for k in ("_messaging", "_comment", "_message", "_echo", "_bad_change") if k in raw), None)
    inner = raw[key] if key else raw
    if not isinstance(inner, Mapping):
        return Malformed(bad.external_id, bad.error, {"item": inner})
    message = inner.get("message")
    ident = (
        inner.get("id")
        or inner.get("comment_id")
        or (message.get("mid") if isinstance(message, Mapping) else None)
    )
    return Malformed(bad.external_id or (str(ident) if ident else None), bad.error, dict(inner))


def _status(s: Any) -> DeliveryStatus | None:
    if not isinstance(s, Mapping) or not isinstance(s.get("id"), str | int) or not s.get("id"):
        return None
    errors = tuple(
        (_code(e.get("code")), str(e.get("title", "")))
        for e in _items(s.get("errors"))
        if isinstance(e, Mapping)
    )
    recipient, callback = s.get("recipient_id"), s.get("biz_opaque_callback_data")
    return DeliveryStatus(
        str(s["id"]),
        str(s.get("status")),
        recipient if isinstance(recipient, str) else None,
        errors,
        callback if isinstance(callback, str) and callback else None,
    )


def _code(value: Any) -> int:
    """A Graph error code; 0 when it is not a number."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else 0


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def statuses(body: Mapping[str, Any]) -> list[DeliveryStatus]:
    """WhatsApp delivery statuses in one webhook body (a ``failed`` one carries error codes, e.g. 131047);
    anything of the wrong shape is skipped."""
    found: list[DeliveryStatus] = []
    for entry in _items(body.get("entry")):
        for change in _items(entry.get("changes")) if isinstance(entry, Mapping) else []:
            value = change.get("value") if isinstance(change, Mapping) else None
            for s in _items(value.get("statuses")) if isinstance(value, Mapping) else []:
                status = _status(s)
                if status is not None:
                    found.append(status)
    return found
