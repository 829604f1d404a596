"""A card number followed by its expiry ("4970 1012 3456 7890/12/27", one a customer mistyped included: the
expiry says it is a card) or written inside a link (a payment page's query, a path) is masked; a platform id
in a post's link, or a link's id parameter, stays."""

from __future__ import annotations

import pytest

from inbox.bank_data import find_bank_data, mask_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ma carte 4970 1012 3456 7890/12/27 merci", "ma carte **** **** **** 7890/12/27 merci"),
        ("carte 4111111111111111/08/2027", "carte ************1111/08/2027"),
        ("carte 4970101234567890 12/27", "carte ************7890 12/27"),
        ("carte 4970101234567890 exp 12/27", "carte ************7890 exp 12/27"),
        (
            "https://pay.acme.fr/checkout?card=4111111111111111&exp=1227",
            "https://pay.acme.fr/checkout?card=************1111&exp=1227",
        ),
        ("https://acme.fr/pay/4111111111111111/confirm", "https://acme.fr/pay/************1111/confirm"),
        ("https://acme.fr/pay?pan=4111-1111-1111-1111", "https://acme.fr/pay?pan=****-****-****-1111"),
    ],
)
def test_a_card_before_its_expiry_or_in_a_link_is_masked(text: str, expected: str) -> None:
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "https://x.com/a/status/4111111111111111",
        "https://twitter.com/AcmeCare/status/4111111111111111/photo/1",
        "https://mastodon.social/@kim/4111111111111111",
        "https://www.facebook.com/acme/posts/4111111111111111",
        "https://acme.fr/suivi?id=4111111111111111",
        "https://acme.fr/suivi?order_id=4111111111111111&tracking_id=5555555555554444",
        "commande 4970101234567890 du 12/27",  # no checksum, and a date that is no expiry next to it
        "colis 4970101234567890, livré le 12/01",
        "le 4970101234567890/13/27",  # no month 13: not an expiry
    ],
)
def test_ids_in_links_and_numbers_without_an_expiry_stay(text: str) -> None:
    assert mask_text(text) == text and find_bank_data(text) == []
