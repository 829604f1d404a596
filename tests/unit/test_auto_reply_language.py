"""Automatic messages in the customer's language: the charter's own text, or a translation, or nothing."""

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
        (None, "Notre équipe est absente pour le moment. Nous serons de retour lundi à 08:00"),  # the default
        ("de", None),  # no German translation: nothing, never the French text to a German speaker
    ],
)
def test_out_of_hours_reply_is_the_charter_text_or_a_translation(language: str | None, expected: str) -> None:
    team = CHARTER.team("care-fr")
    text = out_of_hours_text(team, PARIS_SUNDAY_10, PARIS_SUNDAY_10 + 5 * MINUTE, templates(), {}, language)
    assert (text is None) if expected is None else (text is not None and expected in text)


def test_peak_acknowledgement_is_the_charter_text_or_a_translation() -> None:
    english = peak_text(CHARTER, "public", templates(), {}, "en")
    french = peak_text(CHARTER, "public", templates(), {}, None)
    assert english is not None and "within 4 hours" in english
    assert french is not None and "d'ici 4 heures" in french
    assert peak_text(CHARTER, "public", templates(), {}, "es") is None


def test_a_translation_naming_a_missing_template_sends_nothing_rather_than_the_default_text() -> None:
    team = charter(**{"teams.care-fr.out_of_hours.translations": {"en": {"template": "nope"}}}).team(
        "care-fr"
    )
    assert (
        out_of_hours_text(team, PARIS_SUNDAY_10, PARIS_SUNDAY_10 + 5 * MINUTE, templates(), {}, "en") is None
    )
    assert out_of_hours_text(team, PARIS_SUNDAY_10, PARIS_SUNDAY_10 + 5 * MINUTE, templates(), {}, None)


def test_a_translation_key_must_be_a_language_code() -> None:
    with pytest.raises(ConfigError) as bad:
        charter(**{"peak.translations": {"english": "peak-en"}})
    assert "peak.translations" in str(bad.value)


def test_the_brand_serves_its_own_language_first_and_must_list_it() -> None:
    assert CHARTER.brands["acme"].served() == ("fr", "en")
    assert charter(**{"brands.acme.languages": []}).brands["acme"].served() == ("fr",)
    with pytest.raises(ConfigError) as bad:
        charter(**{"brands.acme.languages": ["en", "es"]})
    assert "brands.acme" in str(bad.value) and "must include the brand's language 'fr'" in str(bad.value)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (None, "Nous serons de retour aujourd'hui à 08:00"),
        ("en", "We'll be back today at 08:00"),
    ],
)
def test_a_reply_before_opening_on_the_same_day_says_today_not_the_day_s_name(
    language: str | None, expected: str
) -> None:
    """Written on a Monday at 05:00: "back Monday at 08:00" could mean next week."""
    early = PARIS_SUNDAY_10 + 19 * 60 * MINUTE  # Monday 05:00 in Paris
    text = out_of_hours_text(CHARTER.team("care-fr"), early, early + 5 * MINUTE, templates(), {}, language)
    assert text is not None and expected in text
