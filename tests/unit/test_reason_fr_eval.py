"""The French contact-reason measurement on translations (inbox/nlp/reason_fr_eval.py): weighted scores,
the shipped sample, and language-neutral features (rules and shapes, no words)."""

from __future__ import annotations

from pathlib import Path

import pytest

from inbox.nlp.reason_fr_eval import SAMPLE, weighted_scores
from inbox.nlp.reason_model import features

ROOT = Path(__file__).resolve().parents[2]


def test_weighted_scores_count_each_row_by_its_weight() -> None:
    gold = ["a", "a", "b"]
    pred = ["a", "b", "b"]
    plain = weighted_scores(gold, pred, [1.0, 1.0, 1.0], ["a", "b"])
    assert plain["accuracy"] == pytest.approx(2 / 3)
    assert plain["a"] == pytest.approx(2 / 3) and plain["b"] == pytest.approx(2 / 3)
    # the first row stands for 8: "a" is right 8 times of 9, "b" is predicted wrongly once
    heavy = weighted_scores(gold, pred, [8.0, 1.0, 1.0], ["a", "b"])
    assert heavy["accuracy"] == pytest.approx(9 / 10)
    assert heavy["a"] == pytest.approx(16 / 17) and heavy["b"] == pytest.approx(2 / 3)
    assert heavy["macro_f1"] == pytest.approx((16 / 17 + 2 / 3) / 2)


def test_the_shipped_sample_has_255_french_texts() -> None:
    lines = (ROOT / SAMPLE).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "tweet_id,text_fr" and len(lines) >= 256


def test_without_words_only_rules_and_shapes_remain() -> None:
    english = features("my parcel never arrived", ["delivery_order"], words=False)
    french = features("mon colis n'est jamais arrivé", ["delivery_order"], words=False)
    assert english == french  # the same rule fired, the same shapes: the same features in both languages
    assert len(features("my parcel never arrived", ["delivery_order"])) > len(english)
