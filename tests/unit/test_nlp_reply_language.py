"""The language of automatic messages, from the detector, the platform's tag and the customer's messages."""

from __future__ import annotations

import pytest

from inbox.nlp.reply_language import (
    Choice,
    Evidence,
    Unsure,
    platform_language,
    reply_language,
    written_languages,
)

SERVED = ("fr", "en")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"tweet": {"text": "hi", "lang": "en"}, "author": {}}, "en"),
        ({"tweet": {"text": "🙂", "lang": "und"}}, None),  # X: undetermined
        ({"tweet": {"text": "http", "lang": "zxx"}}, None),  # X: no linguistic content
        ({"event": {"text": "a DM"}}, None),  # X DMs carry no language
        ({"type": "mention", "status": {"content": "<p>salut</p>", "language": "fr"}}, "fr"),  # Mastodon
        ({"last_status": {"content": "<p>hi</p>", "language": "en"}}, "en"),  # a Mastodon conversation
        ({"content": "<p>hola</p>", "language": "es"}, "es"),  # a Mastodon status found by listening
        ({"post": {"record": {"text": "hi", "langs": ["en-GB"]}}}, "en"),  # Bluesky
        ({"post": {"record": {"text": "hi"}}}, None),
        # Telegram: the language of the sender's app
        ({"update": {"message": {"text": "ok", "from": {"id": 1, "language_code": "en"}}}}, "en"),
        ({"update": {"edited_message": {"text": "ok", "from": {"id": 1, "language_code": "pt-br"}}}}, "pt"),
        ({"update": {"message": {"text": "ok", "from": {"id": 1}}}}, None),  # optional: not always sent
        ({"update": {"channel_post": {"text": "ok"}}}, None),
        ({}, None),
    ],
)
def test_platform_language_reads_each_platform_tag(raw: dict[str, object], expected: str | None) -> None:
    assert platform_language(raw) == expected


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        # The case: a short English post the detector cannot tell, tagged English by X.
        ([Evidence("und", "en")], Choice("en", "customer")),
        # A confident but out-of-scope reading loses to a served platform tag.
        ([Evidence("de", "en")], Choice("en", "customer")),
        # Both served and different: the detector was confident (the classifier stores "und" otherwise).
        ([Evidence("fr", "en")], Choice("fr", "customer")),
        # Nothing determined: the brand's default, never a guess.
        ([Evidence("und", None)], Choice("fr", "undetermined")),
        ([], Choice("fr", "undetermined")),
        # A language the brand does not serve never picks the language.
        ([Evidence("de", None), Evidence("nl", None)], Choice("fr", "not_served")),
        ([Evidence("de", "de")], Choice("fr", "not_served")),
        # The customer's earlier messages count: a short "ok" later does not flip an English conversation.
        ([Evidence("en", None), Evidence("und", None)], Choice("en", "customer")),
        ([Evidence("en", None), Evidence("es", None), Evidence("en", None)], Choice("en", "customer")),
        # A tie goes to the earliest message, which states the matter.
        ([Evidence("en", None), Evidence("fr", None)], Choice("en", "customer")),
        ([Evidence("fr", None), Evidence("en", None), Evidence("en", None)], Choice("en", "customer")),
    ],
)
def test_reply_language_weighs_all_the_evidence(evidence: list[Evidence], expected: Choice) -> None:
    assert reply_language(evidence, SERVED, "fr") == expected


def test_an_english_only_brand_never_answers_in_french() -> None:
    assert reply_language([Evidence("fr", "fr")], ("en",), "en") == Choice("en", "not_served")


@pytest.mark.parametrize(
    ("evidence", "unsure", "expected"),
    [
        ([Evidence("und")], "default", ("fr",)),
        ([Evidence("und")], "all", ("fr", "en")),
        ([Evidence("es")], "all", ("fr", "en")),  # not served: every served language, the default first
        ([Evidence("en")], "all", ("en",)),  # known: theirs alone
        ([Evidence("und", "fr")], "all", ("fr",)),
    ],
)
def test_written_languages(evidence: list[Evidence], unsure: Unsure, expected: tuple[str, ...]) -> None:
    assert written_languages(evidence, SERVED, "fr", unsure) == expected
