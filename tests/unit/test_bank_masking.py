"""Bank data masking (inbox.bank_data): cards, IBANs, NIRs masked in place, last four kept, ids untouched."""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum import iban, luhn
from stdnum.fr import nir

from inbox.bank_data import find_bank_data, mask_body, mask_payload, mask_text, with_nir

WORDS = st.lists(st.sampled_from(["merci", "ma carte", "voici", "please", "refund", "", "!", "le RIB :"]))


@st.composite
def cards(draw: st.DrawFn) -> str:
    """A Luhn-valid number of 13-19 digits starting 2-6, maybe grouped by fours with spaces or dashes."""
    length = draw(st.integers(13, 19))
    body = str(draw(st.integers(2, 6))) + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=length - 2, max_size=length - 2))
    )
    number = body + luhn.calc_check_digit(body)
    assume(not nir.is_valid(number))  # 15 digits can also be a valid NIR, which is masked whole (below)
    sep = draw(st.sampled_from(["", " ", "-"]))
    return sep.join(number[i : i + 4] for i in range(0, len(number), 4))


@st.composite
def german_ibans(draw: st.DrawFn) -> str:
    bban = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=18, max_size=18)))
    number = "DE" + iban.calc_check_digits("DEXX" + bban) + bban
    return draw(st.sampled_from(["", " "])).join(number[i : i + 4] for i in range(0, len(number), 4))


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


@given(cards(), WORDS, WORDS)
def test_a_card_in_any_text_is_masked_but_its_last_four(
    card: str, before: list[str], after: list[str]
) -> None:
    text = " ".join([*before, card, *after])
    masked = mask_text(text)
    assert len(masked) == len(text)
    assert digits(card) not in digits(masked)
    start = text.index(card)
    shown = masked[start : start + len(card)]
    assert digits(shown) == digits(card)[-4:] and shown.count("*") == len(digits(card)) - 4
    assert masked[:start] == text[:start] and masked[start + len(card) :] == text[start + len(card) :]


@given(german_ibans(), WORDS)
def test_an_iban_is_masked_but_its_last_four(number: str, before: list[str]) -> None:
    text = " ".join([*before, number, "merci"])
    masked = mask_text(text)
    assert len(masked) == len(text) and digits(number) not in digits(masked)
    assert masked.endswith(number[-4:] + " merci") or masked.endswith(number[-5:] + " merci")
    assert [f.kind for f in find_bank_data(text)] == ["iban"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("carte 4111 1111 1111 1111 svp", "carte **** **** **** 1111 svp"),
        ("card 4111-1111-1111-1111.", "card ****-****-****-1111."),
        ("IBAN FR76 3000 6000 0112 3456 7890 189 merci", "IBAN **** **** **** **** **** ***0 189 merci"),
        ("rib fr7630006000011234567890189", "rib ***********************0189"),
        ("NIR 2 95 10 99 126 111 93 ok", "NIR * ** ** ** *** *** ** ok"),
        ("corse 1 85 05 2A 006 084 35 ok", "corse * ** ** ** *** *** ** ok"),
        ("corse 1 85 05 2A 006 084 36 ok", "corse 1 85 05 2A 006 084 36 ok"),
        # not bank data: a failed checksum, a wrong IBAN length, a tweet id in a URL, an order number
        ("carte 4111 1111 1111 1112", "carte 4111 1111 1111 1112"),
        ("FR76 3000 6000 0112 3456 7890 18", "FR76 3000 6000 0112 3456 7890 18"),
        ("https://x.com/a/status/4111111111111111", "https://x.com/a/status/4111111111111111"),
        ("commande 1234567890123", "commande 1234567890123"),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert mask_text(text) == expected


def test_payload_strings_are_masked_but_not_identifiers() -> None:
    raw = {
        "id": "4111111111111111",
        "author_id": "4111111111111111",
        "text": "pay 4111111111111111",
        "entities": [{"name": "FR7630006000011234567890189", "ids": ["4111111111111111"]}],
        "count": 4111111111111111,
    }
    assert mask_payload(raw) == {
        "id": "4111111111111111",
        "author_id": "4111111111111111",
        "text": "pay ************1111",
        "entities": [{"name": "***********************0189", "ids": ["4111111111111111"]}],
        "count": 4111111111111111,
    }


def test_webhook_bodies_are_masked_and_clean_ones_kept_byte_for_byte() -> None:
    clean = b'{"entry": [ {"text": "hello"} ]}'
    assert mask_body(clean) is clean
    dirty = json.dumps({"entry": [{"text": "carte 4111 1111 1111 1111", "id": "4111111111111111"}]}).encode()
    assert json.loads(mask_body(dirty)) == {
        "entry": [{"text": "carte **** **** **** 1111", "id": "4111111111111111"}]
    }
    assert mask_body(b"not json: 4111111111111111 \xff") == b"not json: ************1111 \xff"


def test_a_nir_replaces_the_phone_span_found_on_it() -> None:
    text = "NIR 2 95 10 99 126 111 93"
    spans = with_nir(
        [{"kind": "phone", "start": 4, "end": 18}, {"kind": "email", "start": 0, "end": 3}], text
    )
    assert spans == [{"kind": "email", "start": 0, "end": 3}, {"kind": "nir", "start": 4, "end": 25}]


def test_the_ids_of_an_edits_versions_are_identifiers() -> None:
    """An X id passes Luhn about one time in ten (2129990371910877184 does): the version ids the inbox keeps
    in a message's payload (``version``, ``unread_versions``, ``versions[].id``) were masked as a card, and
    the first version read later was stored as a second message."""
    x_id = "2129990371910877184"
    raw = {
        "version": x_id,
        "unread_versions": [x_id],
        "versions": [{"id": x_id, "text": "card 4111 1111 1111 1111", "at": "2026-12-07T10:00:00+00:00"}],
    }
    assert mask_payload(raw) == {
        "version": x_id,
        "unread_versions": [x_id],
        "versions": [{"id": x_id, "text": "card **** **** **** 1111", "at": "2026-12-07T10:00:00+00:00"}],
    }
