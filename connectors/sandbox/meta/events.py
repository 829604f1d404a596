"""Webhook bodies exactly as Meta sends them: Page feed comments, Instagram comments, Messenger and
Instagram messages (and the Page's echoes), WhatsApp messages and statuses. Pure functions of the store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from connectors.sandbox.meta.attachments import messenger_attachment, whatsapp_content
from connectors.sandbox.meta.store import Comment, Customer, MetaStore, ig_username

OBJECT = {
    "facebook": "page",
    "messenger": "page",
    "instagram": "instagram",
    "whatsapp": "whatsapp_business_account",
}


def _ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


def comment_event(store: MetaStore, c: Comment) -> dict[str, Any]:
    """A ``feed`` change (Facebook) or a ``comments`` change (Instagram) for a new comment."""
    if c.platform == "facebook":
        value: dict[str, Any] = {
            "from": {"id": c.author_id, "name": c.author_name},
            "post_id": c.container_id,
            "comment_id": c.id,
            "parent_id": c.parent_id or c.container_id,
            "created_time": int(c.created_at.timestamp()),
            "item": "comment",
            "verb": "add",
            "message": c.text,
        }
        if c.photo:
            value["photo"] = c.photo
            if not c.text:
                del value["message"]
        change = {"field": "feed", "value": value}
        entry_id = store.page_id
    else:
        value = {
            "from": {"id": c.author_id, "username": ig_username(c.author_name)},
            "media": {"id": c.container_id, "media_product_type": "FEED"},
            "id": c.id,
            "text": c.text,
        }
        if c.parent_id:
            value["parent_id"] = c.parent_id
        change = {"field": "comments", "value": value}
        entry_id = store.ig_user_id
    entry = {"id": entry_id, "time": int(c.created_at.timestamp()), "changes": [change]}
    return {"object": OBJECT[c.platform], "entry": [entry]}


def comment_edited_event(store: MetaStore, c: Comment, when: datetime) -> dict[str, Any]:
    """A Page ``feed`` change for a comment its author edited: item comment, verb edited (Facebook)."""
    event = comment_event(store, c)
    value = event["entry"][0]["changes"][0]["value"]
    value["verb"] = "edited"
    event["entry"][0]["time"] = int(when.timestamp())
    return event


def comment_removed_event(store: MetaStore, c: Comment, when: datetime) -> dict[str, Any]:
    """A Page ``feed`` change for a comment its author deleted: item comment, verb remove (Facebook)."""
    value = {
        "from": {"id": c.author_id, "name": c.author_name},
        "post_id": c.container_id,
        "comment_id": c.id,
        "parent_id": c.parent_id or c.container_id,
        "created_time": int(when.timestamp()),
        "item": "comment",
        "verb": "remove",
    }
    entry = {
        "id": store.page_id,
        "time": int(when.timestamp()),
        "changes": [{"field": "feed", "value": value}],
    }
    return {"object": OBJECT["facebook"], "entry": [entry]}


def message_event(store: MetaStore, customer: Customer, message: dict[str, Any]) -> dict[str, Any]:
    """An inbound message from a customer, on Messenger, Instagram or WhatsApp."""
    when: datetime = message["created_at"]
    if customer.platform == "whatsapp":
        return _whatsapp_message(store, customer, message)
    brand_id = store.ig_user_id if customer.platform == "instagram" else store.page_id
    event = {
        "sender": {"id": customer.id},
        "recipient": {"id": brand_id},
        "timestamp": _ms(when),
        "message": {"mid": message["id"], "text": message["text"]},
    }
    if message.get("attachment"):  # an attachment alone has no text
        carried: dict[str, Any] = {"mid": message["id"]}
        if message["text"]:
            carried["text"] = message["text"]
        event["message"] = carried | {"attachments": [messenger_attachment(message["attachment"])]}
    return {
        "object": OBJECT[customer.platform],
        "entry": [{"id": brand_id, "time": _ms(when), "messaging": [event]}],
    }


def message_edit_event(
    store: MetaStore, customer: Customer, message: dict[str, Any], when: datetime
) -> dict[str, Any]:
    """A customer's edit of a message they sent (Messenger or Instagram ``message_edits``): the mid, the
    new text and how many times it was edited (at most five, the app's limit)."""
    brand_id = store.ig_user_id if customer.platform == "instagram" else store.page_id
    event = {
        "sender": {"id": customer.id},
        "recipient": {"id": brand_id},
        "timestamp": _ms(when),
        "message_edit": {"mid": message["id"], "text": message["text"], "num_edit": message["edits"]},
    }
    return {
        "object": OBJECT[customer.platform],
        "entry": [{"id": brand_id, "time": _ms(when), "messaging": [event]}],
    }


def message_unsent_event(store: MetaStore, customer: Customer, mid: str, when: datetime) -> dict[str, Any]:
    """A Messenger or Instagram message its sender unsent: the message again, ``is_deleted`` and no text."""
    brand_id = store.ig_user_id if customer.platform == "instagram" else store.page_id
    event = {
        "sender": {"id": customer.id},
        "recipient": {"id": brand_id},
        "timestamp": _ms(when),
        "message": {"mid": mid, "is_deleted": True},
    }
    return {
        "object": OBJECT[customer.platform],
        "entry": [{"id": brand_id, "time": _ms(when), "messaging": [event]}],
    }


def echo_event(store: MetaStore, customer: Customer, message: dict[str, Any]) -> dict[str, Any]:
    """The echo of a message the brand sent (Messenger/Instagram ``is_echo``; WhatsApp: a ``sent`` status)."""
    if customer.platform == "whatsapp":
        when = message["created_at"]
        return status_event(store, message["id"], customer.id, "sent", when, callback=message.get("callback"))
    body = message_event(store, customer, message)
    event = body["entry"][0]["messaging"][0]
    event["sender"], event["recipient"] = event["recipient"], event["sender"]
    event["message"]["is_echo"] = True
    event["message"]["app_id"] = 1517000000000001
    if message.get("metadata"):
        event["message"]["metadata"] = message["metadata"]
    return body


def _whatsapp_message(store: MetaStore, customer: Customer, message: dict[str, Any]) -> dict[str, Any]:
    when = message["created_at"]
    if message.get("attachment"):
        kind, content = whatsapp_content(message["attachment"], message["text"] or None)
        return _whatsapp_inbound(store, customer, message["id"], when, kind, content)
    return _whatsapp_inbound(store, customer, message["id"], when, "text", {"body": message["text"]})


def whatsapp_edit_event(
    store: MetaStore, customer: Customer, message: dict[str, Any], ident: str, when: datetime
) -> dict[str, Any]:
    """A WhatsApp customer's edit of their message (``edit``, its own wamid, naming the original)."""
    edit = {
        "original_message_id": message["id"],
        "message": {"type": "text", "text": {"body": message["text"]}},
    }
    return _whatsapp_inbound(store, customer, ident, when, "edit", edit)


def whatsapp_revoke_event(
    store: MetaStore, customer: Customer, message_id: str, ident: str, when: datetime
) -> dict[str, Any]:
    """A WhatsApp customer's deletion of their message (``revoke``, its own wamid, naming the original)."""
    return _whatsapp_inbound(store, customer, ident, when, "revoke", {"original_message_id": message_id})


def whatsapp_number_changed_event(
    store: MetaStore, customer: Customer, old: str, ident: str, when: datetime
) -> dict[str, Any]:
    """WhatsApp's system message for a customer who changed number (no contacts array, ``from`` the old)."""
    system = {
        "body": f"User {customer.name} changed from {old} to {customer.id}",
        "wa_id": customer.id,
        "type": "user_changed_number",
    }
    event = _whatsapp_inbound(store, customer, ident, when, "system", system)
    value = event["entry"][0]["changes"][0]["value"]
    del value["contacts"]
    value["messages"][0]["from"] = old
    return event


def whatsapp_app_echo_event(store: MetaStore, customer: Customer, message: dict[str, Any]) -> dict[str, Any]:
    """A message the business typed in the WhatsApp Business app (``smb_message_echoes``, coexistence)."""
    echo = {
        "from": store.display_phone_number,
        "to": customer.id,
        "id": message["id"],
        "timestamp": str(int(message["created_at"].timestamp())),
        "type": "text",
        "text": {"body": message["text"]},
    }
    value = {
        "messaging_product": "whatsapp",
        "metadata": _number(store),
        "message_echoes": [echo],
    }
    return {
        "object": OBJECT["whatsapp"],
        "entry": [{"id": store.waba_id, "changes": [{"field": "smb_message_echoes", "value": value}]}],
    }


def _whatsapp_inbound(
    store: MetaStore, customer: Customer, ident: str, when: datetime, kind: str, content: Any
) -> dict[str, Any]:
    value = {
        "messaging_product": "whatsapp",
        "metadata": _number(store),
        "contacts": [{"profile": {"name": customer.name}, "wa_id": customer.id}],
        "messages": [
            {
                "from": customer.id,
                "id": ident,
                "timestamp": str(int(when.timestamp())),
                "type": kind,
                kind: content,
            }
        ],
    }
    return _whatsapp(store, value)


def status_event(
    store: MetaStore,
    message_id: str,
    recipient: str,
    status: str,
    when: datetime,
    errors: list[dict[str, Any]] | None = None,
    callback: str | None = None,
) -> dict[str, Any]:
    """A WhatsApp status (sent, delivered, read, failed) for a message the business sent, with the
    ``biz_opaque_callback_data`` its send carried."""
    entry: dict[str, Any] = {
        "id": message_id,
        "status": status,
        "timestamp": str(int(when.timestamp())),
        "recipient_id": recipient,
    }
    if errors:
        entry["errors"] = errors
    if callback:
        entry["biz_opaque_callback_data"] = callback
    value = {
        "messaging_product": "whatsapp",
        "metadata": _number(store),
        "statuses": [entry],
    }
    return _whatsapp(store, value)


def _whatsapp(store: MetaStore, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": OBJECT["whatsapp"],
        "entry": [{"id": store.waba_id, "changes": [{"field": "messages", "value": value}]}],
    }


def _number(store: MetaStore) -> dict[str, str]:
    """The ``metadata`` of a WhatsApp change: the business number it is about."""
    return {"display_phone_number": store.display_phone_number, "phone_number_id": store.phone_number_id}
