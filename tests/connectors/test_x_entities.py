"""X sends a tweet's text with &, < and > escaped: the inbox stores and shows the characters typed."""

from __future__ import annotations

from connectors.x.parse import tweet_item


def _tweet(text: str) -> dict[str, str]:
    return {"id": "11", "text": text, "created_at": "2026-12-01T10:00:00.000Z", "author_id": "22"}


def test_entities_in_a_tweet_are_decoded() -> None:
    item = tweet_item(
        _tweet("Fish &amp; chips &lt;3 &gt; pizza"), channel="x", brand_id="9", users={}, kind="mentions"
    )
    assert item is not None and item.text == "Fish & chips <3 > pizza"


def test_an_ampersand_typed_as_an_entity_stays_as_typed() -> None:
    """A customer who types "&amp;" is sent "&amp;amp;": decoding once gives back what they typed."""
    item = tweet_item(_tweet("AT&amp;amp;T"), channel="x", brand_id="9", users={}, kind="mentions")
    assert item is not None and item.text == "AT&amp;T"
