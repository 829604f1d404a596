"""Urgency: the model's part named as such, rules as overrides, French phrase rules of the issue (#14)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from inbox.nlp import Classifier, load_classifier
from inbox.nlp.settings import UrgencySettings
from inbox.nlp.urgency import Signals, decide
from inbox.nlp.urgency_flagged import flagged

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = UrgencySettings(urgent_threshold=0.6)


@pytest.fixture(scope="module")
def clf() -> Iterator[Classifier]:
    yield load_classifier(ROOT / "config")


@pytest.mark.parametrize(
    ("signals", "expected"),
    [
        (Signals([], "neutral", 0.1, urgent=0.7), ("high", ["model:urgency"])),
        (Signals([], "neutral", 0.1, urgent=0.59), ("low", [])),
        (
            Signals([("fraud", "critical")], "neutral", None, urgent=0.9),
            ("critical", ["rule:fraud", "model:urgency"]),
        ),
        (Signals([("thanks", "low")], "positive", None, urgent=None), ("low", ["rule:thanks"])),
    ],
)
def test_the_model_lifts_to_high_and_never_lowers(signals: Signals, expected: tuple[str, list[str]]) -> None:
    assert decide(signals, SETTINGS) == expected


def test_the_english_pipeline_ships_an_urgency_model(clf: Classifier) -> None:
    assert "urgency" in clf.pipelines["en"].pipe_names
    [c] = clf.classify(["@acme thanks a lot, all good now"])
    assert "model:urgency" not in c.urgency_reasons


@pytest.mark.parametrize(
    ("text", "rule", "level"),
    [
        ("Le réseau est en panne depuis ce matin", "cannot_use", "high"),
        ("Mon compte a été piraté", "hacked_account", "critical"),
        ("C'est une arnaque, vous êtes des arnaqueurs", "fraud", "critical"),
        ("J'ai été prélevé deux fois ce mois-ci", "money_lost", "high"),
        ("J'ai été prélevé 2 fois", "money_lost", "high"),
        ("J'attends toujours mon remboursement", "money_lost", "high"),
        ("Je vais résilier mon abonnement", "threat_to_leave", "high"),
        ("Mon avocat va vous contacter", "legal", "critical"),
        ("Je vais écrire à l'UFC-Que Choisir", "legal", "critical"),
        ("J'en parlerai à 60 Millions", "legal", "critical"),
        ("Je porte plainte auprès de SignalConso", "legal", "critical"),
    ],
)
def test_french_phrase_rules_cover_the_issue(clf: Classifier, text: str, rule: str, level: str) -> None:
    [c] = clf.classify([text])
    assert c.language == "fr" and f"rule:{rule}" in c.urgency_reasons and c.urgency == level, c


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Someone took over my account and bought things with it", "hacked_account"),
        ("The chicken wrap from your shop made me sick all night", "safety"),
        ("My card was stolen and used on your website this morning", "fraud"),
        ("Deliver what you promised or I will see you in court", "legal"),
        ("Quelqu'un utilise mon compte depuis hier soir", "hacked_account"),
        ("Votre plat m'a rendu malade toute la nuit", "safety"),
        ("Ce faux site se fait passer pour votre banque", "fraud"),
        # 2026-12-06: a takeover, a leak, a foreign body told in other words; verbs in their inflections
        ("My account was hijacked last night and my playlists are gone", "hacked_account"),
        ("You are leaking customer information to other users", "hacked_account"),
        ("Found a piece of plastic in my burrito bowl today", "safety"),
        ("Ils arnaquent les personnes âgées avec de faux appels", "fraud"),
        ("Mes données ont été piratées à cause de votre site", "hacked_account"),
        ("J'ai failli mourir à cause des noix dans votre gâteau", "safety"),
    ],
)
def test_critical_phrases_reviewed_against_the_guideline(clf: Classifier, text: str, rule: str) -> None:
    """The guideline's critical facts (safety, takeover, fraud, legal threat) in English and French."""
    [c] = clf.classify([text])
    assert f"rule:{rule}" in c.urgency_reasons and c.urgency == "critical", c


@pytest.mark.parametrize(
    "text",
    [
        "I changed my email address last week, where do I update it in the app?",
        "Which songs have been stolen by other artists? lol",
        "J'ai payé avec ma carte mais la commande n'apparaît pas",
        "Comment modifier mes informations personnelles dans l'application ?",
    ],
)
def test_everyday_words_near_the_critical_phrases_are_not_critical(clf: Classifier, text: str) -> None:
    """The phrases added on 2026-12-06 need the fact, not a word that also comes in everyday requests."""
    [c] = clf.classify([text])
    assert c.urgency != "critical", c


def test_flagged_counts_complaints_and_non_complaints_apart() -> None:
    counts = flagged(
        [True, True, True, False, False, False],
        ["critical", "normal", "high", "high", "low", "normal"],
        [True, True, True, True, True, False],
    )
    assert counts == {True: (2, 3), False: (1, 2)}
