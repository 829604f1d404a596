"""A draft in another language than the customer's is caught before it goes out (#14.3): pure."""

from __future__ import annotations

from pathlib import Path

import pytest

from inbox.nlp.language import LanguageDetect
from inbox.nlp.reply_language import base_code as base
from inbox.nlp.settings import load_nlp_config
from inbox.replies.reply_language import draft_language, other_language

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def detect() -> LanguageDetect:
    nlp = load_nlp_config(ROOT / "config")
    return LanguageDetect(nlp.language.candidates, min_letters=nlp.language.min_letters)


def test_languages_compare_by_their_base_code() -> None:
    assert base("en_US") == "en" and base("fr-FR") == "fr" and base("FR") == "fr"
    assert base("und") is None and base(None) is None and base("") is None


def test_the_detector_reads_the_draft_and_the_template_speaks_when_it_cannot(detect: LanguageDetect) -> None:
    french = "Bonjour, merci pour votre message ! Nous regardons cela et revenons vers vous très vite."
    assert draft_language(french, detect.detect, None) == "fr"
    assert draft_language(french, detect.detect, "en") == "fr"  # the text as edited, not the template's tag
    assert draft_language("👍", detect.detect, "fr_FR") == "fr"  # nothing to read: the template's language
    assert draft_language("👍", detect.detect, None) is None and draft_language("", None, None) is None


def test_only_a_known_other_language_is_reported(detect: LanguageDetect) -> None:
    french = "Bonjour, nous sommes désolés pour ce retard, pouvez-vous nous envoyer le numéro de commande ?"
    english = "Hi Bob, we're sorry your parcel is late. Could you send us your order number in DM?"
    assert other_language(french, "en", detect.detect) == "fr"
    assert other_language(english, "en", detect.detect) is None
    assert other_language(english, "fr", detect.detect) == "en"
    assert other_language(french, "und", detect.detect) is None  # the customer's language is not known
    assert other_language(french, None, detect.detect) is None
    assert other_language("ok", "fr", detect.detect) is None  # too short to tell, no template
