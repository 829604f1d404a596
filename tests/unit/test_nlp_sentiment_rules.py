"""A stated complaint is never positive: [sentiment] never_positive (inbox/nlp/sentiment_rules.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from inbox.config.loader import ConfigError
from inbox.nlp import Classifier, load_classifier
from inbox.nlp.sentiment_rules import never_positive
from inbox.nlp.settings import load_nlp_config

ROOT = Path(__file__).resolve().parents[2]
RULES = ("money_lost", "cannot_use")


def test_positive_swaps_with_the_higher_of_negative_and_neutral() -> None:
    out = never_positive({"negative": 0.25, "neutral": 0.15, "positive": 0.6}, ["money_lost"], RULES)
    assert out == {"negative": 0.6, "neutral": 0.15, "positive": 0.25}
    calm = {"negative": 0.1, "neutral": 0.3, "positive": 0.6}
    out = never_positive(calm, ["question", "cannot_use"], RULES)
    assert out == {"negative": 0.1, "neutral": 0.6, "positive": 0.3}
    assert sum(out.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("scores", "fired", "rules"),
    [
        ({"negative": 0.1, "neutral": 0.3, "positive": 0.6}, ["thanks"], RULES),  # no such rule matched
        ({"negative": 0.1, "neutral": 0.6, "positive": 0.3}, ["money_lost"], RULES),  # not positive already
        ({"negative": 0.1, "neutral": 0.3, "positive": 0.6}, ["money_lost"], ()),  # no rule configured
    ],
)
def test_scores_are_left_alone_otherwise(
    scores: dict[str, float], fired: list[str], rules: tuple[str, ...]
) -> None:
    assert never_positive(scores, fired, rules) == scores


@pytest.fixture(scope="module")
def clf() -> Iterator[Classifier]:
    yield load_classifier(ROOT / "config")


@pytest.mark.parametrize(
    "text",
    [
        "@AcmeCare I was charged twice for my order, I want a refund",
        "J'ai été prélevé deux fois, je veux être remboursé",
    ],
)
def test_a_money_complaint_is_not_positive(clf: Classifier, text: str) -> None:
    [c] = clf.classify([text])
    assert "rule:money_lost" in c.urgency_reasons and c.sentiment != "positive", c
    assert max(c.sentiment_scores, key=c.sentiment_scores.__getitem__) == c.sentiment


@pytest.mark.parametrize(
    "text",
    [
        # read as positive by the French model before the discontent rule (2026-12-06)
        "@SpotifyCares Connasse je paie pour cette merde",
        "@SpotifyCares j'ai réinstallé spotify et ça a pas marché.. je peux même pas lire mes fichiers",
        "Franchement déçu, l'appli est nulle depuis la mise à jour",
    ],
)
def test_french_discontent_in_words_is_not_positive(clf: Classifier, text: str) -> None:
    [c] = clf.classify([text])
    assert "rule:discontent" in c.urgency_reasons and c.sentiment != "positive", c
    assert c.urgency != "low", c  # discontent is at least normal, like the English complaint model


@pytest.mark.parametrize(
    "text",
    [
        # read as positive by the French model before the asks_for_help rule (2026-12-06): a request's thanks
        "J'ai réinitialisé mon mot de passe mais le lien a expiré. Merci de m'aider.",
        "@SpotifyCares @678762 Payé et toujours pas de premium",
    ],
)
def test_a_french_request_for_help_is_not_positive(clf: Classifier, text: str) -> None:
    [c] = clf.classify([text])
    assert "rule:asks_for_help" in c.urgency_reasons and c.sentiment != "positive", c


@pytest.mark.parametrize("text", ["Thanks a lot, love the new app!", "Merci beaucoup, super service !"])
def test_praise_stays_positive(clf: Classifier, text: str) -> None:
    [c] = clf.classify([text])
    assert c.sentiment == "positive"


def test_an_unknown_rule_name_is_refused_with_its_key(tmp_path: Path) -> None:
    body = '[language]\ncandidates = ["en", "fr"]\n[sentiment]\nnever_positive = ["money_lots"]\n'
    (tmp_path / "nlp.toml").write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sentiment\.never_positive\[0\] = 'money_lots'"):
        load_nlp_config(tmp_path)
