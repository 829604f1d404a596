"""The Templates page's checks (pure): misspelt variables, fill-in fields, lengths per platform, language."""

from __future__ import annotations

from inbox.nlp.language import LanguageDetect
from inbox.replies.composer import TemplatesFile
from inbox.replies.template_checks import check, misspelt

BASE = {"name": "t-fr", "title": "Un titre", "language": "fr", "visibility": "public", "owner": "Julien"}


def test_a_variable_close_to_a_known_one_is_a_typo_others_are_fields_to_fill() -> None:
    assert misspelt("Hi {customer_nam}, {handel} {order_number} {agent_name}") == [
        ("customer_nam", "customer_name"),
        ("handel", "handle"),
    ]
    checked = check(
        {**BASE, "text": "Bonjour {customer_name}, votre commande {order_number}"},
        TemplatesFile(),
        original=None,
    )
    assert checked.errors == [] and checked.template is not None
    assert checked.warnings == ["Agents will fill in {order_number} before sending."]


def test_a_public_text_too_long_for_x_warns_and_too_long_for_all_refuses() -> None:
    long_for_x = "Bonjour {customer_name}, " + "merci pour votre patience. " * 11
    checked = check({**BASE, "text": long_for_x}, TemplatesFile(), original=None)
    assert checked.template is not None
    assert [w for w in checked.warnings if w.startswith("Too long for X:")]
    assert not [w for w in checked.warnings if "Mastodon" in w or "Facebook" in w]
    refused = check({**BASE, "text": "x " * 4100}, TemplatesFile(), original=None)
    assert refused.template is None and any(e.startswith("Too long for Facebook") for e in refused.errors)


def test_a_text_in_another_language_than_declared_is_flagged() -> None:
    detect = LanguageDetect(["en", "fr"]).detect
    text = "Thanks so much for your kind words, we will pass this on to the whole team right away!"
    checked = check({**BASE, "text": text}, TemplatesFile(), original=None, detect=detect)
    assert checked.template is not None  # a warning, not a refusal
    assert "The text reads as en, not fr: check its language." in checked.warnings
    french = check(
        {**BASE, "text": "Merci beaucoup pour votre message, nous transmettons à l'équipe."},
        TemplatesFile(),
        original=None,
        detect=detect,
    )
    assert not [w for w in french.warnings if "reads as" in w]
