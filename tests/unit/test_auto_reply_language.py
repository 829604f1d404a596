"""Automatic messages in the customer's language: the charter's translations, else its own language."""

from __future__ import annotations

import pytest

from inbox.automation.auto_replies import out_of_hours_text, peak_text
from inbox.config.loader import ConfigError
from tests.support.enforcement import MINUTE, PARIS_SUNDAY_10, charter, templates

CHARTER = charter()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Hi! Our team is away right now. We'll be back Monday at 08:00"),
        ("fr", "Notre équipe est absente pour le moment. Nous serons de retour lundi à 08:00"),
        ("de", "Nous serons de retour lundi à 08:00"),  # no German translation: the charter's language
        (None, "Nous serons de retour lundi à 08:00"),  # not classified yet
    ],
)
def test_out_of_hours_reply_follows_the_customer_language(language: str | None, expected: str) -> None:
    team = CHARTER.team("care-fr")
    text = out_of_hours_text(team, PARIS_SUNDAY_10, PARIS_SUNDAY_10 + 5 * MINUTE, templates(), {}, language)
    assert text is not None and expected in text


def test_peak_acknowledgement_follows_the_customer_language() -> None:
    english = peak_text(CHARTER, "public", templates(), {}, "en")
    french = peak_text(CHARTER, "public", templates(), {}, "fr")
    assert english is not None and "within 4 hours" in english
    assert french is not None and "d'ici 4 heures" in french


def test_a_translation_naming_a_missing_template_falls_back_to_the_charter_text() -> None:
    team = charter(**{"teams.care-fr.out_of_hours.translations": {"en": {"template": "nope"}}}).team(
        "care-fr"
    )
    text = out_of_hours_text(team, PARIS_SUNDAY_10, PARIS_SUNDAY_10 + 5 * MINUTE, templates(), {}, "en")
    assert text is not None and "de retour lundi à 08:00" in text


def test_a_translation_key_must_be_a_language_code() -> None:
    with pytest.raises(ConfigError) as bad:
        charter(**{"peak.translations": {"english": "peak-en"}})
    assert "peak.translations" in str(bad.value)
