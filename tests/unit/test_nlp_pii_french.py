"""French personal data as French customers write it: a phone grouped by no-break spaces (French typography,
phones' keyboards), found like one grouped by spaces, in the erasure's comparable form too."""

from __future__ import annotations

import pytest

from inbox.nlp.pii import DEFAULT_PATTERNS, contact_key, find_pii
from inbox.replies import composer

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"


@pytest.mark.parametrize("space", [NBSP, NNBSP, THIN])
@pytest.mark.parametrize("number", ["06 12 34 56 78", "+33 6 12 34 56 78", "01 23 45 67 89"])
def test_a_phone_grouped_by_no_break_spaces_is_found(space: str, number: str) -> None:
    written = number.replace(" ", space)
    text = f"rappelez-moi au {written} svp"
    spans = find_pii(text)
    assert [(s.kind, text[s.start : s.end]) for s in spans] == [("phone", written)]
    assert contact_key(written, DEFAULT_PATTERNS.phone_regions) == contact_key(number, ("FR",))


@pytest.mark.parametrize(
    "text",
    [  # each was taken for personal data among the real support tweets of twcs-customer-support/train.csv
        "@SpotifyCares Google Chrome. version 61.0.3163.100. The latest version.",
        "I am using Chrome Version 60.0.3112.113 (Official Build) (64-bit)",
        "server at 192.168.10.254 is down",
        "crime on @115993 . PayPal case ID is PP-006-234-348-863",
        "@British_Airways Ba016 from Sydney.",
    ],
)
def test_version_numbers_case_ids_and_flight_numbers_are_not_personal_data(text: str) -> None:
    assert find_pii(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("so there is no confusion. Paul Garrison 850.266.3576", "850.266.3576"),
        ("our partner Gogo at 1.877.350.0038. They need", "1.877.350.0038"),
        ("tel 06.12.34.56.78.", "06.12.34.56.78"),
        ("The number is +1(818)930-5703 They tried", "+1(818)930-5703"),
    ],
)
def test_phones_written_with_dots_or_brackets_are_still_found(text: str, found: str) -> None:
    assert [text[s.start : s.end] for s in find_pii(text) if s.kind == "phone"] == [found]


def test_a_phone_after_a_slash_is_still_found() -> None:
    text = "@BofA_Help Sergii Daragan/02152/+380671277946"
    assert [text[s.start : s.end] for s in find_pii(text)] == ["+380671277946"]


@pytest.mark.parametrize("nir", ["2 95 10 99 126 111 93", "295109912611193", "1 85 05 2A 006 084 35"])
def test_a_social_security_number_is_personal_data_and_no_public_reply_holds_one(nir: str) -> None:
    text = f"Madame, votre n° de sécurité sociale {nir} est bien enregistré."
    assert [(s.kind, text[s.start : s.end]) for s in find_pii(text)] == [("nir", nir)]
    verdict = composer.check(text, "public")
    assert not verdict.ok and any("social security number" in p for p in verdict.problems)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("livrez au 3 rue des Lilas 75012 Paris svp", "3 rue des Lilas 75012 Paris"),
        ("j'habite 12 bis, avenue Jean Jaurès, 69007 Lyon.", "12 bis, avenue Jean Jaurès, 69007 Lyon"),
        ("colis à renvoyer au 45 bd Haussmann", "45 bd Haussmann"),
        ("mon adresse : 7 allée de la Forêt", "7 allée de la Forêt"),
        ("au 10 place Bellecour, 69002 Lyon", "10 place Bellecour, 69002 Lyon"),
        ("adresse 3 rue des lilas", "3 rue des lilas"),
    ],
)
def test_a_french_postal_address_is_personal_data(text: str, address: str) -> None:
    assert [(s.kind, text[s.start : s.end]) for s in find_pii(text)] == [("address", address)]
    verdict = composer.check(f"Bien noté : {address}.", "public")
    assert not verdict.ok and any("postal address" in p for p in verdict.problems)


@pytest.mark.parametrize(
    "text",
    [
        "I tried to place 2 orders today",
        "we came 2 place behind them",
        "take route 66 then exit 3",
        "3 avenues of approach, 2 rue the day",
        "Flight 2 from Paris to Lyon",
    ],
)
def test_words_near_numbers_are_no_address(text: str) -> None:
    assert [s for s in find_pii(text) if s.kind == "address"] == []


@pytest.mark.parametrize(
    ("text", "kind", "found", "word"),
    [
        ("mon RIB : 30006 00001 12345678901 89", "rib", "30006 00001 12345678901 89", "bank details (RIB)"),
        ("carte ok, cryptogramme 737", "cvv", "737", "card security code"),
    ],
)
def test_a_rib_and_a_card_security_code_are_personal_data(
    text: str, kind: str, found: str, word: str
) -> None:
    assert [(s.kind, text[s.start : s.end]) for s in find_pii(text)] == [(kind, found)]
    verdict = composer.check(text, "public")
    assert not verdict.ok and any(word in p for p in verdict.problems)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("écrivez à jean.dupont arobase gmail.com svp", "jean.dupont arobase gmail.com"),
        ("jean.dupont(at)gmail.com", "jean.dupont(at)gmail.com"),
        ("mail: jean.dupont [at] gmail [dot] com", "jean.dupont [at] gmail [dot] com"),
        ("jean.dupont arobase orange point fr merci", "jean.dupont arobase orange point fr"),
    ],
)
def test_an_e_mail_spelled_out_to_dodge_robots_is_found(text: str, found: str) -> None:
    assert [(s.kind, text[s.start : s.end]) for s in find_pii(text)] == [("email", found)]


@pytest.mark.parametrize(
    "text", ["hello @AmazonHelp. Why is it late", "meet me at home. Thanks", "we are at Paris point of sale"]
)
def test_handles_and_prose_are_no_spelled_e_mail(text: str) -> None:
    assert [s for s in find_pii(text) if s.kind == "email"] == []


def test_a_french_phone_written_with_slashes_is_found_but_not_a_date() -> None:
    text = "mon fixe 01/23/45/67/89 ou le 06/12/34/56/78, né le 12/03/1984"
    assert [text[s.start : s.end] for s in find_pii(text)] == ["01/23/45/67/89", "06/12/34/56/78"]
