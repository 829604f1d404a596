"""The packaged pipelines load offline and classify: documented values, routing, empty/huge/emoji texts."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from inbox.ingest.classified import apply_classification
from inbox.nlp import LEVELS, SENTIMENTS, Classification, Classifier, load_classifier
from inbox.store.tables import Message

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def clf() -> Iterator[Classifier]:
    def refuse(self: socket.socket, address: object) -> None:
        raise AssertionError(f"network used while loading the model: {address}")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", refuse)
        classifier = load_classifier(ROOT / "config")
    yield classifier


def check(c: Classification) -> None:
    assert c.sentiment in SENTIMENTS and c.urgency in LEVELS
    assert set(c.sentiment_scores) == set(SENTIMENTS)
    assert abs(sum(c.sentiment_scores.values()) - 1) < 1e-3
    assert max(c.sentiment_scores, key=c.sentiment_scores.__getitem__) == c.sentiment
    assert all(r.split(":")[0] in ("rule", "model", "sentiment", "reach") for r in c.urgency_reasons)
    assert len(c.language) in (2, 3)


def test_packaged_pipelines_are_ours(clf: Classifier) -> None:
    assert {"en", "fr"} <= set(clf.pipelines)
    assert "sentiment" in clf.pipelines["en"].pipe_names and "complaint" in clf.pipelines["en"].pipe_names
    assert "sentiment" in clf.pipelines["fr"].pipe_names


def test_english_sentiment_is_prior_corrected(clf: Classifier) -> None:
    en = clf.pipelines["en"]
    assert en.pipe_names.index("sentiment_prior") == en.pipe_names.index("sentiment") + 1
    weights = en.get_pipe_config("sentiment_prior")["weights"]
    assert set(weights) == set(SENTIMENTS) and all(w > 0 for w in weights.values())


def test_clear_cases(clf: Classifier) -> None:
    texts = [
        "@acme I love you guys, best customer service ever! Thank you so much",
        "@acme my account has been hacked and someone changed my password, help!!",
        "@acme you charged me twice this month and still no refund. Worst company ever.",
        "Bonjour, mon colis n'est toujours pas arrivé, c'est inadmissible, je suis très déçu",
    ]
    results = clf.classify(texts)
    for c in results:
        check(c)
    assert [c.language for c in results] == ["en", "en", "en", "fr"]
    assert results[0].sentiment == "positive" and results[0].urgency == "low"
    assert results[1].urgency == "critical" and "rule:hacked_account" in results[1].urgency_reasons
    assert results[2].sentiment == "negative" and results[2].urgency == "high"
    assert "rule:money_lost" in results[2].urgency_reasons
    assert results[3].sentiment == "negative"


def test_french_is_routed_to_the_french_pipeline(clf: Classifier) -> None:
    assert clf.route("fr") == "fr" and clf.route("en") == "en"
    assert clf.route("de") == clf.config.language.fallback_pipeline == clf.route("und")
    c = clf.classify(["Mon compte a été piraté, quelqu'un a changé mon mot de passe"])[0]
    assert c.language == "fr" and c.urgency == "critical" and "rule:hacked_account" in c.urgency_reasons


def test_other_language_gets_a_tag_and_a_sentiment(clf: Classifier) -> None:
    c = clf.classify(["Hola, mi pedido no ha llegado todavía y nadie me responde"])[0]
    check(c)
    assert c.language == "es"


@pytest.mark.parametrize("text", ["", "   ", "😡😡😡", "🙏", "!!", "@acme", "https://t.co/abc"])
def test_empty_and_emoji_only(clf: Classifier, text: str) -> None:
    c = clf.classify([text])[0]
    check(c)
    assert c.language == "und"


def test_emoji_carry_sentiment(clf: Classifier) -> None:
    love, angry = clf.classify(["😍😍🙏", "😡😡👎"])
    assert love.language == angry.language == "und"
    assert love.sentiment == "positive" and angry.sentiment == "negative"


def test_huge_message(clf: Classifier) -> None:
    text = "My order never arrived and nobody answers. " * 5000 + " call me 06 12 34 56 78"
    c = clf.classify([text])[0]
    check(c)
    assert c.language == "en" and [s.kind for s in c.pii] == ["phone"]


def test_reach_raises_a_public_complaint(clf: Classifier) -> None:
    text = "@acme this is the third time my delivery is late, absolutely terrible service"
    small, big = clf.classify([text, text], followers=[12, 250_000])
    assert small.urgency in ("normal", "high") and "reach:large_following" not in small.urgency_reasons
    assert big.urgency == "high" and "reach:large_following" in big.urgency_reasons
    with pytest.raises(ValueError):
        clf.classify([text], followers=[1, 2])


def test_pii_spans_refer_to_the_original_text(clf: Classifier) -> None:
    text = "@acme   my email is jo@example.com  and IBAN FR76 3000 6000 0112 3456 7890 189"
    c = clf.classify([text])[0]
    assert [(s.kind, text[s.start : s.end]) for s in c.pii] == [
        ("email", "jo@example.com"),
        ("iban", "FR76 3000 6000 0112 3456 7890 189"),
    ]
    assert c.as_json()["pii"] == ["email", "iban"]


def test_as_json_and_store_fields(clf: Classifier) -> None:
    text = "@acme my card 4111 1111 1111 1111 was charged twice!"
    c = clf.classify([text])[0]
    js = c.as_json()
    assert set(js) >= {"language", "sentiment", "sentiment_scores", "urgency", "urgency_reasons", "pii"}
    msg = Message(
        channel_id=1,
        conversation_id=1,
        platform_id="1",
        direction="in",
        visibility="public",
        kind="mention",
        text="x",
    )
    apply_classification(msg, c)
    assert msg.urgency == c.urgency and msg.pii == [{"kind": "card", "start": 14, "end": 33}]
    assert text[14:33] == "4111 1111 1111 1111"
    assert msg.sentiment_scores == c.sentiment_scores and msg.urgency_reasons == c.urgency_reasons


def test_batch_keeps_order(clf: Classifier) -> None:
    texts = ["merci beaucoup !", "", "thanks!", "Bonjour, où est ma commande ?", "😀"] * 3
    results = clf.classify(texts)
    assert len(results) == len(texts)
    assert [c.language for c in results[:5]] == ["fr", "und", "en", "fr", "und"]


def test_an_insult_hidden_by_invisible_or_fullwidth_characters_is_still_one(clf: Classifier) -> None:
    texts = [
        "you are an id\u200biot, all of you",
        "vous êtes des con\u00adnards, franchement",
        "you are an \uff49\uff44\uff49\uff4f\uff54, all of you",
    ]
    assert all("rule:insults" in c.urgency_reasons for c in clf.classify(texts))
