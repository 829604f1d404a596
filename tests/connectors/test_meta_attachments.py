"""A Messenger, Instagram or WhatsApp message that carries only an image, a video, a voice note, a sticker,
a location, a contact card or a file is never dropped nor an empty message, and one with words and an
attachment keeps both: the agent reads what it was (webhook bodies as the Meta sandbox pushes them, parsed
by the real connectors)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from connectors.base import ConnectorSpec
from connectors.meta.base import MetaConnector
from connectors.meta.connector import build
from connectors.sandbox.meta.attachments import KINDS
from connectors.sandbox.meta.events import message_event
from connectors.sandbox.meta.store import MetaStore

STORE = MetaStore()
CHANNEL = {"messenger": "facebook", "instagram": "instagram", "whatsapp": "whatsapp"}
SAID = {  # what the agent reads first: (Messenger and Instagram, WhatsApp)
    "image": ("[image] https://", "[image]"),
    "video": ("[video] https://", "[video]"),
    "voice": ("[audio] https://", "[voice message]"),  # Messenger tells no voice note from an audio file
    "sticker": ("[sticker] https://", "[sticker]"),
    "location": ("[location] Tour Eiffel 48.8584,2.2945", "[location] Tour Eiffel"),
    "contact": ("[link] Léa Martin https://m.me/lea.martin", "[contact] Léa Martin +33 6 12 34 56 78"),
    "file": ("[file] https://", "[document] facture-4812.pdf"),
}


def connector(platform: str) -> MetaConnector:
    option = {"facebook": "page_id", "instagram": "ig_user_id", "whatsapp": "phone_number_id"}[platform]
    ids = {"page_id": STORE.page_id, "ig_user_id": STORE.ig_user_id, "phone_number_id": STORE.phone_number_id}
    token = "access_token" if platform == "whatsapp" else "page_token"
    creds = {token: "t", "app_secret": "s3cret"}
    return build(ConnectorSpec(f"{platform}-acme", platform, "acme", creds, options={option: ids[option]}))


def received(platform: str, attachment: str, text: str = "") -> str:
    ids = {"messenger": "2468013579", "instagram": "17841400000000001", "whatsapp": "33612345678"}
    customer = STORE.customer(platform, ids[platform], "Léa")
    message = STORE.add_message(platform, customer, text, datetime.now(UTC), inbound=True)
    message["attachment"] = attachment
    event = json.dumps(message_event(STORE, customer, message)).encode()
    batch = connector(CHANNEL[platform]).parse_webhook(event)
    assert list(batch.malformed) == []
    [item] = batch.items
    return item.text


@pytest.mark.parametrize("platform", ["messenger", "instagram", "whatsapp"])
@pytest.mark.parametrize("attachment", KINDS)
def test_an_attachment_alone_says_what_it_was(platform: str, attachment: str) -> None:
    said = received(platform, attachment)
    assert said.startswith(SAID[attachment][platform == "whatsapp"]), said


@pytest.mark.parametrize("platform", ["messenger", "instagram", "whatsapp"])
def test_words_with_an_attachment_keep_both(platform: str) -> None:
    said = received(platform, "image", "Voici le colis abîmé")
    assert "Voici le colis abîmé" in said and "[image]" in said
