"""A Bluesky post or chat message with no words, only what it carries (images, a video, a shared post), is
never an empty message: the agent reads what it was (the Bluesky sandbox through requests)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from connectors.bluesky.connector import BlueskyConnector
from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, DEFAULT_PASSWORD, BlueskySandbox

BRAND = "@" + DEFAULT_HANDLE
CDN = "https://cdn.bsky.app/img/feed_fullsize/plain/"


@pytest.fixture
def bsky() -> Iterator[BlueskySandbox]:
    with BlueskySandbox() as sandbox:
        yield sandbox


def _texts(bsky: BlueskySandbox, stream: str) -> dict[str, str]:
    conn = BlueskyConnector(
        "bsky-acme", handle=DEFAULT_HANDLE, app_password=DEFAULT_PASSWORD, base_url=bsky.url
    )
    return {i.external_id: i.text for i in conn.fetch(stream, None).items}


def test_a_post_of_images_or_a_video_says_what_it_carries(bsky: BlueskySandbox) -> None:
    ours = bsky.add_post("Nos horaires", author=DEFAULT_HANDLE, mention_brand=False)
    photos = bsky.add_post("", author="ann.bsky.social", reply_to=ours, images=["colis écrasé", ""])
    clip = bsky.add_post(f"{BRAND} voyez", author="bob.bsky.social", video="le carton ouvert")
    quote = bsky.add_post("", author="eve.bsky.social", quote_of=ours, images=[""], mention_brand=False)
    texts = _texts(bsky, "notifications")
    first, second = texts[photos].splitlines()
    assert first.startswith(f"[image] colis écrasé {CDN}") and second.startswith(f"[image] {CDN}")
    assert texts[clip].startswith(f"{BRAND} voyez\n[video] le carton ouvert")
    assert texts[quote].startswith(f"[image] {CDN}")


def test_a_chat_message_sharing_a_post_says_which(bsky: BlueskySandbox) -> None:
    ours = bsky.add_post("Nos horaires", author=DEFAULT_HANDLE, mention_brand=False)
    bsky.add_dm("", sender="ann.bsky.social", post=ours)
    assert list(_texts(bsky, "dms").values()) == [f"[post] {ours}"]
