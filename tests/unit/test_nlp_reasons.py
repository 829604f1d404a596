"""Contact reasons: the taxonomy in config/nlp.toml, phrase rules, French rules, the packaged model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from inbox.nlp import Classifier, load_classifier
from inbox.nlp.reason_model import ReasonWeights, features, fit
from inbox.nlp.reasons import (
    REASONS,
    PhraseRules,
    ReasonDecider,
    ReasonRule,
    ReasonSettings,
    conversation_reason,
    has_content,
    load_reason_models,
)
from inbox.nlp.settings import load_nlp_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def clf() -> Iterator[Classifier]:
    yield load_classifier(ROOT / "config")


def test_the_shipped_taxonomy_is_the_guidelines_in_its_order() -> None:
    settings = load_nlp_config(ROOT / "config").reasons
    assert tuple(settings.labels) == REASONS
    assert {"en", "fr"} <= set(settings.rules)


def test_a_rule_for_a_reason_outside_the_taxonomy_is_refused() -> None:
    with pytest.raises(ValidationError, match="not in labels: warranty"):
        ReasonSettings(rules={"en": {"warranty": ReasonRule(phrases=["warranty"])}})
    with pytest.raises(ValidationError, match="other"):
        ReasonSettings(labels=["billing_payment"])
    with pytest.raises(ValidationError, match="rule_boost"):  # the phrases would count for nothing
        ReasonSettings(rule_boost=0)


def test_phrases_ignore_case_and_accents_match_whole_words_and_endings() -> None:
    rules = PhraseRules(
        {
            "billing_payment": ReasonRule(phrases=["rembours*", "prélevé"]),
            "cancellation": ReasonRule(phrases=["cancel my"]),
        }
    )
    assert rules.fired("On m'a PRELEVE deux fois, je veux être REMBOURSÉE") == ["billing_payment"]
    assert rules.fired("I will Cancel my plan") == ["cancellation"]
    assert rules.fired("flight cancelled, uncancel myself") == []


def test_a_message_without_a_word_is_other_as_the_guideline_says(clf: Classifier) -> None:
    assert not has_content("@user :) http") and not has_content("?!") and has_content("@user ok")
    assert has_content("http 404") and not has_content("___")
    thumbs, link, acknowledged = clf.classify(["👍", "@AcmeCare https://t.co/abc", "ok 👍 thanks"])
    assert (thumbs.reason, link.reason) == ("other", "other") and thumbs.reason_scores["other"] == 1.0
    assert acknowledged.reason == "praise_thanks"


def test_politeness_formulas_are_blanked_before_the_phrases_are_matched() -> None:
    rules = PhraseRules(
        {
            "praise_thanks": ReasonRule(phrases=["merci"]),
            "billing_payment": ReasonRule(phrases=["rembours*"]),
            "delivery_order": ReasonRule(phrases=["retour", "colis recu"]),
        },
        politeness=["merci de me", "merci de m'", "dans l'attente de votre retour"],
    )
    assert rules.fired("Merci de me rappeler vite") == []
    assert rules.fired("Merci de m'aider") == []  # an elided word runs into the next one (seen in the demo)
    assert rules.fired("Merci de ma part") == ["praise_thanks"]
    assert rules.fired("Merci de me rembourser") == ["billing_payment"]
    assert rules.fired("Merci pour tout ! Dans l'attente de votre retour") == ["praise_thanks"]
    assert rules.fired("colis merci de me recu") == []  # a phrase never spans the blanked formula
    assert PhraseRules({"praise_thanks": ReasonRule(phrases=["merci"])}).fired("Merci de me rappeler") == [
        "praise_thanks"
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "Merci de me rappeler au plus vite, c'est urgent.",
            "other",
        ),  # a request, not thanks (seen in the demo)
        ("Merci pour votre retour rapide !", "praise_thanks"),
        ("J'ai réinitialisé mon mot de passe mais le lien a expiré. Merci de m'aider.", "account_access"),
        ("Bonjour, ma commande n'est pas arrivée. Merci d'avance", "delivery_order"),
        ("Dans l'attente de votre retour, cordialement", "other"),
    ],
)
def test_french_politeness_does_not_decide_the_reason(clf: Classifier, text: str, reason: str) -> None:
    [c] = clf.classify([text])
    assert c.language == "fr" and c.reason == reason, c.reason_scores


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Mon colis n'est toujours pas arrivé, numéro de suivi inconnu", "delivery_order"),
        ("Je veux résilier mon abonnement", "cancellation"),
        ("Merci beaucoup, ça marche !", "praise_thanks"),
        ("Mot de passe oublié, impossible de me connecter à mon espace client", "account_access"),
        ("Mon vol pour Nice a 3 heures de retard", "travel_booking"),
        ("On m'a prélevé deux fois ce mois-ci", "billing_payment"),
        ("Plus d'internet depuis ce matin, la box clignote", "technical_issue"),
        ("Est-ce que la boutique est ouverte dimanche ?", "product_info"),
        ("Personne ne répond au service client, c'est scandaleux", "service_complaint"),
        ("🙂", "other"),
    ],
)
def test_french_messages_get_their_reason_from_the_rules(clf: Classifier, text: str, reason: str) -> None:
    [c] = clf.classify([text])
    assert c.reason == reason, c.reason_scores
    assert abs(sum(c.reason_scores.values()) - 1) < 1e-6
    assert max(c.reason_scores, key=c.reason_scores.__getitem__) == reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("@acme you charged me twice for my subscription this month, I want a refund", "billing_payment"),
        ("@AmazonHelp my package never arrived and tracking says delivered", "delivery_order"),
        ("@SpotifyCares the app keeps crashing every time I open a playlist", "technical_issue"),
        ("@Delta my flight was delayed 4 hours and you lost my luggage", "travel_booking"),
        ("@SpotifyCares thanks so much, it works now!", "praise_thanks"),
        ("@SpotifyCares I can't log in, it says my password is wrong", "account_access"),
    ],
)
def test_english_messages_get_their_reason_from_the_packaged_model(
    clf: Classifier, text: str, reason: str
) -> None:
    [c] = clf.classify([text])
    assert c.language == "en"
    assert c.reason == reason, c.reason_scores
    assert c.as_json()["reason"] == reason and set(c.as_json()["reason_scores"]) == set(REASONS)


def test_the_english_model_ships_and_decides_without_rules_too() -> None:
    models = load_reason_models(ROOT / "inbox" / "nlp" / "model")
    assert set(models) == {"en"} and models["en"].labels == REASONS
    decider = ReasonDecider(ReasonSettings(rules={}), models, "en")
    [(reason, _)] = decider.decide(["my package never arrived, where is my delivery?"], ["en"])
    assert reason == "delivery_order"


def test_a_reason_a_community_manager_adds_is_decided_by_its_phrases(tmp_path: Path) -> None:
    text = (ROOT / "config" / "nlp.toml").read_text(encoding="utf-8")
    text = text.replace('"praise_thanks", "other"]', '"praise_thanks", "warranty", "other"]', 1)
    text += '\n[reasons.rules.any.warranty]\nphrases = ["warranty", "garantie"]\n'
    (tmp_path / "nlp.toml").write_text(text, encoding="utf-8")
    custom = load_classifier(tmp_path)
    en, fr, none = custom.classify(
        [
            "@acme is my blender still under warranty after two years of use at home?",
            "Mon grille-pain est-il encore sous garantie ?",
            "@acme what time do you open on sunday?",
        ]
    )
    assert (en.reason, fr.reason) == ("warranty", "warranty")
    assert none.reason == "product_info" and none.reason_scores["warranty"] < 0.1


def test_a_trained_model_round_trips_and_learns(tmp_path: Path) -> None:
    import numpy as np

    texts = ["refund my money", "charged twice", "parcel lost", "where is my parcel"] * 3
    labels = ("billing_payment", "delivery_order", "other")
    y = np.array([[1, 0, 0] if i % 4 < 2 else [0, 1, 0] for i in range(len(texts))], dtype=float)
    model = fit([features(t) for t in texts], y, [1.0] * len(texts), labels, steps=50)
    model.save(tmp_path / "en")
    again = ReasonWeights.load(tmp_path / "en")
    assert again.labels == labels
    logits = again.logits([features("my parcel is lost"), features("a refund please")])
    assert logits[0].argmax() == 1 and logits[1].argmax() == 0


def test_a_conversation_keeps_its_last_telling_reason() -> None:
    assert conversation_reason(None, "other") == "other"
    assert conversation_reason("other", "billing_payment") == "billing_payment"
    assert conversation_reason("billing_payment", "other") == "billing_payment"
    assert conversation_reason("billing_payment", "delivery_order") == "delivery_order"
    assert conversation_reason("billing_payment", None) == "billing_payment"
