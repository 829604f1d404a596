"""French bank details written as a RIB (bank, branch, account, key: "30006 00001 12345678901 89") and a
card's security code (CVV, "cryptogramme") are never stored in clear: a RIB keeps its last four characters
like an IBAN, a security code is masked whole (a card's CVV may never be stored); lookalikes stay."""

from __future__ import annotations

import pytest

from inbox.bank_data import find_bank_data, mask_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon RIB : 30006 00001 12345678901 89 merci", "mon RIB : ***** ***** *********01 89 merci"),
        ("rib 30006000011234567890189", "rib *******************0189"),
        ("RIB 20041 01005 0500013M026 06", "RIB ***** ***** *********26 06"),
        ("carte 4111 1111 1111 1111, exp 12/27, cvv 123", "carte **** **** **** 1111, exp 12/27, cvv ***"),
        ("le cryptogramme : 737", "le cryptogramme : ***"),
        ("code de sécurité 1234 au dos", "code de sécurité **** au dos"),
        ("CVC2=456", "CVC2=***"),
    ],
)
def test_a_rib_and_a_security_code_are_masked(text: str, expected: str) -> None:
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "RIB 30006 00001 12345678901 88",  # its key does not hold
        "commande 30006 00001 12345 et 89 articles",
        "cvv manquant, appelez le 3939",
        "code promo 123",
        "j'ai 123 euros de crédit",
    ],
)
def test_lookalikes_stay(text: str) -> None:
    assert mask_text(text) == text and find_bank_data(text) == []
