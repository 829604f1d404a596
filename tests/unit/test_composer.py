"""Composer rules: X weighted length, templates file, variables and fill-in prompts, PII, the verdict."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.x.text import weighted_length
from inbox.config.loader import ConfigError
from inbox.nlp.pii import find_pii
from inbox.nlp.settings import load_pii_patterns
from inbox.replies import composer
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("hello", 5),
        ("é", 1),  # Latin-1 range counts 1
        ("e\u0301", 1),  # NFC first: e + combining accent is one é
        ("日本語", 6),  # CJK counts 2 each
        ("“quotes” – dash…", 17),  # U+2010-201F count 1; the ellipsis U+2026 counts 2
        ("👍", 2),
        ("👍🏽", 2),  # skin tone: one emoji
        ("👩\u200d👩\u200d👧", 2),  # ZWJ family: one emoji
        ("🇫🇷", 2),  # flag
        ("1\ufe0f\u20e3", 2),  # keycap
        ("https://example.com/a/very/long/path/that/goes/on/and/on?with=query", 23),
        ("see acme.com/help.", 4 + 23 + 1),  # a bare domain is a link; the final dot is not part of it
        ("mail jane@acme.com", 18),  # an e-mail is not a link
        ("a" * 280, 280),
    ],
)
def test_weighted_length(text: str, length: int) -> None:
    assert weighted_length(text) == length


def test_the_shipped_templates_load_and_render_within_limits() -> None:
    files = composer.load_templates(ROOT / "config")
    assert {t.language for t in files.templates} == {"en", "fr"}
    assert all(t.owner for t in files.templates)
    values = composer.known_values(
        customer_name="Marie-Antoinette Dupont", handle="mad", agent_name="Alex", conversation_id=123456
    )
    for t in files.templates:
        text = composer.render(t.text, values)
        visibility = "private" if t.visibility == "private" else "public"
        assert composer.measure(text, visibility) <= composer.limit_for(visibility), t.name
        prompts = {"service", "amount", "refund_days", "next_opening_day", "next_opening_time", "hours"}
        assert set(composer.unfilled(text)) <= prompts, t.name


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[[templates]]\nname="a"\ntitle="Hello"\nlanguage="en"\nowner="me"\ntext="Hi {Name}"\n',
            "not a valid variable",
        ),
        (
            '[[templates]]\nname="a"\ntitle="Hello"\nlanguage="en"\nowner="me"\ntext="Hi {name"\n',
            "templates[0].text",
        ),
        (
            '[[templates]]\nname="a"\ntitle="Hello"\nlanguage="en"\nowner="me"\ntext="x"\ncolour="red"\n',
            "unknown key",
        ),
        (
            '[[templates]]\nname="a"\ntitle="Hello"\nlanguage="en"\nowner="me"\ntext="x"\ncontinue_in_dm="b"\n',
            "continue_in_dm must name a private template",
        ),
    ],
)
def test_a_broken_templates_file_names_the_problem(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "templates.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        composer.load_templates(tmp_path)
    assert message in str(err.value) and "templates.toml" in str(err.value)


def test_unknown_values_stay_as_fill_in_prompts() -> None:
    values = composer.known_values(customer_name=None, handle="bob", agent_name="Alex", conversation_id=7)
    text = composer.render(
        "Hi {customer_name} ({handle}), ref {ticket_ref}, order {order_number} {{1}}", values
    )
    assert text == "Hi {customer_name} (@bob), ref INB-000007, order {order_number} {1}"
    assert composer.unfilled(text) == ["customer_name", "order_number"]
    verdict = composer.check(text, "public")
    fill_in = "Fill in Customer name ({customer_name}), Order number ({order_number}) before sending."
    assert not verdict.ok and fill_in in verdict.problems


def test_search_ignores_accents_and_puts_the_conversation_language_first() -> None:
    files = composer.load_templates(ROOT / "config")
    names = [
        t.name for t in composer.search(files.templates, "LIVRAISON", visibility="public", language="fr")
    ]
    assert names and names[0] == "retard-livraison-fr"
    private = composer.search(files.templates, "", visibility="private", language="en")
    assert (
        private and all(t.visibility in ("private", "any") for t in private) and private[0].language == "en"
    )
    assert [t.name for t in composer.search(files.templates, "bloque", visibility="private")] == [
        "compte-mp-fr"
    ]


def test_search_offers_the_templates_for_the_conversations_reason_first_within_its_language() -> None:
    files = composer.load_templates(ROOT / "config")
    private = [t.name for t in composer.search(files.templates, "", visibility="private", language="en")]
    billing = composer.search(
        files.templates, "", visibility="private", language="en", reason="billing_payment"
    )
    assert billing[0].name == "refund-dm-en" and private[0] != "refund-dm-en"
    assert sorted(t.name for t in billing) == sorted(private)  # the same templates, in another order
    french = [t.name for t in billing if t.language == "fr"]
    assert french[0] == "remboursement-mp-fr" and billing.index(files.get("remboursement-mp-fr")) > max(
        i for i, t in enumerate(billing) if t.language == "en"
    )  # the customer's language still comes before the reason


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("write to jane.doe@example.com", ["email"]),
        ("call 06 12 34 56 78 please", ["phone"]),
        ("or +33 6 12 34 56 78", ["phone"]),
        ("call (212) 555-0123 after 5", ["phone"]),  # a national US number: no + or leading 0
        ("card 4111 1111 1111 1111", ["card"]),
        ("card 4111 1111 1111 1112", []),  # fails Luhn: not a card
        ("your order #A1234567 ships today", ["order_ref"]),
        ("numéro de commande : CMD-884512", ["order_ref"]),
        ("IBAN FR76 3000 6000 0112 3456 7890 189", ["iban"]),
        ("IBAN FR76 3000 6000 0112 3456 7890 188", []),  # fails mod-97: not an IBAN
        ("iban GB82WEST12345698765432 merci", ["iban"]),
        ("we shipped 12345 parcels in 2024", []),
    ],
)
def test_a_public_draft_holds_the_personal_data_nlp_pii_finds(text: str, kinds: list[str]) -> None:
    verdict = composer.check(text, "public")
    assert verdict.pii == find_pii(text)
    assert [s.kind for s in verdict.pii] == kinds
    assert verdict.offer_private == bool(kinds)


def test_drafts_are_checked_with_the_configured_pii_patterns() -> None:
    configured = load_pii_patterns(ROOT / "config")  # config/nlp.toml adds "abonné" to the account refs
    text = "Votre abonné n° 12345678 est réactivé"
    assert composer.check(text, "public").ok
    verdict = composer.check(text, "public", pii_patterns=configured)
    assert verdict.pii == find_pii(text, configured) and [s.kind for s in verdict.pii] == ["account_ref"]
    assert "(account reference)" in verdict.problems[0]  # the kind in words


def test_the_brands_support_line_and_address_may_go_out_publicly() -> None:
    """config/nlp.toml lists the brand's public contact details: a public reply may give them."""
    configured = load_pii_patterns(ROOT / "config")
    text = "Appelez notre service client au 0800 12 34 56 ou écrivez à serviceclient@acme.example"
    assert composer.check(text, "public", pii_patterns=configured).ok
    assert not composer.check(
        text.replace("0800 12 34 56", "06 12 34 56 78"), "public", pii_patterns=configured
    ).ok


