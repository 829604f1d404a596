"""What Messenger, Instagram and WhatsApp send for a customer's image, video, voice note, sticker, location,
contact card or file, in each platform's webhook shape (Meta's webhook references). Pure, no I/O.

``messenger_attachment(kind)`` is one entry of a Messenger or Instagram message's ``attachments``;
``whatsapp_content(kind)`` the message's ``type`` and its object.
"""

from __future__ import annotations

from typing import Any

KINDS = ("image", "video", "voice", "sticker", "location", "contact", "file")
CDN = "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17951234567890123&signature=sbox"
PLACE = {
    "latitude": 48.8584,
    "longitude": 2.2945,
    "name": "Tour Eiffel",
    "address": "Av. Gustave Eiffel, Paris",
}
CARD = {
    "name": {"formatted_name": "Léa Martin", "first_name": "Léa", "last_name": "Martin"},
    "phones": [{"phone": "+33 6 12 34 56 78", "type": "CELL", "wa_id": "33612345678"}],
}


def messenger_attachment(kind: str) -> dict[str, Any]:
    """One ``attachments`` entry as Messenger and Instagram send it (a sticker is an image with its id)."""
    if kind not in KINDS:
        raise ValueError(f"attachment must be one of {KINDS}, got {kind!r}")
    if kind == "sticker":
        return {"type": "image", "payload": {"url": CDN, "sticker_id": 369239263222822}}
    if kind == "location":
        coordinates = {"lat": PLACE["latitude"], "long": PLACE["longitude"]}
        return {"type": "location", "title": PLACE["name"], "payload": {"coordinates": coordinates}}
    if kind == "contact":  # Messenger has no contact card: a shared profile comes as a fallback link
        return {"type": "fallback", "title": "Léa Martin", "url": "https://m.me/lea.martin", "payload": None}
    platform_kind = {"voice": "audio"}.get(kind, kind)
    return {"type": platform_kind, "payload": {"url": CDN}}


def whatsapp_content(kind: str, caption: str | None = None) -> tuple[str, Any]:
    """A WhatsApp message's ``type`` and content object (media by id, as the Cloud API sends them)."""
    if kind not in KINDS:
        raise ValueError(f"attachment must be one of {KINDS}, got {kind!r}")
    media = {"id": "1234567890123456", "mime_type": "image/jpeg", "sha256": "c2FuZGJveA=="}
    if kind == "location":
        return "location", dict(PLACE)
    if kind == "contact":
        return "contacts", [CARD]
    if kind == "voice":
        return "audio", {**media, "mime_type": "audio/ogg; codecs=opus", "voice": True}
    if kind == "sticker":
        return "sticker", {**media, "mime_type": "image/webp", "animated": False}
    if kind == "file":
        return "document", {**media, "mime_type": "application/pdf", "filename": "facture-4812.pdf"}
    content = {**media, "mime_type": "video/mp4" if kind == "video" else "image/jpeg"}
    return kind, {**content, "caption": caption} if caption else content
