"""PII detection on tricky text: spaces and dots in numbers, checksums, configurable references (nlp.toml)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from inbox.config.loader import ConfigError
from inbox.nlp.pii import PiiPatterns, find_pii, iban_ok, luhn_ok
from inbox.nlp.settings import PiiSettings, load_pii_patterns
from tests.conftest import ROOT


def kinds(text: str, patterns: PiiPatterns | None = None) -> list[tuple[str, str]]:
    spans = find_pii(text) if patterns is None else find_pii(text, patterns)
    return [(s.kind, text[s.start : s.end]) for s in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("écrivez à jean.dupont@example.fr svp", [("email", "jean.dupont@example.fr")]),
        ("appelez le 06 12 34 56 78", [("phone", "06 12 34 56 78")]),
        ("tel 06.12.34.56.78.", [("phone", "06.12.34.56.78")]),
        ("call me on +33 6 12 34 56 78 tonight", [("phone", "+33 6 12 34 56 78")]),
        ("UK office +44 20 7946 0958", [("phone", "+44 20 7946 0958")]),
        ("my card 4111 1111 1111 1111 was charged", [("card", "4111 1111 1111 1111")]),
        ("card 4111-1111-1111-1111", [("card", "4111-1111-1111-1111")]),
        ("IBAN FR76 3000 6000 0112 3456 7890 189 merci", [("iban", "FR76 3000 6000 0112 3456 7890 189")]),
        ("iban GB82WEST12345698765432", [("iban", "GB82WEST12345698765432")]),
    ],
)
def test_finds_personal_data(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "my card 4111 1111 1111 1112 was charged",  # Luhn-invalid
        "IBAN FR76 3000 6000 0112 3456 7890 188",  # mod-97 invalid
        "I paid 1500 euros on 12/03/2024 at 10:30",
        "we were 2019 2020 2021 2022 customers",
        "no personal data at all 🙂",
        "",
    ],
)
def test_ignores_lookalikes(text: str) -> None:
    assert kinds(text) == []


def test_checksums() -> None:
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("DE89 3704 0044 0532 0130 00") and not iban_ok("DE89 3704 0044 0532 0130 01")


def test_order_and_account_refs_by_default_and_by_config() -> None:
    assert kinds("commande n° 98765432, compte client: AB-123456") == [
        ("order_ref", "98765432"),
        ("account_ref", "AB-123456"),
    ]
    custom = PiiPatterns(phone_regions=("FR",), refs=(("ticket", re.compile(r"\bTCK-\d{6}\b")),))
    assert kinds("see TCK-123456 and order 12345678", custom) == [("ticket", "TCK-123456")]


def test_spans_are_sorted_and_do_not_overlap() -> None:
    text = "mail a@b.co, card 4111111111111111, phone 0612345678, order #A1234567"
    spans = find_pii(text)
    assert [s.kind for s in spans] == ["email", "card", "phone", "order_ref"]
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))


def test_a_long_text_gives_every_number() -> None:
    text = "bonjour 06 12 34 56 78 " * 2000
    assert len(find_pii(text)) == 2000


def test_the_configured_patterns_are_read_without_the_rest_of_nlp_toml(tmp_path: Path) -> None:
    shipped = load_pii_patterns(ROOT / "config")
    assert shipped.phone_regions == ("FR", "BE", "CH", "GB", "US")
    assert kinds("mon abonné n° 12345678", shipped) == [("account_ref", "12345678")]
    (tmp_path / "nlp.toml").write_text('[language]\ncandidates = ["en", "fr"]\n')
    assert load_pii_patterns(tmp_path) == PiiSettings().patterns()  # no [pii]: the classifier's defaults
    (tmp_path / "nlp.toml").write_text('[pii]\nphone_regions = ["XX"]\n')
    with pytest.raises(ConfigError) as err:
        load_pii_patterns(tmp_path)
    assert err.value.problems[0][1] == "pii.phone_regions"


def test_the_brands_own_public_contact_details_are_not_personal_data(tmp_path: Path) -> None:
    """The support address and the 0800 line may be given publicly, in any written form; others' are not."""
    shipped = load_pii_patterns(ROOT / "config")
    reply = "Écrivez à ServiceClient@acme.example ou appelez le +33 800 12 34 56, ou le 0800123456."
    assert kinds(reply, shipped) == []
    assert kinds(reply, PiiSettings().patterns()) == [
        ("email", "ServiceClient@acme.example"),
        ("phone", "+33 800 12 34 56"),
        ("phone", "0800123456"),
    ]
    customer = "moi c'est jean@exemple.fr, 06 12 34 56 78, et serviceclient@acme.example ne répond pas"
    assert kinds(customer, shipped) == [("email", "jean@exemple.fr"), ("phone", "06 12 34 56 78")]
    (tmp_path / "nlp.toml").write_text('[pii]\nallowed = ["support@acme.example", "call us"]\n')
    with pytest.raises(ConfigError) as err:
        load_pii_patterns(tmp_path)
    assert err.value.problems[0][1] == "pii" and "allowed[1] = 'call us'" in err.value.problems[0][2]