def test_pii_blocks_public_but_not_private() -> None:
    text = "Sure, email us at care@acme.example"
    public, private = composer.check(text, "public"), composer.check(text, "private")
    assert not public.ok and public.offer_private and "email" in public.problems[0]
    assert private.ok and not private.offer_private


def test_over_length_public_but_dm_allows_more() -> None:
    text = "x" * 281
    assert composer.check(text, "public").problems == [
        "Too long for X: 281/280 weighted characters (a link counts 23). Shorten it by 1."
    ]
    assert composer.check(text, "private").ok
    assert not composer.check("y" * 10_001, "private").ok


def test_charter_guidance_for_a_reply() -> None:
    from inbox.charter import load_charter
    from inbox.replies.guidance import for_reply

    charter = load_charter(ROOT / "config")
    advice = for_reply(
        charter,
        channel="x-acme",
        visibility="public",
        urgency="critical",
        tags=["Billing"],
        pii_kinds=["order_ref"],
    )
    assert advice.reasons_text() == "urgency: critical, topic: billing, personal data: order"
    assert advice.privacy_template == "passage-mp-fr" and advice.tone == "friendly"
    private = for_reply(
        charter, channel="x-acme", visibility="private", urgency="critical", tags=[], pii_kinds=[]
    )
    assert private.private_reasons == []
    assert for_reply(None, channel="x", visibility="public", urgency=None, tags=[], pii_kinds=[]).tone is None


def test_every_kind_of_personal_data_the_finder_reports_can_move_a_reply_to_private() -> None:
    """A French customer's RIB, card security code, social-security number or postal address, posted in
    public: the shipped charter advises answering in private, in the agent's words."""
    from inbox.charter import load_charter
    from inbox.nlp.pii import find_pii
    from inbox.replies.guidance import for_reply

    said = (
        "Mon RIB : 30006 00001 12345678901 89, cvv 123, n° de sécu 2 95 10 99 126 111 93, "
        "livrez au 3 rue des Lilas 75012 Paris"
    )
    kinds = sorted({span.kind for span in find_pii(said)})
    assert {"rib", "cvv", "nir", "address"} <= set(kinds), kinds
    advice = for_reply(
        load_charter(ROOT / "config"),
        channel="x-acme",
        visibility="public",
        urgency="normal",
        tags=[],
        pii_kinds=kinds,
    )
    assert {"privacy.pii.rib", "privacy.pii.cvv", "privacy.pii.nir", "privacy.pii.address"} <= set(
        advice.private_reasons
    )
