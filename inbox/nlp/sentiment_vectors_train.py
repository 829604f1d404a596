"""Training of the French sentiment model (inbox/nlp/sentiment_vectors.py), job ``sentiment_fr``.

Rule: the XLM-T French train split (1,839 tweets, already balanced; the val split is never used), with the
agents' French sentiment corrections laid over it and added ``corrections.COPIES`` times each, fitted by the
contact-reason model's softmax regression (``reason_model.fit``) with the settings below. They were chosen
by a 5-fold cross-validation over the train split alone (docs/classification.md, "French vectors").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import spacy

from inbox.nlp import corrections, datasets
from inbox.nlp.normalise import normalise
from inbox.nlp.reason_model import ReasonWeights, fit
from inbox.nlp.sentiment_vectors import FACTORY, PACKAGE, SentimentVectors, features, load_vectors
from inbox.nlp.types import SENTIMENTS

LANG = "fr"
SCALE = 2.0  # the mean vector's weight beside the L2-normalised n-gram block
CHARS = False
L2 = 1e-4
STEPS = 300


def labelled_rows(data_dir: Path, corrected: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(normalised text, sentiment) of the French train split, the agents' corrections laid over them."""
    rows = [(normalise(e.text), e.sentiment or "") for e in datasets.read_sentiment(data_dir, LANG, "train")]
    rows = [(text, label) for text, label in rows if text and label in SENTIMENTS]
    return corrections.overlay(rows, dict(corrected or {}))


def fit_rows(rows: Sequence[tuple[str, str]], *, scale: float = SCALE) -> ReasonWeights:
    """The model fitted on (normalised text, sentiment) rows."""
    vectors = load_vectors(PACKAGE)
    x = [features(text, vectors, scale, chars=CHARS) for text, _ in rows]
    targets = np.zeros((len(rows), len(SENTIMENTS)))
    targets[np.arange(len(rows)), [SENTIMENTS.index(label) for _, label in rows]] = 1.0
    return fit(x, targets, [1.0] * len(rows), SENTIMENTS, l2=L2, steps=STEPS, chars=CHARS)


def train_sentiment_fr(
    data_dir: Path, pipelines_dir: Path, out: Path, corrected: Mapping[str, str] | None = None
) -> Path:
    """Train on the French train split (+ corrections) and write a one-component pipeline to ``out``."""
    nlp = spacy.blank(LANG)
    component = nlp.add_pipe(FACTORY, name="sentiment")
    assert isinstance(component, SentimentVectors)
    component.set_weights(fit_rows(labelled_rows(data_dir, corrected)), SCALE)
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    return out
