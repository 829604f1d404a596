"""A Telegram message that carries only a photo, a video, a voice note, a sticker, a location, a venue, a
contact card, a file, a GIF, a poll or a dice is never dropped nor an empty message, and one with a caption
keeps both: the agent reads what it was (the Telegram sandbox through the real connector)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from connectors.sandbox.telegram.media import KINDS
from connectors.sandbox.telegram.server import DEFAULT_TOKEN, TelegramSandbox
from connectors.telegram.connector import TelegramConnector

SAID = {
    "photo": "[photo]",
    "video": "[video]",
    "voice": "[voice]",
    "sticker": "[sticker] 😡",
    "location": "[location] 48.8584,2.2945",
    "venue": "[venue] Tour Eiffel Av. Gustave Eiffel 48.8584,2.2945",
    "contact": "[contact] Léa Martin +33612345678",
    "document": "[document] facture-4812.pdf",
    "animation": "[animation] oups.mp4",
    "poll": "[poll] Quel jour ?",
    "dice": "[dice] 🎲 4",
}


@pytest.fixture(scope="module")
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


def _read(tg: TelegramSandbox, caption: str, attachment: str) -> str:
    tg.add_message(caption, first_name="Léa", user_id=44, attachment=attachment)
    conn = TelegramConnector("tg-acme", bot_token=DEFAULT_TOKEN, base_url=tg.url, poll_seconds=0)
    batch = conn.fetch("updates", None)
    conn.fetch("updates", batch.next_cursor)  # confirms them
    assert list(batch.malformed) == []
    [item] = batch.items
    return item.text


@pytest.mark.parametrize("attachment", KINDS)
def test_an_attachment_alone_says_what_it_was(tg: TelegramSandbox, attachment: str) -> None:
    assert _read(tg, "", attachment) == SAID[attachment]


@pytest.mark.parametrize("attachment", ["photo", "document"])
def test_a_caption_keeps_what_it_captions(tg: TelegramSandbox, attachment: str) -> None:
    assert _read(tg, "Voici le colis", attachment) == "Voici le colis\n" + SAID[attachment]
