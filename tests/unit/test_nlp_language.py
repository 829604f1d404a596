"""Language detection on short texts: real support tweets lingua alone got wrong, French, and honest "und"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from inbox.nlp.language import LanguageDetect, evidence_words
from inbox.nlp.normalise import for_detection, normalise

CANDIDATES = ["en", "fr", "es", "de", "it", "pt", "nl"]


@pytest.fixture(scope="module")
def detect() -> Iterator[LanguageDetect]:
    yield LanguageDetect(CANDIDATES)


def lang(detector: LanguageDetect, text: str) -> str:
    return detector.detect(for_detection(normalise(text)))


@pytest.mark.parametrize(
    "text",
    [
        "@AcmeCare Both Android app and the web player in Firefox.",  # the tweet (lingua alone: de)
        "@sprintcare I did.",  # lingua alone: pt
        "@VerizonSupport DM sent.",  # lingua alone: fr
        "@SpotifyCares My phone is Samsung A8, android and spotify 8.4.21.508 armV7 version.",  # de
        "@SpotifyCares Thank youu!!!!",  # nl
        "@Tesco Cheers, all the best.",  # nl
        "@SpotifyCares I'm using a Samsung Galaxy s7",  # de
    ],
)
def test_short_english_posts_are_english(detect: LanguageDetect, text: str) -> None:
    assert lang(detect, text) == "en"


@pytest.mark.parametrize(
    "text",
    [
        "@AcmeCare mon colis n'est jamais arrivé",
        "@AcmeCare toujours en panne",
        "ça ne marche pas",
        "Merci!",
        "Bonjour, j'ai été prélevé deux fois ce mois-ci",
    ],
)
def test_french_stays_french(detect: LanguageDetect, text: str) -> None:
    assert lang(detect, text) == "fr"


@pytest.mark.parametrize(
    "text",
    [
        "@SpotifyCares iPhone 7 Plus",  # lingua alone and words with "Plus": fr
        "@SpotifyCares Galaxy 6 edge plus",  # fr when "plus" counted
        "@SpotifyCares Thnks",  # lingua alone: fr; no word of any list
        "@AppleSupport iOS 11.0.3",
        "@SpotifyCares Windows 10 Spotify 1.0.68.407",
        "@AmazonHelp ありがとうございます！",  # no candidate language: not a guess either
        "@AcmeCare ok",
    ],
)
def test_no_evidence_is_undetermined(detect: LanguageDetect, text: str) -> None:
    assert lang(detect, text) == "und"


def test_the_confidence_is_what_decides(detect: LanguageDetect) -> None:
    weak = detect.guess("Sent")
    assert weak.language == "en" and weak.confidence < detect.min_confidence
    assert detect.detect("Sent") == "und"
    assert detect.guess("I did").confidence >= detect.min_confidence


def test_names_codes_and_model_numbers_are_no_evidence() -> None:
    words = evidence_words("Samsung Galaxy S7 edge and the new iPhone 6s plus, version 8.4.24")
    assert words == ["the"]  # two words either side of a model number are part of the name
    assert evidence_words("Both Android app. Merci Firefox!") == ["both", "app", "merci"]


def test_a_bare_count_is_no_code_but_a_number_after_a_name_is() -> None:
    assert evidence_words("J'ai été prélevé 2 fois") == ["j'ai", "été", "prélevé", "fois"]
    assert evidence_words("charged 3 times since 2017 at 10:30") == ["charged"]  # 2017 is a code
    assert evidence_words("iPhone 8 plus on iOS 11.0.3") == []


def test_the_per_language_tally_separates_right_undetermined_and_wrong() -> None:
    from inbox.nlp.language_xlmt import tally

    t = tally("fr", ["fr", "fr", "und", "en", "en", "es", "fr", "fr"])
    assert (t["n"], t["right"], t["und"], t["other"]) == (8, 0.5, 0.125, 0.375)
    assert t["top_other"] == "en 2, es 1"
    assert tally("de", [])["right"] == 0.0
