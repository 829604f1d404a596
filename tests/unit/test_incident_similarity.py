"""The incidents' text similarity (TF-IDF cosine) and keyword rule: pure functions on real-looking posts."""

from __future__ import annotations

import pytest

from inbox.desk.incidents.similarity import features, keyword_hits, scores

REFERENCE = ["Panne box internet Lyon\nPlus de connexion sur les box à Lyon"]
BACKGROUND = ["@AcmeCare where is my order?", "merci pour votre aide", "Bonjour je voudrais résilier"]


def test_the_outage_in_french_and_english_scores_above_unrelated_posts() -> None:
    outage = [
        "@AcmeCare encore une panne internet à Lyon ?? plus rien depuis ce matin",
        "@AcmeCare ma box est coupée, pas d'internet dans tout Lyon 3e",
        "@AcmeCare internet down in Lyon since this morning, box blinking red",
    ]
    other = ["@AcmeCare my parcel never arrived", "@AcmeCare la facture de ce mois est fausse", "Bonjour"]
    found = scores(REFERENCE, outage + other, BACKGROUND)
    assert min(found[:3]) > 0.15 > max(found[3:])


def test_same_words_score_one_and_nothing_shared_scores_zero() -> None:
    assert scores(["panne à Lyon"], ["PANNE a lyon", "merci beaucoup"]) == [1.0, 0.0]
    assert scores([], ["panne"]) == [0.0] and scores(["panne"], []) == []


def test_handles_and_links_are_not_words_and_accents_fold() -> None:
    assert set(features("@AcmeCare Coupé https://t.co/x")) == {"coupe"}
    assert "~coup" in features("coupure")


@pytest.mark.parametrize(
    ("text", "keywords", "hits"),
    [
        ("Plus de CONNEXION à Lyon", ["connexion", "lyon", "panne"], ["connexion", "lyon"]),
        ("la Box est en panne", ["panne box", "box en panne"], []),
        ("ma box est en panne", ["box est en panne", " "], ["box est en panne"]),
        ("Île-de-France touchée", ["ile de france"], ["ile de france"]),
    ],
)
def test_keywords_match_case_and_accents_folded(text: str, keywords: list[str], hits: list[str]) -> None:
    assert keyword_hits(text, keywords) == hits
