"""What the Bot API sends for a customer's photo, video, voice note, sticker, location, venue, contact card,
file, GIF, poll or dice, as a Message's fields (core.telegram.org/bots/api, Message). Pure, no I/O."""

from __future__ import annotations

from typing import Any

FILE = {"file_id": "AgACAgQAAxkBAAIBsandbox", "file_unique_id": "AQADsandbox"}
PLACE = {"latitude": 48.8584, "longitude": 2.2945}
KINDS = (
    "photo",
    "video",
    "voice",
    "sticker",
    "location",
    "venue",
    "contact",
    "document",
    "animation",
    "poll",
    "dice",
)


def media_fields(kind: str) -> dict[str, Any]:
    """The fields a message carrying ``kind`` has besides its caption (a GIF also comes as a document, a
    venue as a location, as Telegram sends them)."""
    shapes: dict[str, dict[str, Any]] = {
        "photo": {"photo": [{**FILE, "width": 90, "height": 67}, {**FILE, "width": 1280, "height": 960}]},
        "video": {"video": {**FILE, "width": 1280, "height": 720, "duration": 12, "mime_type": "video/mp4"}},
        "voice": {"voice": {**FILE, "duration": 7, "mime_type": "audio/ogg"}},
        "sticker": {"sticker": {**FILE, "type": "regular", "width": 512, "height": 512, "emoji": "😡"}},
        "location": {"location": dict(PLACE)},
        "venue": {
            "location": dict(PLACE),
            "venue": {"location": dict(PLACE), "title": "Tour Eiffel", "address": "Av. Gustave Eiffel"},
        },
        "contact": {"contact": {"phone_number": "+33612345678", "first_name": "Léa", "last_name": "Martin"}},
        "document": {"document": {**FILE, "file_name": "facture-4812.pdf", "mime_type": "application/pdf"}},
        "animation": {
            "animation": {**FILE, "width": 320, "height": 240, "duration": 3, "file_name": "oups.mp4"},
            "document": {**FILE, "file_name": "oups.mp4", "mime_type": "video/mp4"},
        },
        "poll": {"poll": {"id": "5012", "question": "Quel jour ?", "options": [], "type": "regular"}},
        "dice": {"dice": {"emoji": "🎲", "value": 4}},
    }
    if kind not in shapes:
        raise ValueError(f"attachment must be one of {KINDS}, got {kind!r}")
    return shapes[kind]
