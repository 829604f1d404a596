"""Prior correction: reweighting, fitting on a dev split, and the spaCy component saved with a pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from inbox.nlp.prior import FACTORY, fit_weights, reweight

LABELS = ("negative", "neutral", "positive")


def test_reweight_scales_and_keeps_the_total() -> None:
    out = reweight({"negative": 0.2, "neutral": 0.6, "positive": 0.2}, {"negative": 3.0})
    assert out["negative"] == pytest.approx(0.6 / 1.4) and out["neutral"] == pytest.approx(0.6 / 1.4)
    assert sum(out.values()) == pytest.approx(1.0)


def test_reweight_leaves_all_zero_scores_alone() -> None:
    assert reweight({"negative": 0.0, "positive": 0.0}, {"negative": 2.0}) == {
        "negative": 0.0,
        "positive": 0.0,
    }


def biased_dev() -> tuple[list[dict[str, float]], list[str]]:
    """A model that leans to neutral: every negative tweet scores 0.4 negative vs 0.45 neutral."""
    scores = [{"negative": 0.4, "neutral": 0.45, "positive": 0.15}] * 10
    scores += [{"negative": 0.1, "neutral": 0.8, "positive": 0.1}] * 30
    scores += [{"negative": 0.05, "neutral": 0.3, "positive": 0.65}] * 20
    gold = ["negative"] * 10 + ["neutral"] * 30 + ["positive"] * 20
    return scores, gold


def test_fit_weights_recovers_the_minority_label() -> None:
    scores, gold = biased_dev()
    weights = fit_weights(scores, gold, LABELS)
    fixed = [max(LABELS, key=reweight(s, weights).__getitem__) for s in scores]
    assert fixed == gold  # raw argmax calls every negative tweet neutral
    assert weights["negative"] == 1.0 and weights["neutral"] < 0.9


def test_fit_weights_leaves_a_balanced_model_alone() -> None:
    scores = [
        {"negative": 0.8, "neutral": 0.1, "positive": 0.1},
        {"negative": 0.1, "neutral": 0.8, "positive": 0.1},
    ]
    scores.append({"negative": 0.1, "neutral": 0.1, "positive": 0.8})
    assert fit_weights(scores, list(LABELS), LABELS) == {"negative": 1.0, "neutral": 1.0, "positive": 1.0}


def test_fit_weights_refuses_mismatched_input() -> None:
    with pytest.raises(ValueError):
        fit_weights([{"negative": 1.0, "neutral": 0.0, "positive": 0.0}], [], LABELS)


@Language.component("test_fixed_scores")
def fixed_scores(doc: Doc) -> Doc:
    doc.cats = {"negative": 0.4, "neutral": 0.45, "positive": 0.15, "complaint": 0.7}
    return doc


def test_component_is_saved_with_the_pipeline_and_rescales_only_its_labels(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("test_fixed_scores")
    nlp.add_pipe(
        FACTORY,
        name="sentiment_prior",
        config={"weights": {"negative": 1.0, "neutral": 0.5, "positive": 1.0}},
    )
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.get_pipe_config("sentiment_prior")["weights"]["neutral"] == 0.5
    cats = loaded("anything").cats
    assert max(("negative", "neutral", "positive"), key=cats.__getitem__) == "negative"
    assert cats["complaint"] == 0.7
    assert sum(cats[k] for k in LABELS) == pytest.approx(1.0)
